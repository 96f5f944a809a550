package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.jdbc.ops.Stats;
import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rules.Migration;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a shadow pair: the application's read as it would run (old side) and the same read against the
 * new side, on the application's connection (its transaction and snapshot), compared as multisets of
 * rows. It runs before the application's own read, with statements of its own, inside a savepoint when
 * a transaction is open, so that nothing it does reaches the application: not a result, not a warning,
 * not an aborted transaction, not an open cursor.
 */
final class Shadow {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.shadow");
    /** Larger results are not compared (the pair would cost too much memory). */
    static final int MAX_ROWS = 10_000;
    static final int TIMEOUT_SECONDS = 5;

    private Shadow() {
    }

    static void compare(Connection raw, Dialect dialect, Rewrite old, Rewrite fresh, ParameterLog params,
            List<Migration> shadowed, Stats stats, Catalog catalog) {
        Savepoint savepoint = null;
        try {
            if (!raw.getAutoCommit()) {
                savepoint = raw.setSavepoint();
            }
            long t0 = System.nanoTime();
            Result a = run(raw, old, params);
            long t1 = System.nanoTime();
            Result b = run(raw, fresh, params);
            long t2 = System.nanoTime();
            if (savepoint != null) {
                raw.releaseSavepoint(savepoint);
            }
            if (a == null || b == null) {
                return; // too many rows to compare
            }
            boolean mismatch = !a.sameRows(b);
            for (Migration m : shadowed) {
                stats.rule(m.id()).shadowCompared(mismatch, t1 - t0, t2 - t1);
                if (mismatch) {
                    LOG.log(Level.WARNING, a.describeDifference(b, m, keyOf(m, dialect, catalog)));
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (Migration m : shadowed) {
                stats.rule(m.id()).shadowFailed();
            }
            if (savepoint != null) {
                try {
                    raw.rollback(savepoint);
                } catch (SQLException ignored) {
                    // the transaction is the application's; nothing more to undo
                }
            }
            LOG.log(Level.DEBUG, "dualwrite: shadow read failed (the application's read is not affected): " + e);
        }
    }

    /** The key columns to name in a mismatch report: the rule's, else the old table's primary key. */
    private static List<String> keyOf(Migration m, Dialect d, Catalog catalog) {
        if (!m.key().isEmpty()) {
            return m.key();
        }
        String schema = m.table().schema() == null ? null : d.canonical(m.table().schema());
        List<String> pk = catalog.primaryKey(schema, d.canonical(m.table().name()));
        return pk == null ? List.of() : pk;
    }

    private static Result run(Connection raw, Rewrite plan, ParameterLog params) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement(plan.sql())) {
            if (params != null) {
                params.bind(ps, plan.parameterMap());
            }
            ps.setQueryTimeout(TIMEOUT_SECONDS);
            ps.setMaxRows(MAX_ROWS + 1);
            try (ResultSet rs = ps.executeQuery()) {
                return Result.read(rs);
            }
        }
    }

    /** A result: labels and rows (values as strings), or null when it exceeded {@link #MAX_ROWS}. */
    private static final class Result {
        final List<String> labels;
        final Map<List<String>, Integer> rows;

        private Result(List<String> labels, Map<List<String>, Integer> rows) {
            this.labels = labels;
            this.rows = rows;
        }

        static Result read(ResultSet rs) throws SQLException {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                labels.add(md.getColumnLabel(i));
            }
            Map<List<String>, Integer> rows = new HashMap<>();
            int count = 0;
            while (rs.next()) {
                if (++count > MAX_ROWS) {
                    return null;
                }
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v == null ? null : v instanceof byte[] ? java.util.Arrays.toString((byte[]) v)
                            : v.toString());
                }
                rows.merge(row, 1, Integer::sum);
            }
            return new Result(labels, rows);
        }

        boolean sameRows(Result other) {
            return labels.size() == other.labels.size() && rows.equals(other.rows);
        }

        /** Rule id, counts, the columns whose values differ and the keys of differing rows; no other values. */
        String describeDifference(Result other, Migration m, List<String> key) {
            List<List<String>> onlyOld = minus(rows, other.rows);
            List<List<String>> onlyNew = minus(other.rows, rows);
            List<String> columns = new ArrayList<>();
            for (int c = 0; c < labels.size() && c < other.labels.size(); c++) {
                if (!column(onlyOld, c).equals(column(onlyNew, c))) {
                    columns.add(labels.get(c));
                }
            }
            List<String> keys = new ArrayList<>();
            for (int c = 0; c < labels.size(); c++) {
                for (String k : key) {
                    if (labels.get(c).equalsIgnoreCase(k)) {
                        for (List<String> row : onlyOld) {
                            if (keys.size() < 10) {
                                keys.add(labels.get(c) + "=" + row.get(c));
                            }
                        }
                    }
                }
            }
            return "dualwrite shadow mismatch rule=" + m.id() + " rows_only_old=" + onlyOld.size() + " rows_only_new="
                    + onlyNew.size() + " columns=" + columns + " keys=" + keys;
        }

        private static List<List<String>> minus(Map<List<String>, Integer> a, Map<List<String>, Integer> b) {
            List<List<String>> out = new ArrayList<>();
            for (Map.Entry<List<String>, Integer> e : a.entrySet()) {
                int extra = e.getValue() - b.getOrDefault(e.getKey(), 0);
                for (int i = 0; i < extra; i++) {
                    out.add(e.getKey());
                }
            }
            return out;
        }

        private static List<String> column(List<List<String>> rows, int c) {
            List<String> values = new ArrayList<>();
            for (List<String> r : rows) {
                values.add(String.valueOf(r.get(c)).toLowerCase(Locale.ROOT));
            }
            values.sort(null);
            return values;
        }
    }
}
