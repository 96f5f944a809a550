package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of issue 8: a 200,000-row table backfilled while three connections write it through the
 * driver (updates, inserts, deletes), the run killed part way (a crash in a batch, no cleanup) and run
 * again; it resumes after the last committed batch, and afterwards every row's new side is what the
 * rule implies of its old side (for the move: row by row, no row missing or extra), as read back with
 * raw JDBC, and verify agrees.
 */
@Timeout(600)
class BackfillUnderLoadTest {
    static final int ROWS = 200_000;
    private static final int WRITERS = 3;
    private static final int CRASH_AT = 60;
    private static final Pattern DONE = Pattern.compile("done: (\\d+) rows in (\\d+) batches this run");

    @TempDir
    Path dir;

    @BothEngines
    void aColumnMigration(Engine engine) throws Exception {
        backfillUnderLoad(engine, "users-display-name", "users");
    }

    @BothEngines
    void aTableMove(Engine engine) throws Exception {
        backfillUnderLoad(engine, "orders-v2", "orders");
    }

    private void backfillUnderLoad(Engine engine, String migration, String table) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, ROWS, false);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length()) + "&dualwrite.rules=" + rules;
        String[] args = {"backfill", rules.toString(), "--url", db.rawUrl(), "--user", db.user(), "--migration",
            migration, "--progress-every", "50"};

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger nextId = new AtomicInteger(ROWS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            long seed = 7 + t;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (Connection c = DriverManager.getConnection(url, db.user(), db.password())) {
                    while (!stop.get()) {
                        try {
                            write(c, table, random, nextId);
                            writes.incrementAndGet();
                        } catch (SQLException e) {
                            failed.incrementAndGet(); // a deadlock with another writer or the backfill: the statement failed whole
                        }
                    }
                }
                return null;
            }));
        }
        try {
            CliRun crashed = CliRun.of(BackfillFixture.factory(Clock.SYSTEM, BackfillCommandTest.crashAt(CRASH_AT)), args);
            assertEquals(1, crashed.exitCode, crashed::toString);
            assertTrue(crashed.err.contains("simulated crash in batch " + CRASH_AT), crashed.err);
            List<Object> progress = db.query("SELECT rows_done, last_key, finished_at FROM dualwrite_backfill_progress"
                    + " WHERE migration_id = '" + migration + "'").get(0);
            assertEquals((CRASH_AT - 1) * 1000L, ((Number) progress.get(0)).longValue(), progress::toString);
            assertEquals(null, progress.get(2));
            long writesBefore = writes.get();

            CliRun resumed = CliRun.of(BackfillFixture.factory(Clock.SYSTEM, Backfill.BatchHook.NONE), args);
            assertEquals(0, resumed.exitCode, resumed::toString);
            assertTrue(resumed.out.contains("backfill " + migration + ": resuming after key " + progress.get(1) + " ("
                    + (CRASH_AT - 1) * 1000 + " rows done since "), resumed.out);
            Matcher done = DONE.matcher(resumed.out);
            assertTrue(done.find(), resumed.out);
            long thisRun = Long.parseLong(done.group(1));
            // keys run from 1 to nextId, and the stored key is past 59,000: a run from the start would count more
            assertTrue(thisRun <= nextId.get() - (CRASH_AT - 1) * 1000L, "the resumed run started over: " + resumed.out);
            assertTrue(writes.get() > writesBefore, "writers ran during the resumed backfill");
            System.out.println(engine + " " + migration + ": " + resumed.out.replace('\n', ' ') + " writes " + writes
                    + " failed " + failed);
        } finally {
            stop.set(true);
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
        }
        assertTrue(writes.get() > 100 && failed.get() < writes.get() / 4, writes + " writes, " + failed + " failed");

        assertEquals(List.of(), BackfillFixture.wrong(db, migration).subList(0,
                Math.min(5, BackfillFixture.wrong(db, migration).size())));
        CliRun verify = BackfillCommandTest.verify(rules, db, migration);
        assertEquals(0, verify.exitCode, verify::toString);
        assertTrue(verify.out.contains(" compared, 0 differing from the rule\n"), verify.out);
    }

    /** One random write of the application, through the driver: an update, a range update, an insert or a delete. */
    private static void write(Connection c, String table, Random random, AtomicInteger nextId) throws SQLException {
        int id = 1 + random.nextInt(nextId.get());
        int op = random.nextInt(20);
        boolean users = table.equals("users");
        String sql;
        if (op < 10) {
            sql = users ? "UPDATE users SET user_name = ?, score = ?, tier = ? WHERE id = ?"
                    : "UPDATE orders SET user_id = ?, amount = ?, status = ? WHERE id = ?";
        } else if (op < 13) {
            sql = users ? "UPDATE users SET score = score + 1 WHERE id BETWEEN ? AND ?"
                    : "UPDATE orders SET amount = amount + 1 WHERE id BETWEEN ? AND ?";
        } else if (op < 17) {
            sql = users ? "INSERT INTO users (id, user_name, score, tier) VALUES (?, ?, ?, ?)"
                    : "INSERT INTO orders (id, user_id, amount, status, note) VALUES (?, ?, ?, ?, 'w')";
        } else {
            sql = "DELETE FROM " + table + " WHERE id = ?";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (op < 10) {
                ps.setObject(1, users ? "w" + random.nextInt(1000) : random.nextInt(1000));
                ps.setInt(2, random.nextInt(100));
                ps.setString(3, random.nextBoolean() ? "G" : random.nextBoolean() ? "A" : "X");
                ps.setInt(4, id);
            } else if (op < 13) {
                ps.setInt(1, id);
                ps.setInt(2, id + 5);
            } else if (op < 17) {
                ps.setInt(1, nextId.incrementAndGet());
                ps.setObject(2, users ? "new" + id : id % 1000);
                ps.setInt(3, random.nextInt(100));
                ps.setString(4, random.nextBoolean() ? "S" : "C");
            } else {
                ps.setInt(1, id);
            }
            ps.executeUpdate();
        }
    }
}
