package dev.dualwrite.jdbc.differential;

import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The differential harness: runs a statement through the driver against a migrated schema and with
 * raw JDBC against a control schema that was never migrated, then compares what the application saw
 * (update counts, rows and labels, generated keys, batch results, errors) and the data left behind.
 * Every statement runs in a transaction that is rolled back, so each starts from the same seed.
 */
final class Differential implements AutoCloseable {

    /** The migration states the harness checks; the rule file follows from it. */
    enum Phase {
        EXPAND("expand", "old"), MIGRATE_NEW("migrate", "new"), CONTRACT("contract", null);

        final String phase;
        final String reads;

        Phase(String phase, String reads) {
            this.phase = phase;
            this.reads = reads;
        }
    }

    /** What happened to one statement. */
    enum Verdict {
        HANDLED, REJECTED, BOTH_FAILED
    }

    static final class Outcome {
        final Verdict verdict;
        /** Null when driver and control agree; otherwise what differed. */
        final String mismatch;
        final String detail;

        Outcome(Verdict verdict, String mismatch, String detail) {
            this.verdict = verdict;
            this.mismatch = mismatch;
            this.detail = detail;
        }

        @Override
        public String toString() {
            return verdict + (mismatch == null ? "" : " MISMATCH " + mismatch) + (detail == null ? "" : " (" + detail + ")");
        }
    }

    final Engine engine;
    final Phase phase;
    private final Fixture fixture;
    private final TestDatabase migrated;
    private final TestDatabase control;
    private final Connection driver;
    private final Connection raw;
    private final Connection check;
    private final List<List<String>> seed;

    Differential(Engine engine, Phase phase, Path dir) throws Exception {
        this(engine, phase, dir, new ColumnFixture());
    }

    Differential(Engine engine, Phase phase, Path dir, Fixture fixture) throws Exception {
        this.engine = engine;
        this.phase = phase;
        this.fixture = fixture;
        this.migrated = Databases.fresh(engine);
        this.control = Databases.fresh(engine);
        control.exec(fixture.schema(engine, phase, false).toArray(new String[0]));
        migrated.exec(fixture.schema(engine, phase, true).toArray(new String[0]));
        Path rules = Files.createTempFile(dir, "rules-" + engine + "-" + phase, ".yaml");
        Files.writeString(rules, fixture.ruleFile(phase));
        String extra = engine == Engine.MYSQL ? "&allowMultiQueries=true" : "";
        String url = migrated.rawUrl() + extra;
        driver = DriverManager.getConnection("jdbc:dualwrite:" + url.substring("jdbc:".length())
                + "&dualwrite.rules=" + rules, migrated.user(), migrated.password());
        raw = DriverManager.getConnection(control.rawUrl() + extra, control.user(), control.password());
        check = DriverManager.getConnection(migrated.rawUrl(), migrated.user(), migrated.password());
        driver.setAutoCommit(false);
        raw.setAutoCommit(false);
        seed = state(check, fixture.migratedState(engine, phase));
    }

    /** Runs one statement on both sides and compares; always leaves both sides as seeded. */
    Outcome run(String sqlTemplate, Corpus.Mode mode, List<List<Object>> params) throws SQLException {
        if (fixture.identityTable() != null && sqlTemplate.matches("(?is).*\\b(insert|replace)\\b.*")) {
            resetIdentity();
        }
        try {
            Result expected = execute(raw, sqlTemplate.replace("${schema}", control.schema()), mode, params);
            Result actual = execute(driver, sqlTemplate.replace("${schema}", migrated.schema()), mode, params);
            // A failed statement has no effect on either engine (and aborts a PostgreSQL transaction).
            if (actual.error != null) {
                driver.rollback();
            }
            if (expected.error != null) {
                raw.rollback();
            }
            String invariant = phase == Phase.CONTRACT ? null : fixture.violation(engine, phase, sql -> rows(driver, sql));
            String state = invariant != null ? invariant : stateDifference(actual.error != null);
            if (actual.error != null && "0A000".equals(actual.error.getSQLState()) && expected.error == null) {
                return new Outcome(Verdict.REJECTED, state, actual.error.getMessage());
            }
            if (expected.error != null) {
                String mismatch = actual.error == null ? "control failed (" + expected.error.getMessage()
                        + ") but the driver succeeded: " + actual : state;
                return new Outcome(Verdict.BOTH_FAILED, mismatch, expected.error.getMessage());
            }
            if (actual.error != null) {
                return new Outcome(Verdict.HANDLED, "driver failed: " + actual.error.getSQLState() + " "
                        + actual.error.getMessage(), null);
            }
            String diff = expected.difference(actual, fixture.addedLabels());
            return new Outcome(Verdict.HANDLED, diff != null ? diff : state, null);
        } finally {
            driver.rollback();
            raw.rollback();
        }
    }

    private void resetIdentity() throws SQLException {
        for (Connection c : List.of(check, raw)) {
            try (Statement st = c.createStatement()) {
                st.execute(engine == Engine.POSTGRESQL
                        ? "SELECT setval(pg_get_serial_sequence('" + fixture.identityTable() + "', 'id'), 1000, false)"
                        : "ALTER TABLE " + fixture.identityTable() + " AUTO_INCREMENT = 1000");
            }
        }
        raw.commit();
    }

    // --- executing ---------------------------------------------------------------------------------

    /** Everything the application can observe from one execution. */
    static final class Result {
        final List<Object> parts = new ArrayList<>();
        SQLException error;

