package dev.dualwrite.examples;

import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.strangler.OrdersToBilling;
import dev.dualwrite.examples.support.BackfillCommand;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.LegacyApp;
import dev.dualwrite.examples.support.OrdersWorkload;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleCounters;
import dev.dualwrite.examples.support.RuleFile;
import dev.dualwrite.examples.support.UsersWorkload;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two migrations under a running application that is never changed or restarted, by the
 * expand-contract recipe: the column rename {@code users.user_name -> display_name} and the table move
 * {@code orders -> billing.orders_v2} ({@code status -> order_state}, with a value map).
 *
 * <ol>
 * <li>expand: the new column and table are created, then the driver writes both sides;</li>
 * <li>shadow reads: the driver compares old and new answers behind the app's back, and counts the
 * differences: the rows the backfill has not reached yet;</li>
 * <li>backfill the rows written before dual writes began; the shadow counter stops growing;</li>
 * <li>flip: reads come from the new side (still under the old names, for the app);</li>
 * <li>contract: writes go to the new side only, the old column is dropped and the old table renamed
 * away.</li>
 * </ol>
 *
 * The application ({@link LegacyApp} with {@link UsersWorkload} and {@link OrdersWorkload}) only ever
 * names {@code user_name}, {@code orders} and {@code status}; the database and the rule file are the only
 * things the operator changes. The demo exits 0 only if the app saw no error or wrong answer and the
 * tables end as they should.
 */
public final class Demo {
    static final int SEED_ROWS = 2_000;
    static final int APP_THREADS = 2;
    static final int BACKFILL_BATCH = 250;
    /** How long to wait, at most, for the shadow reads to catch a difference before the backfill. */
    static final long SHADOW_WAIT_MILLIS = 10_000;

