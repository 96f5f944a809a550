package dev.dualwrite.jdbc.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several connections write the moved table at once through the driver (expand, both engines), in
 * auto-commit and in explicit transactions, some rolled back; afterwards the new table must be exactly
 * the mapping of the old one, row by row.
 */
class MoveConcurrencyTest {
    @TempDir
    Path dir;

    @BothEngines
    void concurrentWritersLeaveBothTablesEqual(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MoveFixture fixture = new MoveFixture();
        db.exec(fixture.schema(engine, Phase.MIGRATE_NEW, true).toArray(new String[0]));
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, fixture.ruleFile(Phase.EXPAND));
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length()) + "&dualwrite.rules=" + rules;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = 42 + t;
            futures.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
                    for (int i = 0; i < 150; i++) {
                        boolean tx = random.nextInt(4) == 0;
                        c.setAutoCommit(!tx);
                        try {
                            write(c, random, engine);
                            if (tx) {
                                write(c, random, engine);
                                if (random.nextBoolean()) {
                                    c.commit();
                                } else {
                                    c.rollback();
                                }
                            }
                            done.incrementAndGet();
                        } catch (SQLException e) {
                            // deadlocks and key conflicts between writers fail whole statements; that is fine
                            failed.incrementAndGet();
                            if (tx) {
                                c.rollback();
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertTrue(done.get() > 300, "most writes succeed: " + done + " done, " + failed + " failed");
        long inserted = ((Number) db.query("SELECT count(*) FROM orders WHERE id > 5").get(0).get(0)).longValue();
        assertTrue(inserted > 0, "the writers inserted rows");
        List<List<Object>> mismatched = db.query(MoveFixture.notTheMapping(engine) + " UNION SELECT o.id FROM orders o"
                + " LEFT JOIN orders_v2 n ON n.id = o.id WHERE n.id IS NULL");
        assertEquals(List.of(), mismatched, "rows where orders_v2 is not the mapping of orders");
    }

    /**
     * A DELETE that waits on a row a copy (a backfill) is putting into the new table must delete the copy
     * too: the copy commits while the DELETE waits, after the DELETE's statement began.
     */
    @BothEngines
    void deleteWaitingOnACopyDeletesTheCopyToo(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MoveFixture fixture = new MoveFixture();
        db.exec(fixture.schema(engine, Phase.EXPAND, true).toArray(new String[0])); // rows 4 and 5 not copied yet
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, fixture.ruleFile(Phase.EXPAND));
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length()) + "&dualwrite.rules=" + rules;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection copy = db.rawConnection();
                Connection app = DriverManager.getConnection(url, db.user(), db.password())) {
            copy.setAutoCommit(false);
            copy.createStatement().executeUpdate("INSERT INTO orders_v2 (id, customer_id, cents, state)"
                    + " SELECT id, user_id, amount * 100, status FROM orders WHERE id = 4"
                    + (engine == Engine.POSTGRESQL ? " FOR SHARE" : " LOCK IN SHARE MODE"));
            Future<Integer> delete = pool.submit(() -> app.createStatement().executeUpdate(
                    "DELETE FROM orders WHERE id = 4"));
            Thread.sleep(500);
            assertTrue(!delete.isDone(), "the DELETE waits for the copy's lock");
            copy.commit();
            assertEquals(1, delete.get());
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(List.of(0L, 0L)), longs(db.query("SELECT (SELECT count(*) FROM orders WHERE id = 4),"
                + " (SELECT count(*) FROM orders_v2 WHERE id = 4)")));
    }

    private static List<List<Long>> longs(List<List<Object>> rows) {
        List<List<Long>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Long> row = new ArrayList<>();
            for (Object v : r) {
                row.add(((Number) v).longValue());
            }
            out.add(row);
        }
        return out;
    }

    private static void write(Connection c, Random random, Engine engine) throws SQLException {
        int id = 1 + random.nextInt(30);
        String[] statuses = {"A", "C", "X", null};
        boolean pg = engine == Engine.POSTGRESQL;
        String sql;
        switch (random.nextInt(5)) {
            case 0:
                sql = "INSERT INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?)" + (pg
                        ? " ON CONFLICT (id) DO UPDATE SET amount = orders.amount + EXCLUDED.amount"
                        : " ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount)");
                break;
            case 1:
                sql = "UPDATE orders SET amount = amount + ?, user_id = ?, status = ? WHERE id <= ? + 3";
                break;
            case 2:
                sql = "DELETE FROM orders WHERE id = ? AND ? >= 0 AND ? >= 0 AND coalesce(?, '') = coalesce(?, '')";
                break;
            case 3:
                sql = pg ? "UPDATE orders o SET amount = o.amount * 2 FROM customers c WHERE c.id = o.user_id AND o.id = ?"
                        + " AND ? >= 0 AND ? >= 0 AND coalesce(?, '') = coalesce(?, '')"
                        : "UPDATE orders o JOIN customers c ON c.id = o.user_id SET o.amount = o.amount * 2 WHERE o.id = ?"
                        + " AND ? >= 0 AND ? >= 0 AND coalesce(?, '') = coalesce(?, '')";
                break;
            default:
                sql = pg ? "INSERT INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                        : "INSERT IGNORE INTO orders (id, user_id, amount, status) VALUES (?, ?, ?, ?)";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = (int) sql.chars().filter(ch -> ch == '?').count();
            Object[] values = {id, 1 + random.nextInt(3), random.nextInt(100), statuses[random.nextInt(4)]};
            for (int i = 0; i < n; i++) {
                Object v = i < values.length ? values[i] : values[3];
                if (sql.startsWith("UPDATE orders SET") && i == 3) {
                    v = id;
                }
                ps.setObject(i + 1, v);
            }
            ps.executeUpdate();
        }
    }
}
