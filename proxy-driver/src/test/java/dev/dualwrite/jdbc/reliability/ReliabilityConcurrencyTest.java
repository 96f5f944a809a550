package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16 writers over a HikariCP pool insert, update (a few hot rows most of all), delete and upsert both the
 * column-migrated and the moved table, in auto-commit and in transactions (some rolled back), while another
 * thread rewrites the rule file every 100 ms, cycling both rules through the states in which writes stay
 * dual (expand, and migrate with every read flag). Afterwards old and new must agree exactly, read back
 * with raw JDBC; the only errors allowed are the deadlocks and lock timeouts the database itself reports
 * under contention.
 */
class ReliabilityConcurrencyTest {
    private static final int WRITERS = 16;
    /** Per engine; the outcome does not depend on it, only the number of operations does. */
    private static final long RUN_MILLIS = 15_000;
    /** A bound by count too, so a fast machine does not run away. */
    private static final int MAX_OPS_PER_WRITER = 20_000;
    private static final int HOT_ROWS = 3;

    /** Rule states that keep every write dual; cycling between any two of them is a legal step. */
    private static final String[][] STATES = {
        {"expand", null}, {"migrate", "old"}, {"migrate", "shadow"}, {"migrate", "new"}, {"migrate", "canary:50"},
        {"migrate", "shadow:30"},
    };

    @TempDir
    Path dir;

