package dev.dualwrite.bench;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Point select by primary key and single-row insert on embedded PostgreSQL and MariaDB over loopback,
 * through each wrapper. Under the benchmark rules ({@link BenchRules}) the driver with rules rewrites
 * both: the select reads {@code display_name} under the label {@code user_name}, the insert writes both
 * columns. Pin the whole run to one CPU ({@code taskset -c 1}): the server then shares the core with the
 * benchmark thread, as it would share a loaded machine, and loopback timings stop swinging.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {Forks.P6SPY_WRAPPING_ONLY, Forks.QUIET_SLF4J})
public class RealDbBenchmark extends WorkloadBenchmark {
    @Param({"postgresql", "mysql"})
    public String engine;

    @Param({"raw", "p6spy", "datasource-proxy", "dualwrite-no-rules", "dualwrite"})
    public String wrapper;

    @Param({"select_pk", "insert"})
    public String statement;

    @Setup(Level.Trial)
    public void open() throws Exception {
        workload = Workload.of(statement);
        connection = Wrapper.of(wrapper).open(BenchDatabases.url(engine), BenchDatabases.credentials(engine),
                BenchRules.file());
    }

    /** Inserted rows are removed between iterations, so every iteration inserts into the same table. */
    @TearDown(Level.Iteration)
    public void trim() throws SQLException {
        if (workload == Workload.INSERT) {
            try (Statement st = connection.createStatement()) {
                st.executeUpdate("DELETE FROM users WHERE id > " + BenchDatabases.ROWS);
            }
        }
    }
}
