package dev.dualwrite.bench;

import dev.dualwrite.bench.stub.StubDriver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-statement cost of each wrapper with no I/O: the stub driver allocates a one-row result and does
 * nothing else, so what is measured is the wrapper (plus the stub's small, equal share). Run with
 * {@code -prof gc} for bytes allocated per statement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {Forks.P6SPY_WRAPPING_ONLY, Forks.QUIET_SLF4J})
public class StubBenchmark extends WorkloadBenchmark {
    @Param({"raw", "p6spy", "datasource-proxy", "dualwrite-no-rules", "dualwrite"})
    public String wrapper;

    @Param({"unrelated_select", "select_pk", "update"})
    public String statement;

    @Setup
    public void open() throws SQLException {
        StubDriver.register();
        workload = Workload.of(statement);
        connection = Wrapper.of(wrapper).open(StubDriver.URL, new Properties(), BenchRules.file());
    }
}
