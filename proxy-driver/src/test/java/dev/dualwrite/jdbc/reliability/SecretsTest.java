package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import dev.dualwrite.ops.cli.DualWriteCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords given in the URL, in the user-info part of a MySQL URL and in Properties never show up in the
 * driver's log (every level), in an exception the application gets, in {@code DatabaseMetaData.getURL()},
 * in a JMX attribute or in the output of {@code status --url}, through connects, failed connects, reloads,
 * bad rule files, rejected statements and database errors.
 */
class SecretsTest {
    private static final String URL_SECRET = "UrlPw-7f3a9c";
    private static final String PROPS_SECRET = "PropPw-41d2e8";
    private static final String USERINFO_SECRET = "InfoPw-92bc11";
    private static final String USER = "dwsecret";

    @TempDir
    Path dir;

    @BothEngines
    void secretsAppearNowhere(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MigratedTables.create(db);
        createUser(db);
        RuleFile rules = new RuleFile(dir, "secrets", db, MigratedTables.expand());
        List<String> seen = new ArrayList<>();
        String urlWithSecret = withUser(rules.url(), engine) + "&password=" + URL_SECRET;
        try (LogCapture log = new LogCapture("dev.dualwrite")) {
            try (Connection c = DriverManager.getConnection(urlWithSecret)) {
                seen.add(c.getMetaData().getURL());
                seen.add(c.toString());
                exercise(c, engine, seen);
                rules.write("version: 1\nmigrations: [\n"); // a bad reload is logged with the file's content
                RuleFile.await("the bad rule file", () -> !rules.errorQuietly().isEmpty());
                exercise(c, engine, seen);
                rules.reload(MigratedTables.ruleFile("migrate", "shadow", "migrate", "shadow"));
                exercise(c, engine, seen);
            }
            Properties props = new Properties();
            props.setProperty("user", USER);
            props.setProperty("password", PROPS_SECRET);
            try (Connection c = DriverManager.getConnection(rules.url(), props)) {
                seen.add(c.getMetaData().getURL());
                exercise(c, engine, seen);
            }
            if (engine == Engine.MYSQL) { // Connector/J also takes user:password@host
                String info = rules.url().replace("//127.0.0.1", "//" + USER + ":" + USERINFO_SECRET + "@127.0.0.1");
                seen.add(message(() -> DriverManager.getConnection(info).close()));
            }
            // failed connects: a rule file that does not exist, an unknown driver property, no server
            seen.add(message(() -> DriverManager.getConnection(urlWithSecret.replace(rules.path.toString(),
                    rules.path + ".missing")).close()));
            seen.add(message(() -> DriverManager.getConnection(urlWithSecret + "&dualwrite.nope=1").close()));
            seen.add(message(() -> DriverManager.getConnection(urlWithSecret.replaceFirst(":(\\d+)/", ":1/")).close()));
            seen.addAll(jmxAttributes());
            seen.add(status(rules.path, urlWithSecret));
            seen.addAll(log.lines());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("is invalid")), "the bad reload was logged");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("dualwrite reload source=")), "reloads logged");
        }
        String all = String.join("\n", seen);
        assertTrue(all.contains("dualwrite"), "something was captured");
        for (String secret : List.of(URL_SECRET, PROPS_SECRET, USERINFO_SECRET)) {
            assertFalse(all.contains(secret), "the secret " + secret + " leaked:\n" + around(all, secret));
        }
        System.out.println("[reliability] secrets " + engine + ": captured texts=" + seen.size() + " chars="
                + all.length() + " leaks=0");
    }

    /** A good dual write, a rejected statement (0A000) and a database error, each message kept. */
    private static void exercise(Connection c, Engine engine, List<String> seen) throws SQLException {
        try (Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'x' WHERE id = 1"));
            st.executeQuery("SELECT id, user_name FROM users WHERE id = 1").close();
        }
        SQLException rejected = assertThrows(SQLException.class,
                () -> c.createStatement().executeQuery("SELECT user_name FROM users WHERE ((id = 1"));
        assertEquals("0A000", rejected.getSQLState(), rejected.toString());
        seen.add(trace(rejected));
        seen.add(trace(assertThrows(SQLException.class,
                () -> c.createStatement().executeUpdate("UPDATE users SET no_such_column = 1 WHERE id = 1"))));
    }

    private static void createUser(TestDatabase db) throws SQLException {
        if (db.engine() == Engine.POSTGRESQL) {
            db.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN"
                    + " CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PROPS_SECRET + "'; END IF; END $$");
        }
        // the embedded MariaDB runs with --skip-grant-tables: it accepts any user and password

    }

    /** The URL with the test's user, for a password to go with it. */
    private static String withUser(String url, Engine engine) {
        return url + "&user=" + USER;
    }

    interface Action {
        void run() throws Exception;
    }

    private static String message(Action a) {
        try {
            a.run();
            return "";
        } catch (SQLException e) {
            return trace(e);
        } catch (Exception e) {
            throw new AssertionError("only SQLExceptions may reach the application", e);
        }
    }

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static List<String> jmxAttributes() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        List<String> out = new ArrayList<>();
        for (ObjectName name : jmx.queryNames(new ObjectName("dev.dualwrite:*"), null)) {
            out.add(name.toString());
            for (MBeanAttributeInfo a : jmx.getMBeanInfo(name).getAttributes()) {
                out.add(a.getName() + "=" + jmx.getAttribute(name, a.getName()));
            }
        }
        return out;
    }

    private static String status(Path rules, String url) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DualWriteCli.execute(new PrintWriter(out), new PrintWriter(err), "status", rules.toString(),
                "--url", url);
        return "exit " + code + "\n" + out + "\n" + err;
    }

    private static String around(String all, String secret) {
        int i = all.indexOf(secret);
        return all.substring(Math.max(0, i - 300), Math.min(all.length(), i + 100));
    }
}
