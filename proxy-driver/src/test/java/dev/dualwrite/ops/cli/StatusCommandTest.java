package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
    static final String RULES = "version: 1\n"
            + "migrations:\n"
            + "  - id: users-display-name\n"
            + "    table: users\n"
            + "    phase: migrate\n"
            + "    reads: shadow\n"
            + "    columns:\n"
            + "      user_name:\n"
            + "        to: display_name\n"
            + "      score:\n"
            + "        to: points\n"
            + "        to_new: \"{} * 10\"\n"
            + "        to_old: \"{} / 10\"\n"
            + "      tier:\n"
            + "        to: tier_name\n"
            + "        values: { G: gold, S: silver }\n"
            + "  - id: orders-v2\n"
            + "    table: orders\n"
            + "    to_table: orders_v2\n"
            + "    phase: expand\n"
            + "    columns:\n"
            + "      status:\n"
            + "        to: order_state\n"
            + "        values: { A: active, C: cancelled }\n"
            + "      legacy_flags:\n"
            + "        drop: true\n"
            + "  - id: teams-later\n"
            + "    table: teams\n"
            + "    phase: off\n"
            + "    columns:\n"
            + "      name:\n"
            + "        to: title\n";

    @TempDir
    Path dir;

    private Path rules() throws Exception {
        Path file = dir.resolve("migrations.yaml");
        Files.writeString(file, RULES);
        return file;
    }

    private static TestDatabase consistent(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50),"
                        + " score INT, points INT, tier VARCHAR(10), tier_name VARCHAR(10))",
                "INSERT INTO users VALUES (1, 'ada', 'ada', 3, 30, 'G', 'gold'), (2, 'bob', 'bob', NULL, NULL, 'X', 'X'),"
                        + " (3, NULL, NULL, 0, 0, 'S', 'silver')",
                "CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(10), legacy_flags INT, amount INT)",
                "CREATE TABLE orders_v2 (id INT PRIMARY KEY, order_state VARCHAR(10), amount INT)",
                "INSERT INTO orders VALUES (1, 'A', 7, 100), (2, 'C', 0, NULL), (3, 'Z', 1, 5)",
                "INSERT INTO orders_v2 VALUES (1, 'active', 100), (2, 'cancelled', NULL), (3, 'Z', 5)");
        return db;
    }

    private CliRun status(TestDatabase db, String... more) throws Exception {
        String[] base = {"status", rules().toString(), "--url", db.rawUrl(), "--user", db.user()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @BothEngines
    void consistentDataCountsNothing(Engine engine) throws Exception {
        TestDatabase db = consistent(engine);
        CliRun run = status(db);
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.contains("users-display-name: users; phase migrate, reads shadow\n"
                + "  user_name -> display_name\n"
                + "  score -> points (to_new: {} * 10, to_old: {} / 10)\n"
                + "  tier -> tier_name (values: 'G' -> 'gold', 'S' -> 'silver')\n"
                + "  sample: 3 rows of users checked (at most 10000), 0 differing from the rule\n"), run.out);
        assertTrue(run.out.contains("orders-v2: orders -> orders_v2; phase expand, reads old\n"), run.out);
        assertTrue(run.out.contains("  sample: 3 rows of orders checked (at most 10000), 0 differing from the rule\n"),
                run.out);
        assertTrue(run.out.contains("teams-later: teams; phase off, reads old\n  name -> title\n"
                + "  not checked: in phase off the old side is not written\n"), run.out);
    }

    @BothEngines
    void oneRowWhoseNewColumnDiffersCountsOne(Engine engine) throws Exception {
        TestDatabase db = consistent(engine);
        db.exec("UPDATE users SET points = 31 WHERE id = 1");
        CliRun run = status(db);
        assertEquals(1, run.exitCode, run::toString);
        assertTrue(run.out.contains("  sample: 3 rows of users checked (at most 10000), 1 differing from the rule\n"
                + "    score -> points: 0 missing, 1 different\n"), run.out);

        // a missing value (NULL where the rule implies one) in another row is counted apart
        db.exec("UPDATE users SET display_name = NULL WHERE id = 2", "UPDATE users SET tier_name = 'gold' WHERE id = 2");
        run = status(db);
        assertEquals(1, run.exitCode, run::toString);
        assertTrue(run.out.contains("  sample: 3 rows of users checked (at most 10000), 2 differing from the rule\n"
                + "    user_name -> display_name: 1 missing, 0 different\n"
                + "    score -> points: 0 missing, 1 different\n"
                + "    tier -> tier_name: 0 missing, 1 different\n"), run.out);
        CliRun sampled = status(db, "--sample", "1");
        assertTrue(sampled.out.contains("  sample: 1 rows of users checked (at most 1), "), sampled.out);
    }

    @BothEngines
    void aTableMoveCountsRowsMissingFromTheNewTableAndRowsThatDiffer(Engine engine) throws Exception {
        TestDatabase db = consistent(engine);
        db.exec("DELETE FROM orders_v2 WHERE id = 2", "UPDATE orders_v2 SET amount = 99 WHERE id = 3");
        CliRun run = status(db);
        assertEquals(1, run.exitCode, run::toString);
        assertTrue(run.out.contains("  sample: 3 rows of orders checked (at most 10000), 2 differing from the rule"
                + " (1 without a row in orders_v2)\n    amount: 0 missing, 1 different\n"), run.out);
    }

    @Test
    void withoutADatabaseItOnlyLists() throws Exception {
        CliRun run = CliRun.of("status", rules().toString());
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.startsWith(rules() + ": 3 migrations\nusers-display-name: users; phase migrate, reads shadow\n"),
                run.out);
        assertTrue(run.out.contains("orders-v2: orders -> orders_v2; phase expand, reads old\n"
                + "  status -> order_state (values: 'A' -> 'active', 'C' -> 'cancelled')\n  legacy_flags dropped\n"),
                run.out);
        CliRun zero = CliRun.of("status", rules().toString(), "--sample", "0");
        assertEquals(2, zero.exitCode, zero::toString);
    }
}
