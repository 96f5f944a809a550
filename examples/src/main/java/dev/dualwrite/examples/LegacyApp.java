package dev.dualwrite.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an application nobody wants to touch: it knows only the column {@code user_name},
 * uses plain JDBC through a HikariCP pool, and is never changed or restarted during the migration.
 * The only dualwrite-specific thing about it is its JDBC URL and driver class.
 *
 * <p>Each worker thread owns a disjoint set of ids and remembers the name it last gave each one, so
 * it can check every answer the database gives it. A wrong answer (a row not found by the name it
 * was just given, or a different name coming back) counts as an error just like an SQLException: a
 * migration that silently returns wrong data is worse than one that fails loudly.
 */
final class LegacyApp implements AutoCloseable {
    private static final String INSERT = "INSERT INTO users (id, user_name) VALUES (?, ?)";
    private static final String UPDATE = "UPDATE users SET user_name = ? WHERE id = ?";
    private static final String SELECT = "SELECT id, user_name FROM users WHERE user_name = ?";
    private static final String DELETE = "DELETE FROM users WHERE id = ? AND user_name = ?";
    private static final int MAX_ERROR_SAMPLES = 5;

    private final HikariDataSource pool;
    private final int threads;
    private final long seedRows;
    private final AtomicLong nextId;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param jdbcUrl the application's URL, {@code jdbc:dualwrite:postgresql://...}
     * @param seedRows rows 1..seedRows exist already; the workers share them out by id
     * @param firstNewId where ids of rows the app inserts start
     */
    LegacyApp(String jdbcUrl, String user, long seedRows, long firstNewId, int threads) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("legacy-app");
        config.setJdbcUrl(jdbcUrl);
        config.setDriverClassName("dev.dualwrite.jdbc.DualWriteDriver");
        config.setUsername(user);
        config.setMaximumPoolSize(threads + 1);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
        this.pool = new HikariDataSource(config);
        this.threads = threads;
        this.seedRows = seedRows;
        this.nextId = new AtomicLong(firstNewId);
    }

    void start() {
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(new Worker(i), "legacy-app-" + i);
            // Daemon so that a demo that fails half-way cannot hang the JVM on its way out.
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

    long ops() {
        return ops.get();
    }

    long errors() {
        return errors.get();
    }

    List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    /** Every row the app inserts from now on has an id at least this large. */
    long nextId() {
        return nextId.get();
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < MAX_ERROR_SAMPLES) {
            errorSamples.add(Thread.currentThread().getName() + ": " + what);
        }
    }

    private final class Worker implements Runnable {
        private final Random random;
        /** The ids this worker owns, for picking one at random; {@code names} says what each is called. */
        private final List<Long> live = new ArrayList<>();
        private final Map<Long, String> names = new HashMap<>();
        private int version;

        Worker(int index) {
            this.random = new Random(index);
            for (long id = 1; id <= seedRows; id++) {
                if (id % threads == index) {
                    live.add(id);
                    names.put(id, Demo.seedName(id));
                }
            }
        }

        @Override
        public void run() {
            while (running) {
                int dice = random.nextInt(100);
                String sql = null;
                try (Connection c = pool.getConnection()) {
                    if (live.isEmpty() || dice < 30) {
                        sql = INSERT;
                        insert(c);
                    } else if (dice < 60) {
                        sql = UPDATE;
                        update(c);
                    } else if (dice < 90) {
                        sql = SELECT;
                        select(c);
                    } else {
                        sql = DELETE;
                        delete(c);
                    }
                    ops.incrementAndGet();
                } catch (SQLException e) {
                    error(e.getSQLState() + " " + e.getMessage() + (sql == null ? "" : "  [app SQL: " + sql + "]"));
                }
                // A real application does other work between queries; this also leaves the demo's
                // two cores some room for the database and the migration steps.
                pause();
            }
        }

        private void insert(Connection c) throws SQLException {
            long id = nextId.getAndIncrement();
            String name = "user-" + id;
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setLong(1, id);
                ps.setString(2, name);
                expectCount(INSERT, ps.executeUpdate(), 1);
            }
            live.add(id);
            names.put(id, name);
        }

        private void update(Connection c) throws SQLException {
            long id = pick();
            String name = "user-" + id + "-v" + (++version);
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setString(1, name);
                ps.setLong(2, id);
                expectCount(UPDATE, ps.executeUpdate(), 1);
            }
            names.put(id, name);
        }

        private void select(Connection c) throws SQLException {
            long id = pick();
            String name = names.get(id);
            try (PreparedStatement ps = c.prepareStatement(SELECT)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        error("wrong answer: no row named '" + name + "' (id " + id + ")  [app SQL: " + SELECT + "]");
                        return;
                    }
                    // By label, as legacy code does: after the flip the label must still be user_name.
                    long gotId = rs.getLong("id");
                    String gotName = rs.getString("user_name");
                    if (gotId != id || !name.equals(gotName) || rs.next()) {
                        error("wrong answer: asked for '" + name + "' (id " + id + "), got id " + gotId
                                + " named '" + gotName + "'  [app SQL: " + SELECT + "]");
                    }
                }
            }
        }

        private void delete(Connection c) throws SQLException {
            int index = random.nextInt(live.size());
            long id = live.get(index);
            try (PreparedStatement ps = c.prepareStatement(DELETE)) {
                ps.setLong(1, id);
                ps.setString(2, names.get(id));
                expectCount(DELETE, ps.executeUpdate(), 1);
            }
            // Swap-remove: order does not matter and this keeps it O(1).
            live.set(index, live.get(live.size() - 1));
            live.remove(live.size() - 1);
            names.remove(id);
        }

        private long pick() {
            return live.get(random.nextInt(live.size()));
        }

        private void expectCount(String sql, int got, int expected) {
            if (got != expected) {
                error("wrong answer: update count " + got + ", expected " + expected + "  [app SQL: " + sql + "]");
            }
        }

        private void pause() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
