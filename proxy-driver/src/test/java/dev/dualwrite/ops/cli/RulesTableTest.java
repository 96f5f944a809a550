package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.jdbc.DualWriteDataSource;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules kept in a database table: published and flipped with the command line, every change a new row of
 * the audit log, read and watched by the driver, which keeps its last good rules when a version is invalid,
 * tampered with or unreachable. Real databases, both engines; data checked with raw JDBC.
 */
class RulesTableTest {
    private static final Pattern HISTORY = Pattern.compile("dualwrite history version=(\\d+) at=\\S+ by=(\\S+)"
            + " previous_sha256=(\\S+) sha256=(\\S+) reason=(.*)");

    @TempDir
    Path dir;

    static String rules(String phase, String reads) {
        return "version: 1\nmigrations:\n  - id: users-names\n    table: users\n    phase: " + phase + "\n"
                + (reads == null ? "" : "    reads: " + reads + "\n")
                + "    columns:\n      user_name: { to: display_name }\n";
    }

    private static TestDatabase users(Engine engine) throws SQLException {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), display_name VARCHAR(100))",
                "INSERT INTO users VALUES (1, 'ann', 'ann'), (2, 'ben', 'ben')");
        return db;
    }

    private static String[] database(TestDatabase db) {
        List<String> a = new ArrayList<>(List.of("--url", db.rawUrl(), "--user", db.user()));
        if (db.password() != null && !db.password().isEmpty()) {
            a.addAll(List.of("--password", db.password()));
        }
        return a.toArray(new String[0]);
    }

    private static CliRun cli(TestDatabase db, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(database(db)));
        return CliRun.of(all.toArray(new String[0]));
    }

    private static Connection driver(TestDatabase db, String table) throws SQLException {
        return DriverManager.getConnection("jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length())
                + "&dualwrite.rules=" + table + "&dualwrite.reloadIntervalMillis=100", db.user(), db.password());
    }

    private static Object jmx(String table, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(
                new ObjectName("dev.dualwrite:type=Rules,name=" + ObjectName.quote(table)), attribute);
    }

    private static long version(String table) throws Exception {
        return ((Number) jmx(table, "Version")).longValue();
    }

    private static String lastError(String table) throws Exception {
        return (String) jmx(table, "LastError");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls for at most 10 s. */
    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String sha256(String text) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%064x", new BigInteger(1, d));
    }

    private static String name(TestDatabase db, String id) throws SQLException {
        return String.valueOf(db.query("SELECT display_name FROM users WHERE id = " + id).get(0).get(0));
    }

    private static String read(Connection c, int id) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT user_name FROM users WHERE id = " + id)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static List<Matcher> history(TestDatabase db, String table) {
        CliRun run = cli(db, "history", table);
        assertEquals(0, run.exitCode, run::toString);
        List<Matcher> out = new ArrayList<>();
        for (String line : run.out.split("\n")) {
            Matcher m = HISTORY.matcher(line);
            assertTrue(m.matches(), line);
            out.add(m);
        }
        return out;
    }

    private static void insertRow(TestDatabase db, String table, long version, String document, String sha)
            throws SQLException {
        try (Connection c = db.rawConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + table.substring("table:".length()) + " (version, published_at, published_by, previous_sha256, sha256,"
                + " reason, document) VALUES (?, CURRENT_TIMESTAMP, 'by-hand', NULL, ?, 'edited by hand', ?)")) {
            ps.setLong(1, version);
            ps.setString(2, sha);
            ps.setString(3, document);
            ps.executeUpdate();
        }
    }

    @BothEngines
    void publishFlipAndHistoryDriveEveryConnection(Engine engine) throws Exception {
        TestDatabase db = users(engine);
        String table = "table:rules_flow_" + engine.name().toLowerCase();

        // no table yet: the driver refuses to start without rules, and says what to do
        SQLException missing = assertThrows(SQLException.class, () -> driver(db, table));
        assertEquals("08001", missing.getSQLState(), missing::toString);
        assertTrue(missing.getMessage().contains("publish"), missing.getMessage());

        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("expand", null));
        CliRun run = cli(db, "publish", file.toString(), "--to", table, "--by", "alice", "--reason", "start the rename");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals("dualwrite publish file=" + file + " table=" + table + " version=1 sha256="
                + sha256(rules("expand", null)) + "\n", run.out);
        run = cli(db, "publish", file.toString(), "--to", table);
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.contains(" unchanged "), run::toString);

        try (Connection app = driver(db, table); Statement st = app.createStatement()) {
            assertEquals(1, version(table));
            assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'anna' WHERE id = 1"));
            assertEquals("anna", name(db, "1"), "expand dual-writes the new column");

            run = cli(db, "flip", table, "--migration", "users-names", "--phase", "migrate", "--reads", "new",
                    "--by", "bob", "--reason", "reads to new");
            assertEquals(0, run.exitCode, run::toString);
            assertTrue(run.out.startsWith("dualwrite flip rule=users-names phase=expand->migrate reads=old->new table="
                    + table + " version=2 sha256="), run.out);
            db.exec("UPDATE users SET display_name = 'from-new' WHERE id = 2"); // differs on purpose
            await("version 2 in force", () -> version(table) == 2);
            assertEquals("from-new", read(app, 2), "reads come from the new column");

            // the audit log: newest first, who and why, each version chained to the one before
            List<Matcher> h = history(db, table);
            assertEquals(2, h.size());
            assertEquals("2", h.get(0).group(1));
            assertEquals("bob", h.get(0).group(2));
            assertEquals("\"reads to new\"", h.get(0).group(5));
            assertEquals("alice", h.get(1).group(2));
            assertEquals("none", h.get(1).group(3));
            assertEquals(h.get(1).group(4), h.get(0).group(3), "previous_sha256 is the sha256 of version 1");
            assertEquals(sha256(rules("expand", null)), h.get(1).group(4));

            // status reads the table too, and finds the row made to differ above
            run = cli(db, "status", table);
            assertEquals(1, run.exitCode, run::toString);
            assertTrue(run.out.startsWith(table + " version 2: 1 migration\n"), run.out);
            assertTrue(run.out.contains("1 different"), run.out);

            // invalid documents and unsafe steps never become a version
            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, "version: 1\nmigrations:\n  - id: users-names\n    table: users\n    phase: sideways\n");
            run = cli(db, "publish", bad.toString(), "--to", table);
            assertEquals(1, run.exitCode, run::toString);
            assertTrue(run.err.contains("sideways"), run.err);
            Path removes = dir.resolve("removes.yaml");
            Files.writeString(removes, "version: 1\nmigrations: []\n");
            run = cli(db, "publish", removes.toString(), "--to", table);
            assertNotEquals(0, run.exitCode, run::toString);
            assertTrue(run.err.contains("removes it"), run.err);
            run = cli(db, "flip", table, "--migration", "users-names", "--phase", "expand", "--reads", "new");
            assertNotEquals(0, run.exitCode, "reads new in expand is unsafe: " + run);
            assertTrue(run.err.contains("only used in phase migrate"), run.err);
            assertEquals(2, history(db, table).size());

            // a version written by hand that is invalid: the driver keeps version 2 and says why
            String sideways = rules("sideways", null);
            insertRow(db, table, 3, sideways, sha256(sideways));
            await("the invalid version reported", () -> lastError(table).contains("version 3"));
            assertEquals(2, version(table));
            assertEquals("from-new", read(app, 2));
            assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'benno' WHERE id = 2"));
            assertEquals("benno", name(db, "2"), "still dual-writing under version 2");

            // publish steps over it; a row changed after it was published is refused by the driver
            Files.writeString(file, rules("migrate", "old"));
            run = cli(db, "publish", file.toString(), "--to", table, "--force", "--reason", "back to old reads");
            assertEquals(0, run.exitCode, run::toString);
            await("version 4 in force", () -> version(table) == 4 && lastError(table).isEmpty());
            String tampered = rules("contract", null);
            insertRow(db, table, 5, tampered, sha256(rules("migrate", "new")));
            await("the tampered version reported", () -> lastError(table).contains("does not match its sha256"));
            assertEquals(4, version(table));
            run = cli(db, "flip", table, "--migration", "users-names", "--reads", "new");
            assertEquals(1, run.exitCode, "the command line refuses to build on a tampered row: " + run);
            assertTrue(run.err.contains("sha256"), run.err);
        }
    }

    @BothEngines
    void anUnreachableTableKeepsTheLastGoodRulesAndSaysSo(Engine engine) throws Exception {
        TestDatabase db = users(engine);
        String table = "table:rules_gone_" + engine.name().toLowerCase();
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("expand", null));
        assertEquals(0, cli(db, "publish", file.toString(), "--to", table).exitCode);
        String t = table.substring("table:".length());
        try (Connection app = driver(db, table); Statement st = app.createStatement()) {
            db.exec("ALTER TABLE " + t + " RENAME TO " + t + "_away");
            await("the source reported unreachable", () -> lastError(table).contains("cannot be read since"));
            assertTrue(lastError(table).contains("the rules of version 1 stay in force"), lastError(table));
            assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'ann2' WHERE id = 1"));
            assertEquals("ann2", name(db, "1"), "the last good rules still dual-write");
            try (Connection another = driver(db, table)) {
                // an open source is shared: a new connection runs on the same last good rules
                assertEquals(1, another.createStatement().executeUpdate("UPDATE users SET user_name = 'ann3' WHERE id = 1"));
                assertEquals("ann3", name(db, "1"));
            }
            db.exec("ALTER TABLE " + t + "_away RENAME TO " + t);
            await("the source readable again", () -> lastError(table).isEmpty());
        }
    }

    @BothEngines
    void aDataSourceBorrowsItsPoolsConnectionsToReadTheTable(Engine engine) throws Exception {
        TestDatabase db = users(engine);
        String table = "table:rules_pool_" + engine.name().toLowerCase();
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("expand", null));
        assertEquals(0, cli(db, "publish", file.toString(), "--to", table).exitCode);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.rawUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            DualWriteDataSource ds = new DualWriteDataSource(pool, table);
            ds.setProperty("dualwrite.reloadIntervalMillis", "100");
            try (Connection app = ds.getConnection(); Statement st = app.createStatement()) {
                assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'pooled' WHERE id = 1"));
                assertEquals("pooled", name(db, "1"));
                assertEquals(0, cli(db, "flip", table, "--migration", "users-names", "--phase", "migrate",
                        "--reads", "new").exitCode);
                db.exec("UPDATE users SET display_name = 'new-side' WHERE id = 2");
                await("version 2 through the pool", () -> read(app, 2).equals("new-side"));
            }
            BooleanSupplier returned = () -> pool.getHikariPoolMXBean().getActiveConnections() == 0;
            await("every borrowed connection returned", returned::getAsBoolean);
        }
    }
}
