package dev.dualwrite.bench;

import dev.dualwrite.bench.stub.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Throughput of the unique-SQL flood ({@link Flood}) with and without rules, on the stub driver (the
 * driver's own cost) and on embedded PostgreSQL (what an application sees). With rules every text is a
 * cache miss by text; statements differing only in literals share one plan through their shape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Forks.P6SPY_WRAPPING_ONLY, Forks.QUIET_SLF4J})
public class FloodBenchmark {
    @Param({"stub", "postgresql"})
    public String target;

    @Param({"raw", "dualwrite-no-rules", "dualwrite"})
    public String wrapper;

    private Connection connection;
    private final Flood flood = new Flood();

    @Setup
    public void open() throws Exception {
        StubDriver.register();
        String url = target.equals("stub") ? StubDriver.URL : BenchDatabases.url(target);
        Properties props = target.equals("stub") ? new Properties() : BenchDatabases.credentials(target);
        connection = Wrapper.of(wrapper).open(url, props, BenchRules.file());
    }

    @TearDown
    public void close() throws SQLException {
        connection.close();
    }

    @Benchmark
    public int statement() throws SQLException {
        return flood.next(connection);
    }
}
