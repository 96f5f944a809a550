package dev.dualwrite.jdbc.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' view on real databases: shadow reads compare without the application noticing, canary
 * splits reads per transaction, and the JMX beans of the contract count what happened.
 */
class ReadFlagsAndJmxTest {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    private Path rules;
    private TestDatabase db;

    private void setUp(Engine engine, String name, String reads) throws Exception {
        db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50))");
        for (int i = 1; i <= 20; i++) {
            db.exec("INSERT INTO users VALUES (" + i + ", 'u" + i + "', 'u" + i + "')");
        }
        rules = dir.resolve(name + "-" + engine.name().toLowerCase() + ".yaml");
        Files.writeString(rules, ruleText(reads));
    }

    private static String ruleText(String reads) {
        return "version: 1\nmigrations:\n  - id: users-name\n    table: users\n    phase: migrate\n    reads: " + reads
                + "\n    columns:\n      user_name: { to: display_name }\n";
    }

    private Connection connect() throws SQLException {
        String raw = db.rawUrl();
        return DriverManager.getConnection("jdbc:dualwrite:" + raw.substring("jdbc:".length()) + "&dualwrite.rules="
                + rules, db.user(), db.password());
    }

    private long rule(String attribute) throws Exception {
        ObjectName name = new ObjectName("dev.dualwrite:type=Rule,source=" + rules.getFileName() + ",id=users-name");
        return ((Number) JMX.getAttribute(name, attribute)).longValue();
    }

    private static String name(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, user_name FROM users WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString("user_name");
            }
        }
    }

    @BothEngines
    void shadowReadsCountMismatchesWithoutTheApplicationNoticing(Engine engine) throws Exception {
        setUp(engine, "shadow", "shadow");
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("dev.dualwrite.shadow");
        log.addHandler(capture);
        try (Connection c = connect()) {
            assertEquals("u3", name(c, 3));
            assertEquals(1, rule("ShadowReads"));
            assertEquals(0, rule("ShadowMismatches"));
            // Behind the driver's back the new column drifts: the application still reads old, the shadow counts it.
            db.exec("UPDATE users SET display_name = 'drifted-secret' WHERE id = 3");
            assertEquals("u3", name(c, 3));
            assertEquals(1, rule("ShadowMismatches"));
            assertEquals(2, rule("ReadsOld"));
            String line = String.join("\n", logged);
            assertTrue(line.contains("rule=users-name") && line.contains("id=3"), line);
            assertFalse(line.contains("drifted-secret") || line.contains("u3"), "no values but keys: " + line);

            // A failing shadow read never reaches the application, not even its open transaction.
            db.exec("ALTER TABLE users DROP COLUMN display_name");
            c.setAutoCommit(false);
            assertEquals("u4", name(c, 4));
            assertEquals(1, rule("ShadowFailures"));
            assertEquals("u5", name(c, 5)); // the transaction is still usable (PostgreSQL would abort it)
            c.commit();
        } finally {
            log.removeHandler(capture);
        }
    }

    @BothEngines
    void canaryReadsOneSidePerTransactionAndConvergesToItsShare(Engine engine) throws Exception {
        setUp(engine, "canary", "canary:30");
        db.exec("UPDATE users SET display_name = concat('new-', user_name)");
        int fromNew = 0;
        int n = 400;
        try (Connection c = connect()) {
            for (int i = 0; i < n; i++) {
                fromNew += name(c, 1 + i % 20).startsWith("new-") ? 1 : 0;
            }
            // 30% of 400 is 120 with a standard deviation of 9.2: 80..160 is more than four of them.
            assertTrue(fromNew > 80 && fromNew < 160, "reads from new: " + fromNew + " of " + n);
            assertEquals(fromNew, rule("ReadsNew"));
            assertEquals(n - fromNew, rule("ReadsOld"));
            c.setAutoCommit(false);
            for (int t = 0; t < 20; t++) {
                int news = 0;
                for (int i = 0; i < 10; i++) {
                    news += name(c, 1 + i).startsWith("new-") ? 1 : 0;
                }
                assertTrue(news == 0 || news == 10, "one transaction reads one side: " + news);
                c.commit();
            }
        }
    }

    @BothEngines
    void rulesBeanShowsReloadsAndErrorsAndRuleBeansCount(Engine engine) throws Exception {
        setUp(engine, "beans", "new");
        ObjectName source = new ObjectName("dev.dualwrite:type=Rules,name=" + rules.getFileName());
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(rules.toString(), JMX.getAttribute(source, "Source"));
            assertEquals("", JMX.getAttribute(source, "LastError"));
            long version = (Long) JMX.getAttribute(source, "Version");
            st.executeUpdate("UPDATE users SET user_name = 'x' WHERE id = 1");
            assertEquals(List.of(List.of("x", "x")), db.query("SELECT user_name, display_name FROM users WHERE id = 1"),
                    "both columns written, read back with plain JDBC");
            assertEquals(1, rule("DualWrites"));
            assertEquals(1, rule("Rewritten"));
            assertEquals("x", name(c, 1));
            assertEquals(1, rule("ReadsNew"));
            try {
                st.executeQuery("SELECT user_name FROM users u NATURAL JOIN users v");
            } catch (SQLException expected) {
                assertEquals("0A000", expected.getSQLState());
            }
            assertEquals(1, rule("Rejected"));
            Path tmp = Files.createTempFile(dir, "bad", ".tmp");
            Files.writeString(tmp, "version: 1\nmigrations:\n  - id: users-name\n    table: users\n    phase: sideways\n");
            Files.move(tmp, rules, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String error = "";
            for (int i = 0; i < 40 && error.isEmpty(); i++) {
                Thread.sleep(50);
                error = (String) JMX.getAttribute(source, "LastError");
            }
            assertTrue(error.contains(":5:") && error.contains("phase"), error);
            assertEquals(version, JMX.getAttribute(source, "Version"), "the last good rules stay in force");
            assertEquals("migrate", JMX.getAttribute(new ObjectName("dev.dualwrite:type=Rule,source="
                    + rules.getFileName() + ",id=users-name"), "Phase"));
        }
    }
}
