package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database fails a dual write half-way: the connection is killed inside the transaction or while the
 * mirror waits for a lock, the mirror violates a constraint only the new side has, the mirror runs into the
 * statement's time-out. Each time the application gets an SQLException and, read back raw, neither side
 * kept the write (and old and new still agree).
 */
class DatabaseFaultsTest {
    private static int faults;

    @TempDir
    Path dir;

    @AfterAll
    static void report() {
        System.out.println("[reliability] database faults injected=" + faults);
    }

    private RuleFile setUp(TestDatabase db, String name) throws Exception {
        MigratedTables.create(db);
        return new RuleFile(dir, name, db, MigratedTables.expand());
    }

    @BothEngines
    void connectionKilledInsideADualWriteTransactionCommitsNothing(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        RuleFile rules = setUp(db, "kill-tx");
        try (Connection c = rules.connect()) {
            long backend = Backends.id(c, engine);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE users SET user_name = 'killed', score = 99 WHERE id = 1");
                st.executeUpdate("INSERT INTO orders (id, user_id, amount, status) VALUES (500, 1, 5, 'A')");
                st.executeUpdate("UPDATE orders SET amount = 77 WHERE id = 2");
            }
            Backends.kill(db, backend);
            faults++;
            assertThrows(SQLException.class, c::commit);
        }
        assertEquals(Arrays.asList("u1", 1, "u1", 1001), MigratedTables.user(db, 1));
        assertEquals(List.of(0L, 0L), MigratedTables.orderCounts(db, 500));
        assertEquals(List.of(List.of(2, 200)), db.query("SELECT o.amount, n.cents FROM orders o"
                + " JOIN orders_v2 n ON n.id = o.id WHERE o.id = 2"));
        assertEquals(List.of(), MigratedTables.divergences(db));
    }

    /** The old table is written, the mirror into the moved table waits for a lock: the kill lands between. */
    @BothEngines
    void connectionKilledWhileTheMirrorWaitsLeavesNeitherWrite(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        RuleFile rules = setUp(db, "kill-mirror");
        ExecutorService app = Executors.newSingleThreadExecutor();
        try (Connection c = rules.connect(); Connection lock = Backends.lockNewRow(db, 3)) {
            long backend = Backends.id(c, engine);
            Future<Integer> write = app.submit(() -> c.createStatement().executeUpdate(
                    "UPDATE orders SET amount = amount + 1000 WHERE id = 3"));
            RuleFile.await("the mirror write waiting for the lock", () -> waits(db, backend));
            Backends.kill(db, backend);
            faults++;
            ExecutionException failed = assertThrows(ExecutionException.class, () -> write.get(60, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof SQLException, failed.getCause().toString());
            lock.rollback();
        } finally {
            app.shutdownNow();
        }
        assertEquals(List.of(List.of(3, 300)), db.query("SELECT o.amount, n.cents FROM orders o"
                + " JOIN orders_v2 n ON n.id = o.id WHERE o.id = 3"));
        assertEquals(List.of(), MigratedTables.divergences(db));
    }

    /** A unique index and a CHECK only the new side has: the mirror fails, so the application's write fails. */
    @BothEngines
    void mirrorViolatingAConstraintOfTheNewSideFailsTheWholeWrite(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        RuleFile rules = setUp(db, "constraint");
        db.exec("CREATE UNIQUE INDEX users_display_name ON users (display_name)",
                "ALTER TABLE orders_v2 ADD CONSTRAINT orders_v2_cents CHECK (cents < 1000000)");
        try (Connection c = rules.connect()) {
            // auto-commit: each statement alone
            SQLException dup = assertThrows(SQLException.class, () -> update(c,
                    "UPDATE users SET user_name = 'u2' WHERE id = 1"));
            SQLException check = assertThrows(SQLException.class, () -> update(c,
                    "INSERT INTO orders (id, user_id, amount, status) VALUES (600, 1, 20000, 'A')"));
            SQLException checkUpdate = assertThrows(SQLException.class, () -> update(c,
                    "UPDATE orders SET amount = 20000 WHERE id = 4"));
            faults += 3;
            for (SQLException e : List.of(dup, check, checkUpdate)) {
                assertTrue(e.getSQLState() != null && e.getSQLState().startsWith("23") || e.getErrorCode() == 4025,
                        "the database's constraint error reaches the application: " + e.getSQLState() + " " + e);
            }
            // inside a transaction: a good write, then the failing one; whatever the commit does, the failing
            // write is on neither side and the good one on both or neither
            c.setAutoCommit(false);
            update(c, "UPDATE orders SET amount = 42 WHERE id = 5");
            assertThrows(SQLException.class, () -> update(c,
                    "INSERT INTO orders (id, user_id, amount, status) VALUES (601, 1, 30000, 'A')"));
            faults++;
            try {
                c.commit();
            } catch (SQLException e) {
                c.rollback(); // PostgreSQL: the failed statement aborted the transaction
            }
        }
        assertEquals(Arrays.asList("u1", 1, "u1", 1001), MigratedTables.user(db, 1));
        assertEquals(List.of(0L, 0L), MigratedTables.orderCounts(db, 600));
        assertEquals(List.of(0L, 0L), MigratedTables.orderCounts(db, 601));
        assertEquals(List.of(List.of(4, 400)), db.query("SELECT o.amount, n.cents FROM orders o"
                + " JOIN orders_v2 n ON n.id = o.id WHERE o.id = 4"));
        assertEquals(List.of(), MigratedTables.divergences(db));
    }

    /** The mirror waits for a lock longer than the application's query time-out allows. */
    @BothEngines
    void statementTimeoutDuringTheMirrorLeavesNeitherWrite(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        RuleFile rules = setUp(db, "timeout");
        ExecutorService app = Executors.newSingleThreadExecutor();
        try (Connection c = rules.connect(); Connection lock = Backends.lockNewRow(db, 6)) {
            Future<Integer> write = app.submit(() -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET amount = amount + ? WHERE id = 6")) {
                    ps.setInt(1, 1000);
                    ps.setQueryTimeout(1);
                    return ps.executeUpdate();
                }
            });
            faults++;
            // bounded far beyond the 1 s asked for, but well below the servers' own 50 s lock wait
            ExecutionException failed = assertThrows(ExecutionException.class, () -> write.get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof SQLException, failed.getCause().toString());
            lock.rollback();
            // the connection is still usable and dual-writes as before
            c.createStatement().executeUpdate("UPDATE orders SET amount = 66 WHERE id = 7");
        } finally {
            app.shutdownNow();
        }
        assertEquals(List.of(List.of(6, 600)), db.query("SELECT o.amount, n.cents FROM orders o"
                + " JOIN orders_v2 n ON n.id = o.id WHERE o.id = 6"));
        assertEquals(List.of(List.of(66, 6600)), db.query("SELECT o.amount, n.cents FROM orders o"
                + " JOIN orders_v2 n ON n.id = o.id WHERE o.id = 7"));
        assertEquals(List.of(), MigratedTables.divergences(db));
    }

    private static boolean waits(TestDatabase db, long backend) {
        try {
            return Backends.waitsForLock(db, backend);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }
}