    private static final String USERS_DIFFER =
            "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM user_name";

    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Runs the whole demo on a new embedded PostgreSQL; returns the process exit code. */
    static int run(PrintStream out) {
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            return run(db, out);
        } catch (Exception e) {
            out.println("FAILED: could not start the embedded PostgreSQL: " + e);
            e.printStackTrace(out);
            return 1;
        }
    }

    /** Runs the whole demo on {@code db} and returns the exit code: 0 when every check held, else 1. */
    static int run(EmbeddedDatabase db, PrintStream out) {
        try {
            return new Migration(out, db, RuleFile.create("demo")).run();
        } catch (Exception e) {
            out.println("FAILED: the demo itself failed: " + e);
            e.printStackTrace(out);
            return 1;
        }
    }

    /** Both migrations' rule file entries, in one phase. */
    static String rules(String phase, String reads) {
        return RuleFile.yaml(RenameUsersColumn.migration(phase, reads), OrdersToBilling.migration(phase, reads));
    }

    /**
     * Copies the rows written before dual writes began (user_name into display_name, the orders into
     * billing.orders_v2) with the driver's {@code backfill} command: short batches in key order, each its own
     * transaction, so the running application is never blocked for long; rows that already agree are not
     * written.
     *
     * @return the command's summary line for each migration
     */
    static List<String> backfill(EmbeddedDatabase database, RuleFile rules) {
        return List.of(BackfillCommand.run(database, rules, RenameUsersColumn.RULE_ID, BACKFILL_BATCH),
                BackfillCommand.run(database, rules, OrdersToBilling.RULE_ID, BACKFILL_BATCH));
    }

    /** One run of the migration, step by step. */
    private static final class Migration {
        private final PrintStream out;
        private final EmbeddedDatabase database;
        private final RuleFile rules;
        private final RawDb db;
        private final List<String> failures = new ArrayList<>();
        private final List<OrdersWorkload> orderWorkloads = new ArrayList<>();
        private final RuleCounters users;
        private final RuleCounters orders;

        Migration(PrintStream out, EmbeddedDatabase database, RuleFile rules) {
            this.out = out;
            this.database = database;
            this.rules = rules;
            this.db = database.raw();
            this.users = rules.counters(RenameUsersColumn.RULE_ID);
            this.orders = rules.counters(OrdersToBilling.RULE_ID);
        }

        int run() throws Exception {
            long started = System.nanoTime();
            out.println("dualwrite demo: under a running legacy app, rename users.user_name -> display_name"
                    + " and move orders -> billing.orders_v2");
            db.exec("CREATE TABLE users (id bigint PRIMARY KEY, user_name text NOT NULL)",
                    "INSERT INTO users (id, user_name) SELECT g, 'seed-' || g FROM generate_series(1, " + SEED_ROWS + ") g",
                    OrdersToBilling.CREATE_OLD_TABLE,
                    "INSERT INTO orders (id, user_id, status) SELECT g, g % 100, CASE WHEN g % 3 = 0 THEN 'C' ELSE 'A' END"
                            + " FROM generate_series(1, " + SEED_ROWS + ") g");
            // The driver must find a valid file from the first connection on; 'off' means pass-through.
            rules.write(rules("off", null));
            String url = database.dualWriteUrl(rules);
            out.println("  PostgreSQL " + database.jdbcUrl() + ", " + SEED_ROWS + " users, " + SEED_ROWS + " orders");
            out.println("  rule file " + rules.path());
            out.println("  app URL   " + url + " (HikariCP, " + APP_THREADS + " threads, plain JDBC)");

            AtomicLong nextUser = new AtomicLong(SEED_ROWS + 1);
            AtomicLong nextOrder = new AtomicLong(SEED_ROWS + 1);
            LegacyApp app = new LegacyApp("legacy-app", url, database.user(), APP_THREADS, i -> {
                UsersWorkload u = new UsersWorkload(SEED_ROWS, i, APP_THREADS, nextUser);
                OrdersWorkload o = new OrdersWorkload(SEED_ROWS, i, APP_THREADS, nextOrder);
                orderWorkloads.add(o);
                return (c, random) -> (random.nextBoolean() ? u : o).step(c, random);
            });
            long opsAfterContract;
            boolean terminal = out == System.out && System.console() != null;
            try (app; Progress progress = new Progress(out, terminal, app, List.of(users, orders))) {
                app.start();
                opsAfterContract = migrate(app, progress, nextUser, nextOrder);
            }
            out.println("  app stopped after " + app.ops() + " operations");
            finalChecks(app, opsAfterContract);
            out.printf("  demo time: %.1f s%n", (System.nanoTime() - started) / 1e9);
            return report(app);
        }

        /** Walks the phases while the app runs; returns the app's operations after the contract DDL. */
        private long migrate(LegacyApp app, Progress p, AtomicLong nextUser, AtomicLong nextOrder) throws Exception {
            p.run("0 off", "app running through the driver, rules say off: pure pass-through", 1_000);

            // 1. Expand. The new column and table come first: once the rules say expand, writes name them.
            db.exec("ALTER TABLE users ADD COLUMN display_name text");
            p.step("1 expand", "ALTER TABLE users ADD COLUMN display_name text");
            db.exec(OrdersToBilling.CREATE_NEW_TABLE);
            p.step("1 expand", "CREATE SCHEMA billing; CREATE TABLE billing.orders_v2 (..., order_state text)");
            rules.update(rules("expand", null));
            p.run("1 expand", "rule file -> phase: expand", 500);

            // 2. Dual writes: rows the app writes from now on must arrive on both sides.
            long userMark = nextUser.get();
            long orderMark = nextOrder.get();
            p.run("2 dual", "watching rows the app inserts", 1_000);
            long[] u = db.queryLongs("SELECT count(*), count(*) FILTER (WHERE display_name = user_name)"
                    + " FROM users WHERE id >= ?", userMark);
            long[] o = db.queryLongs("SELECT count(*), count(n.id) FROM orders o LEFT JOIN billing.orders_v2 n"
                    + " ON n.id = o.id WHERE o.id >= ?", orderMark);
            p.note("new users: " + u[0] + ", with display_name = user_name: " + u[1]
                    + "; new orders: " + o[0] + ", also in billing.orders_v2: " + o[1]);
            check(u[0] > 0 && o[0] > 0, "the app inserted no rows during expand");
            check(u[0] == u[1], (u[0] - u[1]) + " users inserted during expand lack display_name");
            check(o[0] == o[1], (o[0] - o[1]) + " orders inserted during expand are missing from billing.orders_v2");

            // 3. Shadow reads before the backfill: the new side lacks the old rows, and the driver sees it.
            rules.update(rules("migrate", "shadow"));
            p.step("3 shadow", "rule file -> phase: migrate, reads: shadow (app still gets the old side)");
            waitForShadowMismatches(p);
            p.step("3 shadow", "users mismatches=" + users.shadowMismatches() + " of " + users.shadowReads()
                    + " compared, orders mismatches=" + orders.shadowMismatches() + " of " + orders.shadowReads());
            String sample = p.firstShadowMismatchLine();
            if (sample != null) {
                p.note("the driver logs each one, e.g.: " + sample);
            }
            check(users.shadowMismatches() > 0 && orders.shadowMismatches() > 0,
                    "shadow reads found no difference before the backfill; they should have");

            // 4. Backfill.
            for (String summary : backfill(database, rules)) {
                p.step("4 backfill", summary);
            }

            // 5. Shadow reads and plain SQL checks after the backfill: zeros throughout, not once by luck.
            Thread.sleep(200); // lets a comparison that started during the last batch finish
            long mismatchesAtBackfill = p.total(RuleCounters::shadowMismatches);
            long readsAtBackfill = p.total(RuleCounters::shadowReads);
            long worstSql = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                worstSql = Math.max(worstSql, db.queryLong(USERS_DIFFER) + db.queryLong(OrdersToBilling.COUNT_DIFFERENCES));
                p.live("5 verify", "shadow mismatches since the backfill: "
                        + (p.total(RuleCounters::shadowMismatches) - mismatchesAtBackfill));
                Thread.sleep(200);
            }
            p.step("5 verify", "shadow mismatches since the backfill: "
                    + (p.total(RuleCounters::shadowMismatches) - mismatchesAtBackfill));
            long newMismatches = p.total(RuleCounters::shadowMismatches) - mismatchesAtBackfill;
            long newReads = p.total(RuleCounters::shadowReads) - readsAtBackfill;
            p.note("since the backfill: " + newReads + " shadow reads, " + newMismatches + " mismatches;"
                    + " plain SQL, rows that differ (most seen): " + worstSql);
            check(newReads > 0, "no shadow reads after the backfill");
            check(newMismatches == 0, newMismatches + " shadow mismatches after the backfill");
            check(worstSql == 0, "plain SQL saw " + worstSql + " rows that differ after the backfill");

            // 6. Flip reads to the new side. The app still asks for user_name, orders and status.
            rules.update(rules("migrate", "new"));
            p.run("6 flip", "rule file -> phase: migrate, reads: new", 1_500);

            // 7. Contract. From here the driver writes the new side only, so the old column must stop
            // requiring a value first, or the app's inserts would fail.
            db.exec("ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL");
            p.step("7 contract", "ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL");
            rules.update(rules("contract", null));
            long contractMark = nextUser.get();
            p.run("7 contract", "rule file -> phase: contract", 1_000);
            long[] c = db.queryLongs("SELECT count(*), count(*) FILTER (WHERE user_name IS NULL)"
                    + " FROM users WHERE id >= ?", contractMark);
            p.note("users inserted since contract: " + c[0] + ", of which user_name left NULL: " + c[1]);
            check(c[0] > 0, "the app inserted no users during contract");
            check(c[0] == c[1], (c[0] - c[1]) + " users inserted during contract still got user_name");

            // The DDL waits for in-flight statements; the app's next statements wait for the DDL.
            db.exec("ALTER TABLE users DROP COLUMN user_name");
            p.step("7 contract", "ALTER TABLE users DROP COLUMN user_name");
            db.exec(OrdersToBilling.RETIRE_OLD_TABLE);
            p.step("7 contract", OrdersToBilling.RETIRE_OLD_TABLE);
            long opsAtDrop = app.ops();
            p.run("7 contract", "app keeps running without the old column and table", 3_000);
            return app.ops() - opsAtDrop;
        }

        /** Runs until both rules have counted a shadow difference, or gives up after a while. */
        private void waitForShadowMismatches(Progress p) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHADOW_WAIT_MILLIS);
            p.run("3 shadow", "comparing old and new reads", 1_500);
            while ((users.shadowMismatches() == 0 || orders.shadowMismatches() == 0) && System.nanoTime() < until) {
                p.run("3 shadow", "comparing old and new reads", 500);
            }
        }

        private void finalChecks(LegacyApp app, long opsAfterContract) throws SQLException {
            boolean columnGone = !db.columnExists("users", "user_name");
            long nulls = db.queryLong("SELECT count(*) FROM users WHERE display_name IS NULL");
            long rows = db.queryLong("SELECT count(*) FROM users");
            boolean tableGone = db.queryLong("SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_name = 'orders'") == 0;
            // Every order the app believes in, with the status it last gave it, is in the new table, mapped.
            Map<Long, String> expected = new TreeMap<>();
            orderWorkloads.forEach(w -> expected.putAll(w.expected()));
            List<List<String>> want = new ArrayList<>();
            expected.forEach((id, status) -> want.add(List.of(id.toString(),
                    Long.toString(OrdersWorkload.userOf(id)), "A".equals(status) ? "active" : "cancelled")));
            boolean ordersMatch = want.equals(db.rows("SELECT id, user_id, order_state FROM billing.orders_v2 ORDER BY id"));
            out.println("final checks (plain JDBC):");
            out.println("  column users.user_name is gone:              " + columnGone);
            out.println("  users with display_name NULL:                " + nulls + " of " + rows);
            out.println("  table orders is gone (renamed away):         " + tableGone);
            out.println("  billing.orders_v2 = the app's " + want.size() + " orders: " + ordersMatch);
            out.println("  app operations after contract DDL:           " + opsAfterContract);
            out.println("  app errors and wrong answers:                " + app.errors());
            check(columnGone, "column users.user_name still exists");
            check(nulls == 0, nulls + " users have no display_name");
            check(rows > 0, "the users table is empty");
            check(tableGone, "table orders still exists");
            check(ordersMatch, "billing.orders_v2 does not hold exactly the orders the app wrote");
            check(opsAfterContract > 0, "the app made no progress after the old column was dropped");
            check(app.errors() == 0, "the app saw " + app.errors() + " errors or wrong answers");
        }

        private int report(LegacyApp app) {
            if (failures.isEmpty()) {
                out.println("OK: user_name was renamed to display_name and orders moved to billing.orders_v2"
                        + " with the app running, and it never noticed");
                return 0;
            }
            out.println("FAILED:");
            failures.forEach(f -> out.println("  - " + f));
            List<String> samples = app.errorSamples();
            if (!samples.isEmpty()) {
                out.println("first application errors:");
                samples.forEach(s -> out.println("  " + s));
            }
            return 1;
        }

        private void check(boolean ok, String failure) {
            if (!ok) {
                failures.add(failure);
            }
        }
    }
}
