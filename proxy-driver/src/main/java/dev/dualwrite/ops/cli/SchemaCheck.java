package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether every table and column a migration names exists where its phase needs it. In expand and
 * migrate both sides are written, so the old and the new side must exist; in contract only the new
 * side is used (the old one may already be dropped); {@code off} needs nothing.
 */
final class SchemaCheck {
    private static final String NEEDS_IT = "needs it";

    private final SchemaView schema;
    private final String file;

    SchemaCheck(SchemaView schema, String file) {
        this.schema = schema;
        this.file = file;
    }

    /** One line per missing table or column: where the rule is, its id, what is missing and where. */
    List<String> problems(Migration m) throws SQLException {
        List<String> out = new ArrayList<>();
        if (m.phase() == Phase.OFF) {
            return out;
        }
        Problems p = new Problems(m, out);
        boolean oldSideUsed = m.phase().dualWrites();
        SchemaView.Table old = schema.table(m.table());
        if (old == null && (oldSideUsed || !m.isTableMove())) {
            p.add("table " + m.table() + " not found in " + schema.where(m.table()), NEEDS_IT);
            return out;
        }
        SchemaView.Table target = m.isTableMove() ? schema.table(m.toTable()) : old;
        if (target == null) {
            p.add("new table " + m.toTable() + " not found in " + schema.where(m.toTable()),
                    NEEDS_IT + ": create it first");
        }
        List<MappedColumn> columns = MappedColumn.of(m, old == null ? null : old.columns(), schema.dialect());
        if (oldSideUsed) {
            for (MappedColumn c : columns) {
                if (old.column(c.oldName()) == null) {
                    p.add("column " + c.oldLabel() + " not found in table " + old, NEEDS_IT);
                }
            }
            if (m.isTableMove()) {
                checkKey(m, old, p);
            }
        }
        if (target != null) {
            for (MappedColumn c : columns) {
                if (target.column(c.newName()) == null) {
                    String from = c.oldLabel().equals(c.newLabel()) ? "" : " (from " + c.oldLabel() + ")";
                    p.add("new column " + c.newLabel() + from + " not found in table " + target,
                            NEEDS_IT + ": add it first");
                }
            }
        }
        return out;
    }

    private static void checkKey(Migration m, SchemaView.Table old, Problems p) {
        if (m.key().isEmpty()) {
            if (old.primaryKey().isEmpty()) {
                p.add("table " + old + " has no primary key", "needs a key to match rows of the two tables:"
                        + " name the key columns in the rule (key: [id])");
            }
            return;
        }
        for (String k : m.key()) {
            if (old.column(k) == null) {
                p.add("key column " + k + " not found in table " + old, NEEDS_IT);
            }
        }
    }

    /** Formats the problems of one migration alike: {@code file:line: id: what is missing; phase p needs it}. */
    private final class Problems {
        private final Migration m;
        private final List<String> out;

        Problems(Migration m, List<String> out) {
            this.m = m;
            this.out = out;
        }

        void add(String what, String need) {
            out.add(file + ":" + m.line() + ": " + m.id() + ": " + what + "; phase " + m.phase().yamlName() + " " + need);
        }
    }
}
