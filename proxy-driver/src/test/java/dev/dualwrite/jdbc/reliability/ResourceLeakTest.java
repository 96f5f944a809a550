package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.DualWriteDriver;
import dev.dualwrite.jdbc.reload.RuleSources;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import dev.dualwrite.rules.RuleLoader;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of connections opened and closed through the driver, with dual writes and rule-file reloads in
 * between, leave no thread, file descriptor, JMX bean or server connection behind; the driver deregisters
 * cleanly; and a driver loaded by an application's own class loader can be garbage collected with it.
 */
class ResourceLeakTest {
    private static final int MAX_CONNECTIONS = 2000;
    private static final long MAX_MILLIS = 20_000;

    @TempDir
    Path dir;

    @BothEngines
    void connectionsAndReloadsLeakNothing(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MigratedTables.create(db);
        RuleFile rules = new RuleFile(dir, "leaks", db, MigratedTables.expand());
        for (int i = 0; i < 20; i++) { // warm up: the first connects load classes and start the watcher
            try (Connection c = rules.connect()) {
                write(c, i);
            }
        }
        Snapshot before = Snapshot.take(db);
        long version = rules.version();
        int connections = 0;
        int writes = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
        for (; connections < MAX_CONNECTIONS && System.nanoTime() < deadline; connections++) {
            try (Connection c = rules.connect()) {
                if (connections % 10 == 0) {
                    write(c, connections);
                    writes++;
                }
            }
            if (connections % 20 == 0) {
                rules.write(connections % 40 == 0 ? MigratedTables.ruleFile("migrate", "old", "migrate", "new")
                        : MigratedTables.expand());
            }
        }
        rules.reload(MigratedTables.ruleFile("migrate", "shadow", "expand", null));
        long reloads = rules.version() - version;
        Snapshot after = Snapshot.take(db);
        System.out.println("[reliability] resources " + engine + ": connections=" + connections + " dual writes=" + writes
                + " reloads applied=" + reloads + " before " + before + " after " + after);
        assertEquals(before.threads, after.threads, "the driver's threads");
        assertEquals(before.mbeans, after.mbeans, "JMX beans");
        assertEquals(before.serverConnections, after.serverConnections, "connections open on the server");
        // a little slack: the JVM and the test framework open files of their own meanwhile
        assertTrue(after.fds <= before.fds + 5, "file descriptors: " + before.fds + " -> " + after.fds);
        assertTrue(connections >= 500, "connections: " + connections);
        assertEquals(List.of(), MigratedTables.divergences(db));
    }

