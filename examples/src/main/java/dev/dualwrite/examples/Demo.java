package dev.dualwrite.examples;

import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renames {@code users.user_name} to {@code display_name} under a running application that is never
 * changed or restarted, by the expand-contract recipe:
 *
 * <ol>
 * <li>expand: add the new column, then tell the driver to write both columns;</li>
 * <li>backfill the rows written before that, and verify the two columns agree;</li>
 * <li>flip: reads come from the new column (still labelled {@code user_name} for the app);</li>
 * <li>contract: writes go to the new column only, and the old column is dropped.</li>
 * </ol>
 *
 * The application ({@link LegacyApp}) only ever names {@code user_name}; the database and the rule file
 * are the only things the operator changes. The demo exits 0 only if the app saw no error or wrong
 * answer and the table ends in the expected shape.
 */
public final class Demo {
    static final int SEED_ROWS = 2_000;
    static final int APP_THREADS = 2;
    static final int BACKFILL_BATCH = 250;
    /** The driver promises to see a rule change within 1 s; waiting a bit longer makes the step certain. */
    static final long RELOAD_WAIT_MILLIS = 1_500;

    private static final String SEED_NAME_PREFIX = "seed-";
    private static final String VERIFY_SQL =
            "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM user_name";

    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** The name a seeded row starts with; {@link LegacyApp} needs it to check its reads. */
    static String seedName(long id) {
        return SEED_NAME_PREFIX + id;
    }

