package dev.dualwrite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.jdbc.reload.RuleSources;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's user story, end to end on real databases: expand with dual writes, flip reads on
 * open pooled connections, contract with the old column dropped, a broken rule file ignored. Every
 * claim is checked with raw JDBC.
 */
class ColumnMigrationTest {
    @TempDir
    Path dir;

    private Path rules;

    private void writeRules(String phase, String reads, String columnExtra) throws Exception {
        String text = "version: 1\nmigrations:\n  - id: users-display-name\n    table: users\n    phase: " + phase
                + "\n" + (reads == null ? "" : "    reads: " + reads + "\n")
                + "    columns:\n      user_name:\n        to: display_name\n" + columnExtra;
        replace(text);
    }

    /** Write-then-rename, as editors and ConfigMaps do. */
    private void replace(String text) throws Exception {
        Path tmp = Files.createTempFile(dir, "rules", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, rules, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(1100); // the contract: seen within one second
    }

    private static String driverUrl(TestDatabase db, Path rules) {
        String raw = db.rawUrl();
        return "jdbc:dualwrite:" + raw.substring("jdbc:".length()) + (raw.contains("?") ? "&" : "?")
                + "dualwrite.rules=" + rules;
    }

    private static long count(TestDatabase db, String where) throws SQLException {
        try (Connection c = db.rawConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> names(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString("user_name"));
                }
                return out;
            }
        }
    }

    @BothEngines
    void expandMigrateContractOnPooledConnections(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), email VARCHAR(100))",
                "INSERT INTO users (id, user_name, email) VALUES (1, 'ada', 'a@x'), (2, 'bob', 'b@x')");
        rules = dir.resolve("migrations.yaml");
        writeRules("off", null, "");

        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(driverUrl(db, rules));
        cfg.setDriverClassName(DualWriteDriver.class.getName());
        cfg.setUsername(db.user());
        cfg.setPassword(db.password());
        cfg.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            // expand: the DDL passes through the driver untouched, then dual writes start
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE users ADD COLUMN display_name VARCHAR(100)");
            }
            writeRules("expand", null, "");
            try (Connection c = pool.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, user_name, email) VALUES (?, ?, ?)")) {
                    ps.setInt(1, 3);
                    ps.setString(2, "cy");
                    ps.setString(3, "c@x");
                    assertEquals(1, ps.executeUpdate());
                    for (int i = 10; i < 13; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, "batch" + i);
                        ps.setNull(3, java.sql.Types.VARCHAR);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    assertEquals(3, counts.length);
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE users SET user_name = ? WHERE id = ?")) {
                    ps.setString(1, "bobby");
                    ps.setInt(2, 2);
                    assertEquals(1, ps.executeUpdate(), "update count as without the driver");
                }
                try (Statement s = c.createStatement()) {
                    assertEquals(1, s.executeUpdate("UPDATE users SET user_name = upper(user_name) WHERE id = 3"));
                    s.executeUpdate("INSERT INTO users (id, user_name) VALUES (4, 'dee')");
                }
            }
            assertEquals("BOBBY".length(), 5);
            // rows written through the driver carry both columns; only the untouched old row 1 needs a backfill
            assertEquals(1, count(db, engine.differs("display_name", "user_name")));
            db.exec("UPDATE users SET display_name = user_name WHERE display_name IS NULL");
            assertEquals(0, count(db, engine.differs("display_name", "user_name")));
            assertEquals(1, count(db, "display_name = 'CY'"));

            // migrate with reads: new, seen by connections already open in the pool
            try (Connection held = pool.getConnection()) {
                writeRules("migrate", "new", "");
                db.exec("UPDATE users SET display_name = 'from-new' WHERE id = 1"); // tell the sides apart
                assertEquals(List.of("from-new"), names(held, "SELECT user_name FROM users WHERE id = ?", 1));
                assertEquals(List.of("from-new"), names(held,
                        "SELECT u.user_name FROM users u WHERE u.user_name = ? ORDER BY u.user_name", "from-new"));
                assertEquals(List.of("from-new"), names(held, "SELECT a.user_name FROM users a JOIN users b"
                        + " ON a.id = b.id WHERE b.user_name = 'from-new'"));
                try (Statement s = held.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT * FROM users WHERE id = 1")) {
                    assertTrue(rs.next());
                    assertEquals("user_name", rs.getMetaData().getColumnLabel(2).toLowerCase());
                    assertEquals("from-new", rs.getString("user_name"));
                }
                db.exec("UPDATE users SET display_name = user_name WHERE id = 1");
            }

            // contract: the old column goes away, the unchanged application keeps working
            writeRules("contract", null, "");
            db.exec("ALTER TABLE users DROP COLUMN user_name");
            try (Connection c = pool.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, user_name) VALUES (?, ?)")) {
                    ps.setInt(1, 20);
                    ps.setString(2, "eve");
                    assertEquals(1, ps.executeUpdate());
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE users SET user_name = ? WHERE user_name = ?")) {
                    ps.setString(1, "eva");
                    ps.setString(2, "eve");
                    assertEquals(1, ps.executeUpdate());
                }
                assertEquals(List.of("eva"), names(c, "SELECT user_name FROM users WHERE user_name = ?", "eva"));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE user_name = ?")) {
                    ps.setString(1, "dee");
                    assertEquals(1, ps.executeUpdate());
                }
            }
            try (Connection c = db.rawConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, display_name FROM users ORDER BY id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getInt(1) + "=" + rs.getString(2));
                }
                assertEquals(List.of("1=ada", "2=bobby", "3=CY", "10=batch10", "11=batch11", "12=batch12", "20=eva"),
                        rows);
            }

            // a broken file changes nothing: the error names file and line, the application sees none
            replace("version: 1\nmigrations:\n  - id: users-display-name\n    table: users\n    phase: contrct\n");
            String error = RuleSources.forLocation(rules.toString(), 250).lastError();
            assertTrue(error.contains("migrations.yaml:5"), error);
            assertTrue(error.contains("contrct"), error);
            try (Connection c = pool.getConnection()) {
                assertEquals(List.of("eva"), names(c, "SELECT user_name FROM users WHERE id = ?", 20));
            }
        }
    }

    @BothEngines
    void transformsApplyBothWaysWithParametersBoundTwice(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), display_name VARCHAR(100),"
                + " status CHAR(1), order_state VARCHAR(20))");
        rules = dir.resolve("t.yaml");
        replace("version: 1\nmigrations:\n  - id: names\n    table: users\n    phase: expand\n    columns:\n"
                + "      user_name:\n        to: display_name\n        to_new: \"lower({})\"\n        to_old: \"upper({})\"\n"
                + "      status:\n        to: order_state\n        values: { A: active, C: cancelled }\n");
        try (Connection c = java.sql.DriverManager.getConnection(driverUrl(db, rules), db.user(), db.password())) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (id, user_name, status) VALUES (?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "ADA");
                ps.setString(3, "A");
                ps.executeUpdate();
                ps.setInt(1, 2);
                ps.setString(2, "BOB");
                ps.setString(3, "X"); // not in the map: carried unchanged
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET status = ? WHERE id = ?")) {
                ps.setString(1, "C");
                ps.setInt(2, 2);
                ps.executeUpdate();
            }
        }
        assertEquals(List.of(List.of("ada", "active"), List.of("bob", "cancelled")),
                db.query("SELECT display_name, order_state FROM users ORDER BY id"));
        // reads after the flip apply to_old and the reversed map
        replace("version: 1\nmigrations:\n  - id: names\n    table: users\n    phase: migrate\n    reads: new\n"
                + "    columns:\n      user_name:\n        to: display_name\n        to_new: \"lower({})\"\n"
                + "        to_old: \"upper({})\"\n      status:\n        to: order_state\n"
                + "        values: { A: active, C: cancelled }\n");
        db.exec("UPDATE users SET user_name = NULL, status = NULL"); // the old side no longer answers
        try (Connection c = java.sql.DriverManager.getConnection(driverUrl(db, rules), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT user_name, status FROM users WHERE status = 'C'")) {
            assertTrue(rs.next());
            assertEquals("BOB", rs.getString("user_name"));
            assertEquals("C", rs.getString("status"));
            assertFalse(rs.next());
        }
    }

    @BothEngines
    void valueMapsMatchOnlyTheExactKey(Engine engine) throws Exception {
        // MySQL's usual collations take 'a' = 'A', 'A ' = 'A' and 'É' = 'é' (and 0 = 'A' as numbers): a map
        // matching that way would store 'active' for 'a' and read it back as 'A'. A latin1 column also
        // spells the non-ASCII key in bytes other than the connection's.
        TestDatabase db = Databases.fresh(engine);
        String latin1 = engine == Engine.MYSQL ? " CHARACTER SET latin1" : "";
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, tier VARCHAR(10)" + latin1 + ", tier_name VARCHAR(20)"
                + latin1 + ")");
        rules = dir.resolve("exact.yaml");
        String map = "    columns:\n      tier:\n        to: tier_name\n        values: { 'é': accented, A: active }\n";
        replace("version: 1\nmigrations:\n  - id: tiers\n    table: users\n    phase: expand\n" + map);
        List<String> written = List.of("é", "É", "a", "A", "A ", "0");
        try (Connection c = java.sql.DriverManager.getConnection(driverUrl(db, rules), db.user(), db.password())) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, tier) VALUES (?, ?)")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, written.get(i));
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO users (id, tier) VALUES (6, 0)"); // a number, assigned as text
            }
        }
        assertEquals(List.of(List.of("accented"), List.of("É"), List.of("a"), List.of("active"), List.of("A "),
                List.of("0")), db.query("SELECT tier_name FROM users ORDER BY id"));
        replace("version: 1\nmigrations:\n  - id: tiers\n    table: users\n    phase: migrate\n    reads: new\n" + map);
        db.exec("UPDATE users SET tier = NULL"); // only the new side answers
        try (Connection c = java.sql.DriverManager.getConnection(driverUrl(db, rules), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tier FROM users ORDER BY id")) {
            List<String> read = new ArrayList<>();
            while (rs.next()) {
                read.add(rs.getString(1));
            }
            assertEquals(written, read);
        }
    }

    @BothEngines
    void statementsThatCannotBeRewrittenAreRejectedWith0A000(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), display_name VARCHAR(100))");
        rules = dir.resolve("r.yaml");
        writeRules("expand", null, "");
        try (Connection c = java.sql.DriverManager.getConnection(driverUrl(db, rules), db.user(), db.password());
                Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO users VALUES (1, 'a', 'a')"));
            assertEquals("0A000", e.getSQLState());
            assertTrue(e.getMessage().contains("users-display-name"), e.getMessage());
            // nothing was half-applied
            assertEquals(List.of(List.of(0L)), normalize(db.query("SELECT count(*) FROM users")));
        }
    }

    private static List<List<Object>> normalize(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Object> n = new ArrayList<>();
            for (Object o : r) {
                n.add(o instanceof Number ? ((Number) o).longValue() : o);
            }
            out.add(n);
        }
        return out;
    }

    @BothEngines
    void wrappersKeepJdbcIdentities(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        rules = dir.resolve("w.yaml");
        writeRules("expand", null, "");
        String url = driverUrl(db, rules) + "&password=s3cret";
        try (Connection c = java.sql.DriverManager.getConnection(url, db.user(), db.password())) {
            Class<?> vendor = Class.forName(engine == Engine.POSTGRESQL ? "org.postgresql.PGConnection"
                    : "com.mysql.cj.jdbc.JdbcConnection");
            assertTrue(vendor.isInstance(c), "the wrapper implements the vendor interface");
            assertNotNull(c.unwrap(vendor));
            assertTrue(c.isWrapperFor(vendor));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(s.getConnection() == c);
                assertTrue(rs.getStatement() == s);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                ps.setInt(1, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(7, rs.getInt(1));
                    assertTrue(rs.getStatement() == ps);
                }
                assertTrue(ps.getConnection() == c);
            }
            assertTrue(c.getMetaData().getConnection() == c);
            String shown = c.getMetaData().getURL();
            assertTrue(shown.startsWith("jdbc:dualwrite:"), shown);
            assertFalse(shown.contains("s3cret"), shown);
        }
    }
}