    @BothEngines
    void writersAndReloadsLeaveOldAndNewEqual(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MigratedTables.create(db);
        RuleFile rules = new RuleFile(dir, "concurrency", db, MigratedTables.expand());
        AtomicLong ops = new AtomicLong();
        AtomicLong contention = new AtomicLong();
        AtomicLong rolledBack = new AtomicLong();
        AtomicLong ruleWrites = new AtomicLong();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        HikariConfig cfg = new HikariConfig();
        cfg.setDriverClassName("dev.dualwrite.jdbc.DualWriteDriver");
        cfg.setJdbcUrl(rules.url());
        cfg.setUsername(db.user());
        cfg.setPassword(db.password());
        cfg.setMaximumPoolSize(WRITERS);
        cfg.setPoolName("reliability-" + engine.name().toLowerCase());
        long versionBefore;
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            versionBefore = rules.version();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
            List<Future<?>> futures = new ArrayList<>();
            futures.add(threads.submit(() -> {
                Random random = new Random(7);
                while (System.nanoTime() < deadline) {
                    String[] users = STATES[random.nextInt(STATES.length)];
                    String[] orders = STATES[random.nextInt(STATES.length)];
                    rules.write(MigratedTables.ruleFile(users[0], users[1], orders[0], orders[1]));
                    ruleWrites.incrementAndGet();
                    Thread.sleep(100);
                }
                return null;
            }));
            for (int w = 0; w < WRITERS; w++) {
                long seed = 1000L * (engine.ordinal() + 1) + w;
                futures.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < MAX_OPS_PER_WRITER && System.nanoTime() < deadline; i++) {
                        try (Connection c = pool.getConnection()) {
                            boolean tx = random.nextInt(4) == 0;
                            c.setAutoCommit(!tx);
                            try {
                                int statements = tx ? 2 + random.nextInt(3) : 1;
                                for (int s = 0; s < statements; s++) {
                                    operation(c, random, engine);
                                    ops.incrementAndGet();
                                }
                                if (tx) {
                                    if (random.nextInt(3) == 0) {
                                        c.rollback();
                                        rolledBack.incrementAndGet();
                                    } else {
                                        c.commit();
                                    }
                                }
                            } catch (SQLException e) {
                                if (tx) {
                                    c.rollback();
                                }
                                if (isContention(e)) {
                                    contention.incrementAndGet();
                                } else {
                                    unexpected.add(e.getSQLState() + " " + e.getErrorCode() + " " + e.getMessage());
                                }
                            } finally {
                                c.setAutoCommit(true);
                            }
                        } catch (SQLException | RuntimeException e) {
                            unexpected.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            threads.shutdown();
            for (Future<?> f : futures) {
                f.get(RUN_MILLIS + 120_000, TimeUnit.MILLISECONDS);
            }
        }
        long reloads = rules.version() - versionBefore;
        List<List<Object>> divergences = MigratedTables.divergences(db);
        long users = ((Number) db.query("SELECT count(*) FROM users").get(0).get(0)).longValue();
        long orders = ((Number) db.query("SELECT count(*) FROM orders").get(0).get(0)).longValue();
        System.out.println("[reliability] concurrency " + engine + ": writers=" + WRITERS + " operations=" + ops
                + " contention_errors=" + contention + " rolled_back_transactions=" + rolledBack
                + " rule_file_writes=" + ruleWrites + " reloads_applied=" + reloads + " unexpected_errors="
                + unexpected.size() + " users_rows=" + users + " orders_rows=" + orders
                + " divergences=" + divergences.size());
        assertEquals(List.of(), List.copyOf(unexpected), "unexpected application errors");
        assertEquals(List.of(), divergences, "rows where old and new disagree");
        assertTrue(ops.get() > 200, "the writers ran: " + ops);
        assertTrue(reloads > 10, "rule files were reloaded under load: " + reloads);
    }

    /**
     * Deadlocks, serialization failures and lock wait timeouts: the database's own answer to contention,
     * which an application retries. PostgreSQL 40P01 / 40001, MySQL 1213 (40001) and 1205.
     */
    static boolean isContention(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                String state = s.getSQLState();
                if ("40P01".equals(state) || "40001".equals(state) || s.getErrorCode() == 1213
                        || s.getErrorCode() == 1205) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One random application statement on one of the two migrated tables. */
    private static void operation(Connection c, Random random, Engine engine) throws SQLException {
        boolean pg = engine == Engine.POSTGRESQL;
        // Half of the statements hit a few hot rows, the rest spread over twice the seeded keys.
        int id = random.nextBoolean() ? 1 + random.nextInt(HOT_ROWS) : 1 + random.nextInt(2 * MigratedTables.SEED_ROWS);
        int value = random.nextInt(1000);
        String status = new String[] {"A", "C", "X", null}[random.nextInt(4)];
        boolean users = random.nextBoolean();
        String sql;
        Object[] params;
        switch (random.nextInt(6)) {
            case 0: // insert, or upsert when the key exists
                sql = users
                        ? "INSERT INTO users (id, user_name, score) VALUES (?, ?, ?)" + (pg
                                ? " ON CONFLICT (id) DO UPDATE SET score = users.score + EXCLUDED.score,"
                                        + " user_name = EXCLUDED.user_name"
                                : " ON DUPLICATE KEY UPDATE score = score + VALUES(score), user_name = VALUES(user_name)")
                        : "INSERT INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?)" + (pg
                                ? " ON CONFLICT (id) DO UPDATE SET amount = orders.amount + EXCLUDED.amount"
                                : " ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount)");
                params = users ? new Object[] {id, "n" + value, value} : new Object[] {id, value % 7, value, status};
                break;
            case 1: // read-modify-write of the migrated column itself
                sql = users ? "UPDATE users SET score = score + ? WHERE id = ?"
                        : "UPDATE orders SET amount = amount + ?, status = ? WHERE id = ?";
                params = users ? new Object[] {value, id} : new Object[] {value, status, id};
                break;
            case 2: // a range, so writers lock overlapping rows in different orders
                sql = users ? "UPDATE users SET user_name = ? WHERE id BETWEEN ? AND ?"
                        : "UPDATE orders SET user_id = ? WHERE id BETWEEN ? AND ?";
                params = new Object[] {users ? "r" + value : (Object) (value % 5), id, id + 2};
                break;
            case 3:
                sql = users ? "DELETE FROM users WHERE id = ?" : "DELETE FROM orders WHERE id = ?";
                params = new Object[] {id};
                break;
            case 4: // insert that ignores an existing key
                sql = users
                        ? (pg ? "INSERT INTO users (id, user_name, score) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                                : "INSERT IGNORE INTO users (id, user_name, score) VALUES (?, ?, ?)")
                        : (pg ? "INSERT INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                                : "INSERT IGNORE INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?)");
                params = users ? new Object[] {id, "i" + value, value} : new Object[] {id, 1, value, status};
                break;
            default: // a read, whichever side the flags say
                sql = users ? "SELECT id, user_name, score FROM users WHERE id <= ?"
                        : "SELECT id, user_id, amount, status FROM orders WHERE id <= ?";
                params = new Object[] {id};
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        }
    }
}
