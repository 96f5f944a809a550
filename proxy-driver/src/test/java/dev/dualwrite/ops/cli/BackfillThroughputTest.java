package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows per second of a backfill of 200,000 rows, for the README: each run on a fresh table, default
 * options (batches of 1000, no pause), no other writers. Off by default; run it with
 * {@code -Ddualwrite.backfill.runs=5} (see README, Backfill). Prints the runs and their median.
 */
@EnabledIfSystemProperty(named = "dualwrite.backfill.runs", matches = "[1-9][0-9]*")
class BackfillThroughputTest {
    @TempDir
    Path dir;

    @BothEngines
    void rowsPerSecond(Engine engine) throws Exception {
        int runs = Integer.getInteger("dualwrite.backfill.runs");
        Path rules = BackfillFixture.rules(dir, BackfillFixture.RULES);
        for (String migration : List.of("users-display-name", "orders-v2")) {
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                TestDatabase db = Databases.fresh(engine);
                BackfillFixture.create(db, BackfillUnderLoadTest.ROWS, false);
                long t0 = System.nanoTime();
                CliRun run = CliRun.of("backfill", rules.toString(), "--url", db.rawUrl(), "--user", db.user(),
                        "--migration", migration, "--progress-every", "1000");
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(0, run.exitCode, run::toString);
                assertTrue(run.out.contains("done: 200000 rows in 200 batches this run (200000 written)"), run.out);
                rates.add(BackfillUnderLoadTest.ROWS / seconds);
            }
            List<Double> sorted = new ArrayList<>(rates);
            Collections.sort(sorted);
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "backfill-throughput %s %s: median %.0f rows/s over %d runs:", engine, migration, median, runs));
            for (double r : rates) {
                line.append(String.format(Locale.ROOT, " %.0f", r));
            }
            System.out.println(line);
        }
    }
}
