package dev.dualwrite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The -all jar works in an application that has its own, different JSqlParser: both load side by side in
 * one class loader, and the driver rewrites with its relocated copy.
 */
class ShadedJarIT {
    @TempDir
    Path dir;

    @Test
    void allJarLoadsBesideAnotherJSqlParser() throws Exception {
        Path all = Path.of(System.getProperty("dualwrite.allJar"));
        Path libs = Path.of(System.getProperty("dualwrite.itLibs"));
        assertTrue(Files.isRegularFile(all), all + " was built");
        URL[] cp = {all.toUri().toURL(), libs.resolve("jsqlparser.jar").toUri().toURL(),
                libs.resolve("postgresql.jar").toUri().toURL()};
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name TEXT, display_name TEXT)");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "version: 1\nmigrations:\n  - id: u\n    table: users\n    phase: expand\n"
                + "    columns:\n      user_name:\n        to: display_name\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader app = new URLClassLoader(cp, ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(app);
            // the application's own JSqlParser is the old one, untouched by ours
            Class<?> theirs = app.loadClass("net.sf.jsqlparser.parser.CCJSqlParserUtil");
            assertTrue(theirs.getProtectionDomain().getCodeSource().getLocation().toString().endsWith("jsqlparser.jar"));
            app.loadClass("dev.dualwrite.shaded.jsqlparser.parser.CCJSqlParserUtil");
            Driver driver = (Driver) app.loadClass("dev.dualwrite.jdbc.DualWriteDriver").getConstructor().newInstance();
            Properties props = new Properties();
            props.setProperty("user", db.user());
            props.setProperty("password", db.password());
            String url = "jdbc:dualwrite:" + db.rawUrl().substring(5) + "&dualwrite.rules=" + rules;
            try (Connection c = driver.connect(url, props); Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO users (id, user_name) VALUES (1, 'ada')"));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertEquals(List.of(List.of("ada", "ada")), db.query("SELECT user_name, display_name FROM users"));
        try (Connection c = db.rawConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }
}
