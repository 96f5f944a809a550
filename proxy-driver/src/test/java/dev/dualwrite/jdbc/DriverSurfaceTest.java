package dev.dualwrite.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverSurfaceTest {
    @TempDir
    Path dir;

    @Test
    void urlLosesOnlyTheDualwritePrefixAndProperties() throws Exception {
        JdbcUrl u = JdbcUrl.parse("jdbc:dualwrite:postgresql://db:5432/app?ssl=false&dualwrite.rules=%2Fetc%2Fr.yaml"
                + "&ApplicationName=x");
        assertEquals("jdbc:postgresql://db:5432/app?ssl=false&ApplicationName=x", u.realUrl);
        assertEquals("/etc/r.yaml", u.dualwrite.getProperty("dualwrite.rules"));
        SQLException e = assertThrows(SQLException.class,
                () -> JdbcUrl.parse("jdbc:dualwrite:mysql://db/app?dualwrite.rulez=x"));
        assertTrue(e.getMessage().contains("unknown property dualwrite.rulez"), e.getMessage());
        assertTrue(new DualWriteDriver().acceptsURL("jdbc:dualwrite:postgresql://x/y"));
        assertFalse(new DualWriteDriver().acceptsURL("jdbc:postgresql://x/y"));
    }

    @Test
    void secretsNeverShow() {
        String s = JdbcUrl.scrub("jdbc:dualwrite:mysql://app:hunter2@db/x?user=a&password=hunter2&sslpassword=p");
        assertFalse(s.contains("hunter2") || s.contains("=p"), s);
        assertTrue(s.contains("user=a"), s);
    }

    @Test
    void propertyInfoListsOursFirstThenTheRealDriversOwn() throws Exception {
        DriverPropertyInfo[] info = new DualWriteDriver().getPropertyInfo("jdbc:dualwrite:postgresql://h/db", null);
        for (int i = 0; i < DriverProperty.values().length; i++) {
            assertEquals(DriverProperty.values()[i].key(), info[i].name);
            assertFalse(info[i].description.isEmpty());
        }
        assertTrue(info.length > DriverProperty.values().length + 5, "pgjdbc's own properties follow");
    }

    @Test
    void noRulesAnywhereMeansPassThrough() throws Exception {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        try (Connection c = DriverManager.getConnection("jdbc:dualwrite:" + db.rawUrl().substring(5), db.user(),
                db.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id INT, user_name TEXT)");
            assertEquals(1, s.executeUpdate("INSERT INTO users VALUES (1, 'a')"));
        }
        assertEquals(List.of(List.of(1, "a")), db.query("SELECT id, user_name FROM users"));
    }

    @Test
    void missingRuleFileRefusesTheConnectionWithTheReason() {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:dualwrite:"
                + db.rawUrl().substring(5) + "&dualwrite.rules=" + dir.resolve("nope.yaml"), db.user(), db.password()));
        assertTrue(e.getMessage().contains("nope.yaml: does not exist"), e.getMessage());
    }

    @BothEngines
    void dataSourceWrapsAnExistingPool(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50))");
        Path rules = dir.resolve("ds.yaml");
        Files.writeString(rules, "version: 1\nmigrations:\n  - id: u\n    table: users\n    phase: expand\n"
                + "    columns:\n      user_name:\n        to: display_name\n");
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(db.rawUrl());
        cfg.setUsername(db.user());
        cfg.setPassword(db.password());
        cfg.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            DualWriteDataSource ds = new DualWriteDataSource(pool, rules.toString());
            for (int i = 1; i <= 2; i++) { // the second round reuses the pooled connection
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO users (id, user_name) VALUES (" + i + ", 'n" + i + "')");
                }
            }
        }
        assertEquals(List.of(List.of("n1", "n1"), List.of("n2", "n2")),
                db.query("SELECT user_name, display_name FROM users ORDER BY id"));
    }
}
