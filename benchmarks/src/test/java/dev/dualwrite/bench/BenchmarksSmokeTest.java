package dev.dualwrite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.bench.stub.StubDriver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps every benchmark compiling and running: each runs in this JVM for a fraction of a second per
 * parameter combination. No timing is asserted; what is asserted is that every combination produced a
 * score and that the rewriting wrapper really rewrote (read back with raw JDBC).
 */
class BenchmarksSmokeTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    static {
        // In-process runs (forks(0)) do not get the forks' JVM options: configure P6Spy as they do.
        System.setProperty("p6spy.config.modulelist", "com.p6spy.engine.spy.P6SpyFactory");
    }

    private static Collection<RunResult> run(Class<?> benchmark, String... params) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(benchmark.getName())
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true);
        for (int i = 0; i < params.length; i += 2) {
            o = o.param(params[i], params[i + 1].split(","));
        }
        return new Runner(o.build()).run();
    }

    private static void assertScores(Collection<RunResult> results, int expected) {
        assertEquals(expected, results.size());
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
        }
    }

    @Test
    void stubBenchmarkRunsEveryWrapperAndStatement() throws Exception {
        assertScores(run(StubBenchmark.class), 5 * 3 * 2);
    }

    @Test
    void rewriterBenchmarkRewritesEveryStatement() throws Exception {
        assertScores(run(RewriterBenchmark.class), 6 * 2);
    }

    @Test
    void floodRunsOnTheStubAndOnPostgres() throws Exception {
        assertScores(run(FloodBenchmark.class), 2 * 3);
    }

    @Test
    void realDatabaseBenchmarkRunsEveryWrapperOnBothEngines() throws Exception {
        assertScores(run(RealDbBenchmark.class), 2 * 5 * 2 * 2);
        for (String engine : List.of("postgresql", "mysql")) {
            String url = BenchDatabases.url(engine);
            // What the benchmark's insert does through the driver with rules and through the raw driver.
            for (Wrapper w : List.of(Wrapper.DUALWRITE, Wrapper.RAW)) {
                try (Connection c = w.open(url, BenchDatabases.credentials(engine), BenchRules.file())) {
                    Workload.INSERT.prepared(c, BLACKHOLE);
                }
            }
            try (Connection c = DriverManager.getConnection(url, BenchDatabases.credentials(engine));
                    Statement st = c.createStatement()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT user_name, display_name FROM users WHERE id > "
                        + BenchDatabases.ROWS + " ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1) + "=" + rs.getString(2));
                    }
                }
                assertEquals(List.of("name-42=name-42", "name-42=null"), rows, engine);
                st.executeUpdate("DELETE FROM users WHERE id > " + BenchDatabases.ROWS);
            }
        }
    }

    @Test
    void theStubRunsCountedDualWrites() throws Exception {
        StubDriver.register();
        long before = dualWrites();
        try (Connection c = Wrapper.DUALWRITE.open(StubDriver.URL, new Properties(), BenchRules.file())) {
            Workload.UPDATE.prepared(c, BLACKHOLE);
            Workload.UPDATE.plain(c, BLACKHOLE);
        }
        assertEquals(before + 2, dualWrites());
    }

    private static long dualWrites() throws Exception {
        ObjectName rule = new ObjectName("dev.dualwrite:type=Rule,source=rules.yaml,id=users-display-name");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.isRegistered(rule) ? ((Number) server.getAttribute(rule, "DualWrites")).longValue() : 0;
    }
}