    /** Runs the whole demo and returns the process exit code: 0 when every check held, else 1. */
    static int run(PrintStream out) {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            return new Migration(out, pg, RuleFile.create("demo")).run();
        } catch (Exception e) {
            out.println("FAILED: the demo itself failed: " + e);
            e.printStackTrace(out);
            return 1;
        }
    }

    /** One run of the migration, step by step. */
    private static final class Migration {
        private final PrintStream out;
        private final EmbeddedPostgres pg;
        private final RuleFile rules;
        private final RawDb db;
        private final List<String> failures = new ArrayList<>();

        Migration(PrintStream out, EmbeddedPostgres pg, RuleFile rules) {
            this.out = out;
            this.pg = pg;
            this.rules = rules;
            this.db = new RawDb(pg.getPostgresDatabase());
        }

        int run() throws Exception {
            out.println("dualwrite demo: rename users.user_name -> display_name under a running legacy app");
            db.exec("CREATE TABLE users (id bigint PRIMARY KEY, user_name text NOT NULL)");
            db.exec("INSERT INTO users (id, user_name) SELECT g, '" + SEED_NAME_PREFIX + "' || g"
                    + " FROM generate_series(1, " + SEED_ROWS + ") g");
            // The driver must find a valid file from the first connection on; 'off' means pass-through.
            rules.write(RenameUsersColumn.rules("off", null));
            String url = "jdbc:dualwrite:postgresql://localhost:" + pg.getPort() + "/postgres?dualwrite.rules="
                    + rules.path();
            out.println("  PostgreSQL on port " + pg.getPort() + ", " + SEED_ROWS + " users");
            out.println("  rule file " + rules.path());
            out.println("  app URL   " + url);

            long opsAfterDrop;
            LegacyApp app = new LegacyApp(url, "postgres", SEED_ROWS, SEED_ROWS + 1, APP_THREADS);
            try (app; Progress progress = new Progress(out, out == System.out && System.console() != null, app, db)) {
                app.start();
                opsAfterDrop = migrate(app, progress);
            }
            out.println("  app stopped after " + app.ops() + " operations");
            finalChecks(app, opsAfterDrop);
            return report(app);
        }

        /** Walks the phases while the app runs; returns the app's operations after the old column was dropped. */
        private long migrate(LegacyApp app, Progress p) throws Exception {
            p.run("0 off", "app running through the driver, rules say off: pure pass-through", 1_000);

            // 1. Expand. The column comes first: once the rules say expand, every write names display_name.
            db.exec("ALTER TABLE users ADD COLUMN display_name text");
            p.step("1 expand", "ALTER TABLE users ADD COLUMN display_name text");
            p.countMismatchesWith(VERIFY_SQL);
            rules.update(RenameUsersColumn.rules("expand", null));
            p.run("1 expand", "rule file -> phase: expand", RELOAD_WAIT_MILLIS);

            // 2. Dual writes: rows the app inserts from now on must arrive with both columns set.
            long watermark = app.nextId();
            p.run("2 dual", "watching rows the app inserts", 1_000);
            long[] counts = db.queryLongs("SELECT count(*), count(*) FILTER (WHERE display_name = user_name)"
                    + " FROM users WHERE id >= ?", watermark);
            long inserted = counts[0];
            long mirrored = counts[1];
            p.note("new rows: " + inserted + ", with display_name = user_name: " + mirrored);
            check(inserted > 0, "the app inserted no rows during expand");
            check(inserted == mirrored, (inserted - mirrored) + " rows inserted during expand lack display_name");

            // 3. Backfill the rows written before dual writes began. Rows written later are mirrored
            // already, but covering every id up to the current maximum costs little and leaves no gap
            // around the moment the driver picked up the new rules.
            long maxId = db.queryLong("SELECT coalesce(max(id), 0) FROM users");
            long[] batches = {0};
            long changed = backfill(db, 1, maxId, BACKFILL_BATCH, () -> batches[0]++);
            p.step("3 backfill", changed + " rows copied in " + batches[0] + " batches of " + BACKFILL_BATCH);

            // 4. Verify while the app keeps writing: a single zero could be luck, zeros throughout are not.
            int checks = 0;
            long worst = 0;
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                worst = Math.max(worst, db.queryLong(VERIFY_SQL));
                checks++;
                Thread.sleep(200);
            }
            p.step("4 verify", checks + " checks over 2 s, most mismatches seen: " + worst);
            check(worst == 0, "verify saw " + worst + " rows where display_name differs from user_name");

            // 5. Flip reads to the new column. The app still asks for user_name and must not notice.
            rules.update(RenameUsersColumn.rules("migrate", "new"));
            p.run("5 flip", "rule file -> phase: migrate, reads: new", RELOAD_WAIT_MILLIS);

            // 6. Contract. From here the driver writes display_name only, so the old column must stop
            // requiring a value before the rules say so, or the app's inserts would fail.
            db.exec("ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL");
            p.step("6 contract", "ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL");
            p.countMismatchesWith("SELECT count(*) FROM users WHERE display_name IS NULL");
            rules.update(RenameUsersColumn.rules("contract", null));
            p.run("6 contract", "rule file -> phase: contract", RELOAD_WAIT_MILLIS);
            long contractWatermark = app.nextId();
            p.run("6 contract", "watching rows the app inserts", 1_000);
            counts = db.queryLongs("SELECT count(*), count(*) FILTER (WHERE user_name IS NULL)"
                    + " FROM users WHERE id >= ?", contractWatermark);
            long sinceContract = counts[0];
            long newOnly = counts[1];
            p.note("rows inserted since contract: " + sinceContract + ", of which user_name left NULL: " + newOnly);
            check(sinceContract > 0, "the app inserted no rows during contract");
            check(newOnly == sinceContract, (sinceContract - newOnly)
                    + " rows inserted during contract still got user_name; contract writes the new column only");

            // The drop waits for in-flight statements; the app's next statements wait for the drop.
            db.exec("ALTER TABLE users DROP COLUMN user_name");
            p.step("6 contract", "ALTER TABLE users DROP COLUMN user_name");
            long opsAtDrop = app.ops();
            p.run("6 contract", "app keeps running without the old column", 3_000);
            return app.ops() - opsAtDrop;
        }

        private void finalChecks(LegacyApp app, long opsAfterDrop) throws SQLException {
            boolean gone = !db.columnExists("users", "user_name");
            long nulls = db.queryLong("SELECT count(*) FROM users WHERE display_name IS NULL");
            long rows = db.queryLong("SELECT count(*) FROM users");
            out.println("final checks (plain JDBC):");
            out.println("  column users.user_name is gone:      " + gone);
            out.println("  rows with display_name NULL:         " + nulls + " of " + rows);
            out.println("  app operations after DROP COLUMN:    " + opsAfterDrop);
            out.println("  app errors and wrong answers:        " + app.errors());
            check(gone, "column users.user_name still exists");
            check(nulls == 0, nulls + " rows have no display_name");
            check(rows > 0, "the users table is empty");
            check(opsAfterDrop > 0, "the app made no progress after the old column was dropped");
            check(app.errors() == 0, "the app saw " + app.errors() + " errors or wrong answers");
        }

        private int report(LegacyApp app) {
            if (failures.isEmpty()) {
                out.println("OK: user_name was renamed to display_name with the app running, and it never noticed");
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

    /**
     * Copies user_name into display_name for rows written before dual writes began. Small batches in
     * their own transactions keep row locks short, so the running application is never blocked for
     * long; the IS DISTINCT FROM guard makes a re-run cheap and skips rows the driver already mirrored.
     *
     * @return rows changed
     */
    static long backfill(RawDb db, long fromId, long toId, int batchSize, Runnable afterBatch) throws SQLException {
        long changed = 0;
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = user_name"
                        + " WHERE id BETWEEN ? AND ? AND display_name IS DISTINCT FROM user_name")) {
            c.setAutoCommit(true);
            for (long lo = fromId; lo <= toId; lo += batchSize) {
                ps.setLong(1, lo);
                ps.setLong(2, Math.min(toId, lo + batchSize - 1));
                changed += ps.executeUpdate();
                afterBatch.run();
            }
        }
        return changed;
    }
}
