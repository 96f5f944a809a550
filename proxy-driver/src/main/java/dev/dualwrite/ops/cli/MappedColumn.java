package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.internal.ColumnSql;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import java.util.ArrayList;
import java.util.List;

/**
 * One old column and the new column that must hold what the rule implies from it. Names are spelled
 * as SQL would write them: as in the rule file, or, for the columns a table move carries without
 * naming them, quoted exactly as metadata reports them.
 */
final class MappedColumn {
    private final String oldName;
    private final String newName;
    private final ColumnRule rule;
    /** The metadata name of a column carried without a rule, for messages; null for a named column. */
    private final String carried;

    private MappedColumn(String oldName, String newName, ColumnRule rule, String carried) {
        this.oldName = oldName;
        this.newName = newName;
        this.rule = rule;
        this.carried = carried;
    }

    private MappedColumn(ColumnRule rule) {
        this(rule.column(), rule.to(), rule, null);
    }

    /**
     * Every column the migration carries to the new side. For a table move, {@code oldColumns} (the old
     * table's columns from metadata, or null when the table is gone) supplies the columns the rule does
     * not name, which move under the same name; dropped columns are left out.
     */
    static List<MappedColumn> of(Migration m, List<String> oldColumns, Dialect dialect) {
        List<MappedColumn> out = new ArrayList<>();
        if (m.isTableMove() && oldColumns != null) {
            for (String column : oldColumns) {
                String written = dialect.quote(column);
                ColumnRule rule = ruleFor(m, written, dialect);
                if (rule == null) {
                    out.add(new MappedColumn(written, written, null, column));
                } else if (!rule.drop()) {
                    out.add(new MappedColumn(rule));
                }
            }
        }
        for (ColumnRule rule : m.columns()) {
            boolean listed = false;
            for (MappedColumn c : out) {
                listed |= c.rule == rule;
            }
            if (!listed && !rule.drop()) {
                out.add(new MappedColumn(rule));
            }
        }
        return out;
    }

    private static ColumnRule ruleFor(Migration m, String written, Dialect dialect) {
        for (ColumnRule rule : m.columns()) {
            if (dialect.canonical(rule.column()).equals(dialect.canonical(written))) {
                return rule;
            }
        }
        return null;
    }

    String oldName() {
        return oldName;
    }

    String newName() {
        return newName;
    }

    /** For messages: the old column as the rule file or the database names it. */
    String oldLabel() {
        return carried != null ? carried : oldName;
    }

    /** For messages: the new column as the rule file or the database names it. */
    String newLabel() {
        return carried != null ? carried : newName;
    }

    /** For messages: {@code user_name -> display_name}, or just {@code amount} when carried unchanged. */
    String label() {
        return carried != null ? carried : oldName + " -> " + newName;
    }

    /** True when the new column holds the old value as it is (carried or renamed). */
    boolean unchanged() {
        return rule == null || rule.isRename();
    }

    /**
     * The value the new column must hold, as SQL, given the old column's value as SQL: the rewriter's own
     * mapping ({@code to_new}, the value map as a CASE, or the value itself), so the two cannot drift apart.
     */
    String expected(String oldValue, Dialect d) {
        return rule == null ? oldValue : ColumnSql.toNew(rule, oldValue, d);
    }
}
