package dev.dualwrite.bench;

import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/** A {@link Workload} run through one wrapper's connection, as a PreparedStatement and as a plain Statement. */
@State(Scope.Thread)
public abstract class WorkloadBenchmark {
    Connection connection;
    Workload workload;

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }

    @Benchmark
    public void prepared(Blackhole bh) throws SQLException {
        workload.prepared(connection, bh);
    }

    @Benchmark
    public void plain(Blackhole bh) throws SQLException {
        workload.plain(connection, bh);
    }
}