        String difference(Result actual, Set<String> added) {
            if (parts.size() != actual.parts.size()) {
                return "results: expected " + parts + " but got " + actual.parts;
            }
            for (int i = 0; i < parts.size(); i++) {
                Object e = parts.get(i);
                Object a = actual.parts.get(i);
                if (e instanceof Rows && a instanceof Rows) {
                    String d = ((Rows) e).difference((Rows) a, added);
                    if (d != null) {
                        return "result " + (i + 1) + ": " + d;
                    }
                } else if (!Objects.equals(e, a)) {
                    return "result " + (i + 1) + ": expected " + e + " but got " + a;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return error != null ? "error " + error.getSQLState() + " " + error.getMessage() : parts.toString();
        }
    }

    /** A result set: labels and rows (values normalised to strings), compared as a multiset. */
    static final class Rows {
        final String kind;
        final List<String> labels;
        final List<List<String>> rows;

        Rows(String kind, ResultSet rs) throws SQLException {
            this.kind = kind;
            ResultSetMetaData md = rs.getMetaData();
            labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= labels.size(); i++) {
                    row.add(normalise(rs.getObject(i)));
                }
                rows.add(row);
            }
            rows.sort(Differential::compareRows);
        }

        /** Contract 4.2: the application's columns first, under its labels; added columns may follow. */
        String difference(Rows actual, Set<String> added) {
            if (!kind.equals(actual.kind)) {
                return "expected " + kind + " but got " + actual.kind;
            }
            int n = labels.size();
            if (actual.labels.size() < n || !actual.labels.subList(0, n).equals(labels)
                    || !added.containsAll(actual.labels.subList(n, actual.labels.size()))) {
                return kind + " labels: expected " + labels + " but got " + actual.labels;
            }
            List<List<String>> got = new ArrayList<>();
            for (List<String> r : actual.rows) {
                got.add(r.subList(0, n));
            }
            got.sort(Differential::compareRows);
            return rows.equals(got) ? null : kind + " rows: expected " + rows + " but got " + got;
        }

        @Override
        public String toString() {
            return kind + labels + rows;
        }
    }

    private static Result execute(Connection c, String sql, Corpus.Mode mode, List<List<Object>> params) {
        Result r = new Result();
        try {
            switch (mode) {
                case STMT:
                    try (Statement st = c.createStatement()) {
                        collect(st, st.execute(sql), r);
                    }
                    break;
                case PREP:
                case CALL:
                    try (PreparedStatement ps = mode == Corpus.Mode.CALL ? c.prepareCall(sql) : c.prepareStatement(sql)) {
                        bind(ps, params.isEmpty() ? List.of() : params.get(0));
                        collect(ps, ps.execute(), r);
                    }
                    break;
                case KEYS:
                    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                        bind(ps, params.isEmpty() ? List.of() : params.get(0));
                        r.parts.add("count " + ps.executeUpdate());
                        try (ResultSet keys = ps.getGeneratedKeys()) {
                            r.parts.add(new Rows("keys", keys));
                        }
                    }
                    break;
                case BATCH:
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (List<Object> row : params) {
                            bind(ps, row);
                            ps.addBatch();
                        }
                        r.parts.add("batch " + Arrays.toString(ps.executeBatch()));
                    }
                    break;
                default:
                    throw new IllegalArgumentException(mode.toString());
            }
        } catch (SQLException e) {
            r.error = e;
        }
        return r;
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (v instanceof Integer) {
                ps.setInt(i + 1, (Integer) v);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    private static void collect(Statement st, boolean isResultSet, Result r) throws SQLException {
        while (true) {
            if (isResultSet) {
                try (ResultSet rs = st.getResultSet()) {
                    r.parts.add(new Rows("rows", rs));
                }
            } else {
                int count = st.getUpdateCount();
                if (count == -1) {
                    return;
                }
                r.parts.add("count " + count);
            }
            isResultSet = st.getMoreResults();
        }
    }

    // --- state ---------------------------------------------------------------------------------------

    private static List<List<String>> state(Connection c, List<String> queries) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        for (String q : queries) {
            out.addAll(rows(c, q));
            out.add(List.of("--"));
        }
        return out;
    }

    /**
     * Compares the data the statement left behind (read inside the driver's own transaction with raw SQL
     * on the unwrapped connection). A rejected statement must have left the seed untouched.
     */
    private String stateDifference(boolean driverFailed) throws SQLException {
        List<List<String>> actual = state(driver, fixture.migratedState(engine, phase));
        List<List<String>> expected = driverFailed ? seed : state(raw, fixture.controlState());
        return actual.equals(expected) ? null : "data: expected " + expected + " but the migrated side holds " + actual;
    }

    private static List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (Statement st = unwrapped(c).createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(normalise(rs.getObject(i)));
                }
                out.add(row);
            }
            out.sort(Differential::compareRows);
            return out;
        } catch (SQLException e) {
            throw new SQLException("harness query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The vendor connection under ours (by its concrete class, which no wrapper of ours implements). */
    private static Connection unwrapped(Connection c) throws SQLException {
        for (String cls : List.of("org.postgresql.jdbc.PgConnection", "com.mysql.cj.jdbc.ConnectionImpl")) {
            try {
                Class<? extends Connection> k = Class.forName(cls).asSubclass(Connection.class);
                if (c.isWrapperFor(k)) {
                    return c.unwrap(k);
                }
            } catch (ClassNotFoundException e) {
                // not on the test class path
            }
        }
        return c;
    }

    static String normalise(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[]) {
            StringBuilder sb = new StringBuilder("0x");
            for (byte b : (byte[]) v) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        }
        return v.toString();
    }

    static int compareRows(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public void close() throws SQLException {
        driver.close();
        raw.close();
        check.close();
    }
}
