package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the new side holds what the rule implies from the old side, counted over a sample of the
 * old table's rows in one read-only query. Only meaningful while both sides are written (expand and
 * migrate). NULLs compare as values: IS DISTINCT FROM on PostgreSQL, {@code NOT (a <=> b)} on MySQL,
 * where the columns' collations apply (a case-only difference under a case-insensitive collation is
 * not counted).
 */
final class Consistency {
    private static final String OLD = "dw_old";
    private static final String NEW = "dw_new";

    /** Counts for one migration. */
    static final class Result {
        final long checked;
        final long differing;
        /** Table moves: old rows with no row of the same key in the new table (part of {@link #differing}). */
        final long absent;
        /** {@code label: N missing, M different} for each column with a difference. */
        final List<String> columns;

        Result(long checked, long differing, long absent, List<String> columns) {
            this.checked = checked;
            this.differing = differing;
            this.absent = absent;
            this.columns = columns;
        }
    }

    private final Database db;

    Consistency(Database db) {
        this.db = db;
    }

    /**
     * Counts, over at most {@code sample} rows of the old table (the first the database returns), the
     * rows whose new side is missing or differs from what the rule implies.
     */
    Result check(Migration m, int sample) throws SQLException {
        SchemaView.Table old = db.schema().table(m.table());
        if (old == null) {
            throw CliFailure.badInput("table " + m.table() + " of " + m.id() + " does not exist; run validate --url");
        }
        List<MappedColumn> columns = MappedColumn.of(m, old.columns(), db.dialect());
        StringBuilder from = new StringBuilder("(SELECT * FROM ").append(db.table(m.table())).append(" LIMIT ")
                .append(sample).append(") ").append(OLD);
        String absent = "1 = 0";
        if (m.isTableMove()) {
            String join = join(m, old, columns);
            from.append(" LEFT JOIN ").append(db.table(m.toTable())).append(' ').append(NEW).append(" ON ").append(join);
            absent = ref(NEW, newKey(m, old, columns)) + " IS NULL";
        }
        String side = m.isTableMove() ? NEW : OLD;
        List<String> counts = new ArrayList<>();
        List<String> anyDifference = new ArrayList<>(List.of(absent));
        for (MappedColumn c : columns) {
            String expected = c.expected(ref(OLD, c.oldName()));
            String actual = ref(side, c.newName());
            String missing = actual + " IS NULL AND " + expected + " IS NOT NULL AND NOT (" + absent + ")";
            String different = actual + " IS NOT NULL AND " + db.distinct(expected, actual);
            counts.add(count(missing));
            counts.add(count(different));
            anyDifference.add("(" + missing + ")");
            anyDifference.add("(" + different + ")");
        }
        String sql = "SELECT count(*), " + count(String.join(" OR ", anyDifference)) + ", " + count(absent)
                + (counts.isEmpty() ? "" : ", " + String.join(", ", counts)) + " FROM " + from;
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                long missing = rs.getLong(4 + 2 * i);
                long different = rs.getLong(5 + 2 * i);
                if (missing + different > 0) {
                    differences.add(columns.get(i).label() + ": " + missing + " missing, " + different + " different");
                }
            }
            return new Result(rs.getLong(1), rs.getLong(2), rs.getLong(3), differences);
        }
    }

    /** The new row of an old row: the same key, mapped as the rule maps those columns. */
    private String join(Migration m, SchemaView.Table old, List<MappedColumn> columns) {
        List<String> conditions = new ArrayList<>();
        for (String k : key(m, old)) {
            MappedColumn c = mapped(k, columns, m);
            conditions.add(ref(NEW, c.newName()) + " = " + c.expected(ref(OLD, c.oldName())));
        }
        return String.join(" AND ", conditions);
    }

    private String newKey(Migration m, SchemaView.Table old, List<MappedColumn> columns) {
        return mapped(key(m, old).get(0), columns, m).newName();
    }

    private List<String> key(Migration m, SchemaView.Table old) {
        if (!m.key().isEmpty()) {
            return m.key();
        }
        if (old.primaryKey().isEmpty()) {
            throw CliFailure.badInput(m.id() + ": table " + old + " has no primary key; name the key columns in the"
                    + " rule (key: [id])");
        }
        List<String> out = new ArrayList<>();
        for (String k : old.primaryKey()) {
            out.add(db.dialect().quote(k));
        }
        return out;
    }

    private MappedColumn mapped(String key, List<MappedColumn> columns, Migration m) {
        for (MappedColumn c : columns) {
            if (db.dialect().canonical(c.oldName()).equals(db.dialect().canonical(key))) {
                return c;
            }
        }
        throw CliFailure.badInput(m.id() + ": key column " + key + " is not carried to " + m.toTable()
                + "; a dropped column cannot be the key");
    }

    private String ref(String alias, String column) {
        return alias + "." + db.ident(column);
    }

    private static String count(String condition) {
        return "count(CASE WHEN " + condition + " THEN 1 END)";
    }
}
