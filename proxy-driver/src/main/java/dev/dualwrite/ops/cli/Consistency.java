package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the new side holds what the rule implies from the old side, counted over some of the old
 * table's rows (a sample, or one key range of a full scan) in one read-only query. Only meaningful
 * while both sides are written (expand and migrate). NULLs compare as values: IS DISTINCT FROM on
 * PostgreSQL, {@code NOT (a <=> b)} on MySQL, where the columns' collations apply (a case-only
 * difference under a case-insensitive collation is not counted).
 */
final class Consistency {
    private static final String OLD = BackfillStatements.OLD;
    private static final String NEW = BackfillStatements.NEW;

    /** Counts for one migration. */
    static final class Result {
        final long checked;
        final long differing;
        /** Table moves: old rows with no row of the same key in the new table (part of {@link #differing}). */
        final long absent;
        /** Table moves, full scans: new rows with no row of the same key in the old table (part of {@link #differing}). */
        final long extra;
        /** {@code label: N missing, M different} for each column with a difference. */
        final List<String> columns;
        /** The first differing keys in key order (at most as many as asked for), as text; keys only, never values. */
        final List<String> keys;
        private final List<String> labels;
        private final long[] missing;
        private final long[] different;

        Result(long checked, long differing, long absent, long extra, List<String> labels, long[] missing,
                long[] different, List<String> keys) {
            this.checked = checked;
            this.differing = differing;
            this.absent = absent;
            this.extra = extra;
            this.labels = labels;
            this.missing = missing;
            this.different = different;
            this.keys = keys;
            List<String> out = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                if (missing[i] + different[i] > 0) {
                    out.add(labels.get(i) + ": " + missing[i] + " missing, " + different[i] + " different");
                }
            }
            this.columns = out;
        }

        static Result empty(List<String> labels) {
            return new Result(0, 0, 0, 0, labels, new long[labels.size()], new long[labels.size()], List.of());
        }

        /** This and another count, added up; keys kept in order, at most {@code maxKeys}. */
        Result plus(Result o, int maxKeys) {
            long[] mi = missing.clone();
            long[] di = different.clone();
            for (int i = 0; i < mi.length; i++) {
                mi[i] += o.missing[i];
                di[i] += o.different[i];
            }
            List<String> k = new ArrayList<>(keys);
            for (String key : o.keys) {
                if (k.size() < maxKeys) {
                    k.add(key);
                }
            }
            return new Result(checked + o.checked, differing + o.differing, absent + o.absent, extra + o.extra, labels,
                    mi, di, k);
        }
    }

    /** Binds the parameters of the old rows' query. */
    interface Binder {
        Binder NONE = ps -> { };

        void bind(PreparedStatement ps) throws SQLException;
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
        return check(m, "SELECT * FROM " + db.table(m.table()) + " LIMIT " + sample, Binder.NONE, 0);
    }

    /**
     * Counts over the old rows that {@code oldRows} selects (a query over the old table, aliased {@value #OLD}
     * where it refers to its columns), and returns the first {@code keysToShow} differing keys.
     */
    Result check(Migration m, String oldRows, Binder binder, int keysToShow) throws SQLException {
        Shape s = shape(m);
        String from = "(" + oldRows + ") " + OLD + (m.isTableMove() ? " LEFT JOIN " + db.table(m.toTable()) + " "
                + NEW + " ON " + s.key.joins(OLD, NEW) : "");
        String sql = "SELECT count(*), " + count(s.anyDifference) + ", " + count(s.absent)
                + (s.counts.isEmpty() ? "" : ", " + String.join(", ", s.counts)) + " FROM " + from;
        int n = s.labels.size();
        long[] missing = new long[n];
        long[] different = new long[n];
        long checked;
        long differing;
        long absent;
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 0; i < n; i++) {
                    missing[i] = rs.getLong(4 + 2 * i);
                    different[i] = rs.getLong(5 + 2 * i);
                }
                checked = rs.getLong(1);
                differing = rs.getLong(2);
                absent = rs.getLong(3);
            }
        }
        List<String> keys = differing == 0 || keysToShow == 0 ? List.of()
                : keys("SELECT " + s.key.list(OLD) + " FROM " + from + " WHERE " + s.anyDifference + " ORDER BY "
                        + s.key.list(OLD) + " LIMIT " + keysToShow, binder, s.key);
        endRead();
        return new Result(checked, differing, absent, 0, s.labels, missing, different, keys);
    }

    /** Table moves: rows of the new table whose key has no row in the old table, with the first keys. */
    Result extraRows(Migration m, int keysToShow) throws SQLException {
        Shape s = shape(m);
        String from = db.table(m.toTable()) + " " + NEW + " WHERE NOT EXISTS (SELECT 1 FROM " + db.table(m.table())
                + " " + OLD + " WHERE " + s.key.joins(OLD, NEW) + ")";
        long extra;
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT count(*) FROM " + from);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            extra = rs.getLong(1);
        }
        List<String> keys = extra == 0 || keysToShow == 0 ? List.of() : keys("SELECT " + s.key.newList(NEW) + " FROM "
                + from + " ORDER BY " + s.key.newList(NEW) + " LIMIT " + keysToShow, Binder.NONE, s.key);
        endRead();
        return new Result(0, extra, 0, extra, s.labels, new long[s.labels.size()], new long[s.labels.size()], keys);
    }

    /** Column labels of a migration, for {@link Result#empty}. */
    List<String> labels(Migration m) throws SQLException {
        return shape(m).labels;
    }

    private List<String> keys(String sql, Binder binder, KeyColumns key) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(KeyColumns.text(key.read(rs, 1)));
                }
            }
        }
        return out;
    }

    /** The conditions of one migration's comparison. */
    private static final class Shape {
        KeyColumns key;
        String absent;
        String anyDifference;
        final List<String> counts = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
    }

    private Shape shape(Migration m) throws SQLException {
        SchemaView.Table old = db.schema().table(m.table());
        if (old == null) {
            throw CliFailure.badInput("table " + m.table() + " of " + m.id() + " does not exist; run validate --url");
        }
        List<MappedColumn> columns = MappedColumn.of(m, old.columns(), db.dialect());
        Shape s = new Shape();
        s.key = KeyColumns.of(db, m, old, columns);
        s.absent = m.isTableMove() ? NEW + "." + s.key.newNames().get(0) + " IS NULL" : "1 = 0";
        String side = m.isTableMove() ? NEW : OLD;
        List<String> anyDifference = new ArrayList<>(List.of(s.absent));
        for (MappedColumn c : columns) {
            String expected = c.expected(ref(OLD, c.oldName()), db.dialect());
            String actual = ref(side, c.newName());
            String missing = actual + " IS NULL AND " + expected + " IS NOT NULL AND NOT (" + s.absent + ")";
            String different = actual + " IS NOT NULL AND " + db.distinct(expected, actual);
            s.counts.add(count(missing));
            s.counts.add(count(different));
            s.labels.add(c.label());
            anyDifference.add("(" + missing + ")");
            anyDifference.add("(" + different + ")");
        }
        s.anyDifference = String.join(" OR ", anyDifference);
        return s;
    }

    /** Ends the read's transaction when the connection has one open (the backfill's writable connection). */
    private void endRead() throws SQLException {
        Connection c = db.connection();
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private String ref(String alias, String column) {
        return alias + "." + db.ident(column);
    }

    private static String count(String condition) {
        return "count(CASE WHEN " + condition + " THEN 1 END)";
    }
}