    @Test
    void theDriverDeregistersAndRegistersAgain() throws Exception {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length());
        Driver ours = null;
        for (Driver d : Collections.list(DriverManager.getDrivers())) {
            if (d instanceof DualWriteDriver) {
                ours = d;
            }
        }
        assertNotNull(ours, "registered by loading the class");
        DriverManager.deregisterDriver(ours);
        try {
            SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, db.user(), ""));
            assertEquals("08001", none.getSQLState(), none.toString());
        } finally {
            DriverManager.registerDriver(new DualWriteDriver(), RuleSources::shutdown); // as the driver's own loading does
        }
        try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
            assertTrue(c.isValid(5));
        }
    }

    /**
     * What an application server does on undeploy: the driver, its dependencies and pgjdbc come from the
     * application's own class loader; after closing connections, deregistering the drivers and dropping the
     * loader, the loader and the driver's generated wrapper classes must be collectable.
     */
    @Test
    void aDriverInTheApplicationsClassLoaderCanBeUnloaded() throws Exception {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        WeakReference<ClassLoader> loader = useAndDropIsolatedDriver(db, null);
        assertTrue(collected(loader), "the application's class loader was not collected (pass-through driver)");
    }

    /** The same with a rule file: the rule watcher thread and the JMX beans must not pin the loader either. */
    @Test
    void aDriverWithRulesInTheApplicationsClassLoaderCanBeUnloaded() throws Exception {
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        MigratedTables.create(db);
        Path rules = dir.resolve("isolated-" + System.nanoTime() + ".yaml");
        Files.writeString(rules, MigratedTables.expand());
        WeakReference<ClassLoader> loader = useAndDropIsolatedDriver(db, rules);
        boolean collected = collected(loader);
        System.out.println("[reliability] class loader of a driver with rules collected=" + collected
                + " watcher threads=" + threadNames());
        assertTrue(collected, "the application's class loader was not collected (driver with rules)");
    }

    private static WeakReference<ClassLoader> useAndDropIsolatedDriver(TestDatabase db, Path rules) throws Exception {
        URLClassLoader app = new URLClassLoader(isolatedClassPath(), ClassLoader.getPlatformClassLoader());
        Class<?> driverClass = Class.forName("dev.dualwrite.jdbc.DualWriteDriver", true, app);
        assertTrue(driverClass.getClassLoader() == app, "loaded in isolation");
        Driver driver = (Driver) driverClass.getDeclaredConstructor().newInstance();
        Properties props = new Properties();
        props.setProperty("user", db.user());
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length())
                + (rules == null ? "" : "&dualwrite.rules=" + rules);
        Thread.currentThread().setContextClassLoader(app);
        try (Connection c = driver.connect(url, props); Statement st = c.createStatement()) {
            assertTrue(c.getClass().getClassLoader() != ResourceLeakTest.class.getClassLoader());
            if (rules != null) {
                assertEquals(1, st.executeUpdate("UPDATE users SET user_name = 'iso' WHERE id = 1"));
            } else {
                st.executeQuery("SELECT 1").close();
            }
        } finally {
            Thread.currentThread().setContextClassLoader(ResourceLeakTest.class.getClassLoader());
        }
        if (rules != null) {
            assertEquals(List.of(), MigratedTables.divergences(db));
        }
        Object deregistered = Class.forName(Unloader.class.getName(), true, app)
                .getMethod("deregisterOwnDrivers").invoke(null);
        assertTrue(deregistered.toString().contains("DualWriteDriver"), "deregistered " + deregistered);
        app.close();
        return new WeakReference<>(app);
    }

    /** The driver, its dependencies, pgjdbc and the Unloader, each from where this JVM found it. */
    private static URL[] isolatedClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : List.of(DualWriteDriver.class, RuleLoader.class, net.sf.jsqlparser.parser.CCJSqlParser.class,
                net.bytebuddy.ByteBuddy.class, org.yaml.snakeyaml.Yaml.class,
                com.github.benmanes.caffeine.cache.Caffeine.class, picocli.CommandLine.class, org.postgresql.Driver.class,
                Unloader.class)) {
            URL u = c.getProtectionDomain().getCodeSource().getLocation();
            if (!urls.contains(u)) {
                urls.add(u);
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** Bounded: up to 50 rounds of System.gc(); true once the referent is gone. */
    private static boolean collected(WeakReference<?> ref) throws InterruptedException {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            byte[][] pressure = new byte[16][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[1 << 20];
            }
            Thread.sleep(50);
        }
        return ref.get() == null;
    }

    private static TreeMap<String, Integer> threadNames() {
        TreeMap<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.toLowerCase().contains("dualwrite") || n.contains("PostgreSQL") || n.contains("mysql")) {
                names.merge(n, 1, Integer::sum);
            }
        }
        return names;
    }

    private static void write(Connection c, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET user_name = 'leak-" + n + "' WHERE id = " + (1 + n % 10));
            st.executeUpdate("UPDATE orders SET amount = " + n + " WHERE id = " + (1 + n % 10));
        }
    }

    /** What could leak, counted. */
    private static final class Snapshot {
        final TreeMap<String, Integer> threads;
        final int mbeans;
        final long fds;
        final long serverConnections;

        private Snapshot(TreeMap<String, Integer> threads, int mbeans, long fds, long serverConnections) {
            this.threads = threads;
            this.mbeans = mbeans;
            this.fds = fds;
            this.serverConnections = serverConnections;
        }

        static Snapshot take(TestDatabase db) throws Exception {
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            int mbeans = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("dev.dualwrite:*"), null)
                    .size();
            String sql = db.engine() == Engine.POSTGRESQL
                    ? "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                    : "SELECT count(*) FROM information_schema.PROCESSLIST";
            long server = ((Number) db.query(sql).get(0).get(0)).longValue() - 1; // less the counting connection
            return new Snapshot(threadNames(), mbeans, fds, server);
        }

        @Override
        public String toString() {
            return "{threads=" + threads + ", dev.dualwrite MBeans=" + mbeans + ", fds=" + fds + ", server connections="
                    + serverConnections + "}";
        }
    }
}
