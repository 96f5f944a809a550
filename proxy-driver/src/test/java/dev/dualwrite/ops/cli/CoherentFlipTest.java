package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.DualWriteDriver;
import dev.dualwrite.jdbc.reload.InstanceProbe;
import dev.dualwrite.jdbc.reload.RulesTable;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.RuleLoader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several application instances, each the driver in a class loader of its own (its own rule source, watcher
 * thread and, on PostgreSQL, LISTEN connection), read from one rules table while the command line flips
 * reads between old and new. Every instance switches within the bound, from the flip's commit to its first
 * statement under the new version: under a second by NOTIFY on PostgreSQL (the poll is set to 30 s, so only
 * the notification can explain it), within the poll interval on MySQL; and no statement on any instance
 * runs under a version older than one that instance has already used.
 */
class CoherentFlipTest {
    private static final int INSTANCES = 4;
    private static final int FLIPS = 8;
    private static final long MYSQL_POLL_MILLIS = 500;

    @TempDir
    Path dir;

    @BothEngines
    void everyInstanceSwitchesTogetherAndNeverGoesBack(Engine engine) throws Throwable {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(100), display_name VARCHAR(100))",
                "INSERT INTO users VALUES (1, 'from-old', 'from-new')"); // differs on purpose: reads show the flag
        String table = "table:rules_coherent_" + engine.name().toLowerCase();
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, RulesTableTest.rules("migrate", "old"));
        List<String> database = new ArrayList<>(List.of("--url", db.rawUrl(), "--user", db.user()));
        if (db.password() != null && !db.password().isEmpty()) {
            database.addAll(List.of("--password", db.password()));
        }
        assertEquals(0, run(database, "publish", file.toString(), "--to", table).exitCode);

        boolean pg = engine == Engine.POSTGRESQL;
        long poll = pg ? 30_000 : MYSQL_POLL_MILLIS;
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length()) + "&dualwrite.rules=" + table
                + "&dualwrite.reloadIntervalMillis=" + poll;
        List<URLClassLoader> loaders = new ArrayList<>();
        List<Object> probes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                URLClassLoader loader = new URLClassLoader(isolatedClassPath(), ClassLoader.getPlatformClassLoader());
                loaders.add(loader);
                Object probe = loader.loadClass(InstanceProbe.class.getName())
                        .getConstructor(String.class, String.class, String.class, String.class, String.class)
                        .newInstance(url, db.user(), db.password(), "from-old", "from-new");
                assertTrue(probe.getClass() != InstanceProbe.class, "each instance has its own copy of the driver");
                Thread t = new Thread((Runnable) probe, "instance-" + i);
                t.setDaemon(true);
                t.start();
                call(probe, "awaitStarted");
                probes.add(probe);
                threads.add(t);
            }
            long[][] fromCommit = new long[FLIPS][INSTANCES];
            long[] flipDurations = new long[FLIPS];
            // the database's clock is this machine's: a nanoTime maps to epoch milliseconds from one pair of readings
            long nanoBase = System.nanoTime();
            long wallBase = System.currentTimeMillis();
            for (int f = 0; f < FLIPS; f++) {
                long version = f + 2; // version 1 was published above; even versions read new
                Thread.sleep(ThreadLocalRandom.current().nextLong(50, 250)); // land anywhere between polls
                long start = System.nanoTime();
                CliRun flip = run(database, "flip", table, "--migration", "users-names", "--reads",
                        version % 2 == 0 ? "new" : "old", "--force");
                long returned = System.nanoTime();
                assertEquals(0, flip.exitCode, flip::toString);
                assertTrue(flip.out.contains(" version=" + version + " "), flip.out);
                flipDurations[f] = returned - start;
                double committed = publishedAt(db, table, version); // the transaction's start, just before its commit
                long deadline = returned + 5_000_000_000L;
                for (int i = 0; i < INSTANCES; i++) {
                    long seen;
                    while ((seen = (long) call(probes.get(i), "firstUse", version)) < 0 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertTrue(seen > 0, "instance " + i + " never used version " + version);
                    double seenAt = wallBase + (seen - nanoBase) / 1e6;
                    fromCommit[f][i] = Math.max(0, Math.round((seenAt - committed) * 1e6));
                }
            }
            for (Object probe : probes) {
                call(probe, "stop");
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            long statements = 0;
            for (int i = 0; i < INSTANCES; i++) {
                assertNull(call(probes.get(i), "failure"), "instance " + i);
                assertEquals(List.of(), call(probes.get(i), "violations"), "instance " + i);
                statements += (long) call(probes.get(i), "statements");
            }
            long[] latency = flatten(fromCommit);
            Arrays.sort(flipDurations);
            long slowest = latency[latency.length - 1];
            System.out.println("[coherent] " + engine + " " + INSTANCES + " instances, " + FLIPS + " flips, "
                    + statements + " statements, " + (pg ? "LISTEN/NOTIFY (poll 30 s)" : "poll " + poll + " ms")
                    + ": commit of a version to its first statement on an instance median " + ms(median(latency))
                    + " max " + ms(slowest) + " (" + latency.length + " switches); flip command median "
                    + ms(median(flipDurations)) + "; versions gone back: 0");
            if (pg) {
                assertTrue(slowest < 1_000_000_000L, "NOTIFY: every instance within 1 s of the commit, but the"
                        + " slowest took " + ms(slowest));
            } else {
                // the poll runs at a fixed rate: a commit waits at most one interval, plus the check itself
                assertTrue(slowest < (poll + 100) * 1_000_000L, "poll: every instance within the poll interval of the"
                        + " commit, but the slowest took " + ms(slowest));
            }
        } finally {
            for (Object probe : probes) {
                call(probe, "stop");
            }
            for (URLClassLoader loader : loaders) {
                loader.loadClass("dev.dualwrite.jdbc.reliability.Unloader").getMethod("deregisterOwnDrivers").invoke(null);
                loader.close();
            }
        }
    }

    /** Epoch milliseconds of the version's published_at. */
    private static double publishedAt(TestDatabase db, String table, long version) throws Exception {
        String sql = RulesTable.of(table, engineDialect(db)).publishedAtEpoch();
        try (Connection c = db.rawConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBigDecimal(1).doubleValue() * 1000;
            }
        }
    }

    private static Dialect engineDialect(TestDatabase db) {
        return db.engine() == Engine.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MYSQL;
    }

    private static CliRun run(List<String> database, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(database);
        return CliRun.of(all.toArray(new String[0]));
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    private static long[] flatten(long[][] a) {
        long[] out = Arrays.stream(a).flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(out);
        return out;
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    /** The driver, its dependencies, both real drivers and the test's probe, each from where this JVM found it. */
    private static URL[] isolatedClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Class<?> c : List.of(DualWriteDriver.class, RuleLoader.class, net.sf.jsqlparser.parser.CCJSqlParser.class,
                net.bytebuddy.ByteBuddy.class, org.yaml.snakeyaml.Yaml.class,
                com.github.benmanes.caffeine.cache.Caffeine.class, picocli.CommandLine.class, org.postgresql.Driver.class,
                com.mysql.cj.jdbc.Driver.class, InstanceProbe.class)) {
            URL u = c.getProtectionDomain().getCodeSource().getLocation();
            if (!urls.contains(u)) {
                urls.add(u);
            }
        }
        return urls.toArray(new URL[0]);
    }
}
