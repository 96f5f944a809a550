package dev.dualwrite.examples.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A stand-in for an application nobody wants to touch: worker threads doing plain JDBC through a HikariCP
 * pool, never changed or restarted during the migration. The only dualwrite-specific thing about it is
 * its JDBC URL and driver class. What each thread does is its {@link Workload}.
 *
 * <p>A wrong answer counts as an error just like an SQLException: a migration that silently returns
 * wrong data is worse than one that fails loudly.
 */
public final class LegacyApp implements AutoCloseable {
    /** One thread's work: one operation per call, on a connection from the pool. Not shared between threads. */
    @FunctionalInterface
    public interface Workload {
        void step(Connection c, Random random) throws SQLException, WrongAnswer;
    }

    /** The database answered, but not what the application wrote. */
    public static final class WrongAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        public WrongAnswer(String what, String sql) {
            super("wrong answer: " + what + "  [app SQL: " + sql + "]");
        }
    }

    private static final int MAX_ERROR_SAMPLES = 5;

    private final String name;
    private final HikariDataSource pool;
    private final List<Workload> workloads = new ArrayList<>();
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param jdbcUrl the application's URL, {@code jdbc:dualwrite:postgresql://...}
     * @param workload the work of thread {@code i}, for i in 0..threads-1
     */
    public LegacyApp(String name, String jdbcUrl, String user, int threads, IntFunction<Workload> workload) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setDriverClassName("dev.dualwrite.jdbc.DualWriteDriver");
        config.setUsername(user);
        config.setMaximumPoolSize(threads + 1);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
        this.name = name;
        this.pool = new HikariDataSource(config);
        for (int i = 0; i < threads; i++) {
            workloads.add(workload.apply(i));
        }
    }

    public void start() {
        running = true;
        for (int i = 0; i < workloads.size(); i++) {
            Workload w = workloads.get(i);
            Random random = new Random(i);
            Thread t = new Thread(() -> work(w, random), name + "-" + i);
            // Daemon so that a run that fails half-way cannot hang the JVM on its way out.
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Stops the workers, waits for their last statements, and closes the pool. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(15));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.close();
        }
    }

    public String name() {
        return name;
    }

    /** Operations that completed and were answered correctly. */
    public long ops() {
        return ops.get();
    }

    /** SQLExceptions and wrong answers. */
    public long errors() {
        return errors.get();
    }

    public List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    private void work(Workload workload, Random random) {
        while (running) {
            try (Connection c = pool.getConnection()) {
                workload.step(c, random);
                ops.incrementAndGet();
            } catch (SQLException e) {
                error(e.getSQLState() + " " + e.getMessage());
            } catch (WrongAnswer e) {
                error(e.getMessage());
            }
            // A real application does other work between queries; this also leaves the machine's
            // cores some room for the database and the migration steps.
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < MAX_ERROR_SAMPLES) {
            errorSamples.add(Thread.currentThread().getName() + ": " + what);
        }
    }
}
