package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BackfillCommandTest {
    private static final List<String> ALL = List.of("users-display-name", "orders-v2", "members-role", "lines-v2");

    @TempDir
    Path dir;

    private static String[] args(String command, Path rules, TestDatabase db, String migration, String... more) {
        List<String> a = new ArrayList<>(List.of(command, rules.toString(), "--url", db.rawUrl(), "--user", db.user(),
                "--migration", migration));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    static CliRun backfill(Path rules, TestDatabase db, String migration, String... more) {
        return CliRun.of(BackfillFixture.factory(new BackfillFixture.FakeClock(), Backfill.BatchHook.NONE),
                args("backfill", rules, db, migration, more));
    }

    static CliRun verify(Path rules, TestDatabase db, String migration, String... more) {
        return CliRun.of(args("verify", rules, db, migration, more));
    }

    @BothEngines
    void everyKindOfRuleIsFilledBatchByBatchAndThenVerifies(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 95);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        for (String m : ALL) {
            CliRun before = verify(rules, db, m);
            assertEquals(1, before.exitCode, before::toString);
            assertFalse(BackfillFixture.wrong(db, m).isEmpty(), m);

            CliRun run = backfill(rules, db, m, "--batch-size", "7", "--progress-every", "5");
            assertEquals(0, run.exitCode, run::toString);
            assertEquals(List.of(), BackfillFixture.wrong(db, m), m);
            assertTrue(run.out.contains("backfill " + m + ": starting from the first key\n"), run.out);
            assertTrue(run.out.contains("backfill " + m + ": 35 rows"), run.out); // a line every 5 batches of 7
            assertTrue(run.out.contains(": done: 95 rows in 14 batches this run"), run.out);

            CliRun after = verify(rules, db, m);
            assertEquals(0, after.exitCode, after::toString);
            assertTrue(after.out.contains("verify " + m + ": all 95 rows of "), after.out);
            assertTrue(after.out.contains(" compared, 0 differing from the rule\n"), after.out);

            // a second run checks again from the start and writes nothing
            CliRun again = backfill(rules, db, m, "--batch-size", "50");
            assertEquals(0, again.exitCode, again::toString);
            assertTrue(again.out.contains("the last run finished at "), again.out);
            assertTrue(again.out.contains(": done: 95 rows in 2 batches this run (0 written)")
                    || engine == Engine.MYSQL && m.endsWith("-v2"), again.out); // MySQL counts upserted rows found
        }
        List<List<Object>> progress = db.query("SELECT migration_id, rows_done, last_key, finished_at IS NOT NULL"
                + " FROM dualwrite_backfill_progress ORDER BY migration_id");
        assertEquals(4, progress.size(), progress::toString);
        assertEquals("[members-role, 95, [\"9\",\"8\"], " + (engine == Engine.MYSQL ? "1" : "true") + "]",
                progress.get(1).toString());
    }

    @BothEngines
    void verifyNamesTheFirstDifferingKeysAndCountsExtraRowsOfAMove(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 30);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        for (String m : ALL) {
            assertEquals(0, backfill(rules, db, m).exitCode);
        }
        db.exec("UPDATE users SET points = 1 WHERE id IN (4, 17)", "UPDATE users SET display_name = NULL WHERE id = 9",
                "DELETE FROM orders_v2 WHERE id = 3", "INSERT INTO orders_v2 VALUES (99, 1, 1, 'x')",
                "UPDATE members SET role_name = 'root' WHERE tenant = 2 AND id = 1");
        CliRun users = verify(rules, db, "users-display-name");
        assertEquals(1, users.exitCode, users::toString);
        assertEquals("verify users-display-name: all 30 rows of users compared, 3 differing from the rule\n"
                + "  user_name -> display_name: 1 missing, 0 different\n"
                + "  score -> points: 0 missing, 2 different\n"
                + "  first differing keys: [\"4\"] [\"9\"] [\"17\"]\n", users.out);
        CliRun orders = verify(rules, db, "orders-v2");
        assertEquals(1, orders.exitCode, orders::toString);
        assertEquals("verify orders-v2: all 30 rows of orders compared, 2 differing from the rule (1 without a row in"
                + " orders_v2) (1 rows of orders_v2 without a row in orders)\n"
                + "  first differing keys: [\"3\"] [\"99\"]\n", orders.out);
        CliRun members = verify(rules, db, "members-role");
        assertTrue(members.out.contains("  first differing keys: [\"2\",\"1\"]\n"), members.out);
        CliRun sample = verify(rules, db, "users-display-name", "--sample", "5");
        assertTrue(sample.out.startsWith("verify users-display-name: 5 rows of users (sample of at most 5) compared, "),
                sample.out);
        assertFalse(users.out.contains("user4"), "values are never printed");

        // backfill repairs what differs in the old rows; the extra row of the move is left to verify to report
        assertEquals(0, backfill(rules, db, "users-display-name").exitCode);
        assertEquals(0, verify(rules, db, "users-display-name").exitCode);
        assertEquals(0, backfill(rules, db, "orders-v2").exitCode);
        CliRun extra = verify(rules, db, "orders-v2");
        assertTrue(extra.out.contains(", 1 differing from the rule (1 rows of orders_v2 without a row in orders)"),
                extra.out);
    }

    @BothEngines
    void aCrashedRunResumesAfterItsLastCommittedBatch(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 100);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        CliRun crashed = CliRun.of(BackfillFixture.factory(new BackfillFixture.FakeClock(), crashAt(4)),
                args("backfill", rules, db, "members-role", "--batch-size", "10"));
        assertEquals(1, crashed.exitCode, crashed::toString);
        assertTrue(crashed.err.contains("simulated crash in batch 4"), crashed.err);
        // batch 4 was rolled back with its progress: three batches are done, and only they
        assertEquals("[30, [\"2\",\"9\"]]", db.query("SELECT rows_done, last_key FROM dualwrite_backfill_progress"
                + " WHERE migration_id = 'members-role'").get(0).toString());
        assertEquals(30L, ((Number) db.query("SELECT count(*) FROM members WHERE role_name IS NOT NULL").get(0).get(0))
                .longValue());

        CliRun resumed = backfill(rules, db, "members-role", "--batch-size", "10");
        assertEquals(0, resumed.exitCode, resumed::toString);
        assertTrue(resumed.out.contains("backfill members-role: resuming after key [\"2\",\"9\"] (30 rows done since "),
                resumed.out);
        assertTrue(resumed.out.contains(": done: 70 rows in 7 batches this run (70 written), 100 rows in all"),
                resumed.out);
        assertEquals(List.of(), BackfillFixture.wrong(db, "members-role"));
    }

    @BothEngines
    void aRunWhoseProgressAnotherRunTookOverStops(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 50);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        BackfillFixture.FakeClock clock = new BackfillFixture.FakeClock();
        clock.onSleep = () -> { // after batch 1 committed: another run takes the row over
            try {
                db.exec("UPDATE dualwrite_backfill_progress SET run_id = 'another run'");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        CliRun run = CliRun.of(BackfillFixture.factory(clock, Backfill.BatchHook.NONE),
                args("backfill", rules, db, "users-display-name", "--batch-size", "10", "--pause", "1"));
        assertEquals(1, run.exitCode, run::toString);
        assertTrue(run.err.contains("another backfill of users-display-name took its progress over; this one stopped"
                + " after key [\"10\"], batch 2 was rolled back"), run.err);
        assertEquals(10L, ((Number) db.query("SELECT rows_done FROM dualwrite_backfill_progress").get(0).get(0))
                .longValue());
        assertEquals(10L, ((Number) db.query("SELECT count(*) FROM users WHERE display_name IS NOT NULL").get(0).get(0))
                .longValue());
    }

    static Backfill.BatchHook crashAt(long batch) {
        return n -> {
            if (n == batch) {
                throw new IllegalStateException("simulated crash in batch " + n);
            }
        };
    }

    @BothEngines
    void aChangedRuleStartsOverWithAWarning(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 40);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        CliRun crashed = CliRun.of(BackfillFixture.factory(new BackfillFixture.FakeClock(), crashAt(3)),
                args("backfill", rules, db, "users-display-name", "--batch-size", "10"));
        assertEquals(1, crashed.exitCode, crashed::toString);
        String changed = BackfillFixture.RULES.replace("\"{} * 10\", to_old: \"{} / 10\"", "\"{} * 100\", to_old: \"{} / 100\"");
        BackfillFixture.rules(dir, changed);
        CliRun run = backfill(rules, db, "users-display-name", "--batch-size", "10");
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.err.contains("warning: the rule of users-display-name changed since its backfill started at "),
                run.err);
        assertTrue(run.out.contains("backfill users-display-name: starting over: the rule changed\n"), run.out);
        assertTrue(run.out.contains(": done: 40 rows in 4 batches this run"), run.out);
        assertEquals(0L, ((Number) db.query("SELECT count(*) FROM users WHERE points <> score * 100").get(0).get(0))
                .longValue());
    }

    @BothEngines
    void aDryRunPrintsThePlanAndWritesNothing(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 10);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        CliRun run = backfill(rules, db, "orders-v2", "--dry-run", "--batch-size", "4");
        assertEquals(0, run.exitCode, run::toString);
        String id = engine == Engine.POSTGRESQL ? "\"id\"" : "`id`"; // the primary key, quoted as metadata spells it
        assertTrue(run.out.startsWith("backfill orders-v2 (dry run, nothing is written): orders -> orders_v2, key ("
                + id + "), "), run.out);
        assertTrue(run.out.contains("  progress: starting from the first key; dualwrite_backfill_progress would be"
                + " created\n"), run.out);
        assertTrue(run.out.contains("    SELECT dw_old." + id + " FROM orders dw_old ORDER BY dw_old." + id + " LIMIT 4\n"), run.out);
        assertTrue(run.out.contains("    INSERT INTO orders_v2 "), run.out);
        assertTrue(db.query("SELECT * FROM orders_v2").isEmpty());
        assertTrue(db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'dualwrite_backfill_progress'"
                + " AND table_schema = '" + db.schema() + "'").isEmpty());
    }

    @BothEngines
    void pauseAndRateCapSleepBetweenBatches(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 50);
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        BackfillFixture.FakeClock paused = new BackfillFixture.FakeClock();
        CliRun run = CliRun.of(BackfillFixture.factory(paused, Backfill.BatchHook.NONE),
                args("backfill", rules, db, "users-display-name", "--batch-size", "10", "--pause", "20"));
        assertEquals(0, run.exitCode, run::toString);
        assertEquals(List.of(20L, 20L, 20L, 20L, 20L), paused.sleeps);

        BackfillFixture.FakeClock capped = new BackfillFixture.FakeClock();
        run = CliRun.of(BackfillFixture.factory(capped, Backfill.BatchHook.NONE),
                args("backfill", rules, db, "orders-v2", "--batch-size", "10", "--max-rows-per-second", "100"));
        assertEquals(0, run.exitCode, run::toString);
        // 50 rows at 100 rows/s take 500 ms: the batches themselves take no time on this clock
        assertEquals(List.of(100L, 100L, 100L, 100L, 100L), capped.sleeps);
        assertTrue(run.out.contains(", 100 rows/s"), run.out);
    }

    @BothEngines
    void aLagAboveMaxLagWaitsUntilItComesDown(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        BackfillFixture.create(db, 20);
        db.exec("CREATE TABLE heartbeat (lag_seconds DECIMAL(10, 3))", "INSERT INTO heartbeat VALUES (42.5)");
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        BackfillFixture.FakeClock clock = new BackfillFixture.FakeClock();
        clock.onSleep = () -> {
            if (clock.sleeps.size() == 3) {
                try {
                    db.exec("UPDATE heartbeat SET lag_seconds = 0.5");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        CliRun run = CliRun.of(BackfillFixture.factory(clock, Backfill.BatchHook.NONE), args("backfill", rules, db,
                "users-display-name", "--batch-size", "10", "--progress-every", "1", "--max-lag", "5",
                "--lag-query", "SELECT lag_seconds FROM heartbeat"));
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.err.contains("waiting: lag 42.5 s (--lag-query) is above --max-lag 5.0 s; asking again every"
                + " 1000 ms\n"), run.err);
        assertTrue(run.err.contains("lag 0.5 s (--lag-query) is at most --max-lag 5.0 s again; going on after waiting"
                + " 3.0 s\n"), run.err);
        assertEquals(List.of(1000L, 1000L, 1000L), clock.sleeps);
        assertTrue(run.out.contains("backfill users-display-name: 10 rows"), run.out);
        assertTrue(run.out.contains(", lag 0.5 s\n"), run.out);
        assertEquals(List.of(), BackfillFixture.wrong(db, "users-display-name"));

        if (engine == Engine.POSTGRESQL) {
            // the primary's own view: no replicas, no lag
            CliRun pg = backfill(rules, db, "orders-v2", "--max-lag", "1", "--progress-every", "1");
            assertEquals(0, pg.exitCode, pg::toString);
            assertTrue(pg.out.contains(", lag 0.0 s\n"), pg.out);
        } else {
            CliRun notAReplica = backfill(rules, db, "orders-v2", "--max-lag", "1", "--replica-url", db.rawUrl());
            assertEquals(2, notAReplica.exitCode, notAReplica::toString);
            assertTrue(notAReplica.err.contains("replica 1 is not a replica (SHOW REPLICA STATUS returned no row)"),
                    notAReplica.err);
            CliRun noSource = backfill(rules, db, "orders-v2", "--max-lag", "1");
            assertEquals(2, noSource.exitCode, noSource::toString);
        }
    }

    @Test
    void badInputExitsTwo() throws Exception {
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        CliRun noUrl = CliRun.of("backfill", rules.toString(), "--migration", "users-display-name");
        assertEquals(2, noUrl.exitCode, noUrl::toString);
        assertTrue(noUrl.err.contains("--url is required"), noUrl.err);
        CliRun noVerifyUrl = CliRun.of("verify", rules.toString(), "--migration", "users-display-name");
        assertEquals(2, noVerifyUrl.exitCode, noVerifyUrl::toString);
        TestDatabase db = Databases.fresh(Engine.POSTGRESQL);
        CliRun unknown = backfill(rules, db, "nope");
        assertEquals(2, unknown.exitCode, unknown::toString);
        assertTrue(unknown.err.contains("no migration 'nope'"), unknown.err);
        BackfillFixture.rules(dir, BackfillFixture.RULES.replace("phase: migrate", "phase: off"));
        CliRun off = backfill(rules, db, "users-display-name");
        assertEquals(2, off.exitCode, off::toString);
        assertTrue(off.err.contains("backfill runs while the driver writes both sides"), off.err);
        CliRun batch = backfill(rules, db, "orders-v2", "--batch-size", "0");
        assertEquals(2, batch.exitCode, batch::toString);
        CliRun missing = backfill(rules, db, "orders-v2");
        assertEquals(1, missing.exitCode, missing::toString);
        assertTrue(missing.out.contains("table orders not found"), missing.out);
    }
}
