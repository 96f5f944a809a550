package dev.dualwrite.jdbc.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The servers of the {@code testcontainers} Maven profile: real MySQL and a newer PostgreSQL in Docker,
 * one container per engine per JVM (Testcontainers' Ryuk removes them at exit), a schema or database
 * per test as with the embedded servers. Never used by the default build, which needs no Docker.
 */
final class ContainerServers {
    private ContainerServers() {
    }

    static Databases.Server postgres() {
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(DockerImageName.parse(
                System.getProperty("dualwrite.test.postgres.image", "postgres:17-alpine"))
                .asCompatibleSubstituteFor("postgres"));
        c.start();
        String admin = c.getJdbcUrl();
        return name -> {
            exec(admin, c.getUsername(), c.getPassword(), "CREATE SCHEMA " + name);
            return new TestDatabase(Engine.POSTGRESQL, name, admin + (admin.contains("?") ? "&" : "?")
                    + "currentSchema=" + name, c.getUsername(), c.getPassword());
        };
    }

    static Databases.Server mysql() {
        MySQLContainer<?> c = new MySQLContainer<>(DockerImageName.parse(
                System.getProperty("dualwrite.test.mysql.image", "mysql:8.4")).asCompatibleSubstituteFor("mysql"))
                .withUsername("root").withPassword("test");
        c.start();
        String base = "jdbc:mysql://" + c.getHost() + ":" + c.getMappedPort(3306) + "/";
        String params = "sslMode=DISABLED&allowPublicKeyRetrieval=true";
        return name -> {
            exec(base + "?" + params, "root", "test", "CREATE DATABASE " + name);
            return new TestDatabase(Engine.MYSQL, name, base + name + "?" + params, "root", "test");
        };
    }

    private static void exec(String url, String user, String password, String sql) throws SQLException {
        try (Connection conn = DriverManager.getConnection(url, user, password); Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
