package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import dev.dualwrite.rules.RuleLoader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlipCommandTest {
    /** Comments of every kind, odd spacing, quoting, CRLF-free but with a non-ASCII comment. */
    static final String FILE = "# rules for the app — owned by the platform team 🚀\n"
            + "version: 1\n"
            + "\n"
            + "migrations:\n"
            + "  # first the rename\n"
            + "  - id: users-display-name      # ticket OPS-12\n"
            + "    table:   users\n"
            + "    phase: expand   # since Monday\n"
            + "    columns:\n"
            + "      user_name:\n"
            + "        to: display_name   # keep in sync with the app\n"
            + "\n"
            + "  - id: orders-state\n"
            + "    table: orders\n"
            + "    phase: 'migrate'\n"
            + "    reads: shadow:10       # comparing 10% of reads\n"
            + "    columns:\n"
            + "      status: { to: state }\n"
            + "# trailing comment without a newline at the end";

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void write() throws Exception {
        file = dir.resolve("migrations.yaml");
        Files.writeString(file, FILE);
    }

    private String text() throws Exception {
        return Files.readString(file);
    }

    @Test
    void onlyThePhaseAndReadsLinesChange() throws Exception {
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "migrate");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals(FILE.replace("    phase: expand   # since Monday\n", "    phase: migrate   # since Monday\n"),
                text());
        assertEquals("dualwrite flip rule=users-display-name phase=expand->migrate reads=old->old file=" + file
                + " sha256=" + sha256(text()) + "\n", run.out);

        // a reads: line is inserted after phase:, indented like it
        run = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--reads", "canary:5");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals(FILE.replace("    phase: expand   # since Monday\n",
                "    phase: migrate   # since Monday\n    reads: canary:5\n"), text());
        assertTrue(run.err.contains("warning: nothing was verified"), run.err);

        // an existing reads: value is replaced in place, its comment kept; quotes of phase: are kept
        run = CliRun.of("flip", file.toString(), "--migration", "orders-state", "--reads", "new", "--phase", "migrate");
        assertEquals(0, run.exitCode, run::toString);
        String expected = FILE.replace("    phase: expand   # since Monday\n",
                "    phase: migrate   # since Monday\n    reads: canary:5\n")
                .replace("    reads: shadow:10       # comparing 10% of reads\n", "    reads: new       # comparing 10% of reads\n");
        assertEquals(expected, text());
        assertTrue(run.out.startsWith("dualwrite flip rule=orders-state phase=migrate->migrate reads=shadow:10->new "),
                run.out);

        // back to expand: reads: new would contradict it, so the line goes
        run = CliRun.of("flip", file.toString(), "--migration", "orders-state", "--phase", "expand");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals(expected.replace("    phase: 'migrate'\n    reads: new       # comparing 10% of reads\n",
                "    phase: 'expand'\n"), text());
        assertTrue(run.out.contains(" phase=migrate->expand reads=new->old "), run.out);
        RuleLoader.parse(text(), "check");
    }

    @Test
    void windowsLineEndingsAreKept() throws Exception {
        Files.writeString(file, FILE.replace("\n", "\r\n"));
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "migrate",
                "--reads", "shadow");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals(FILE.replace("    phase: expand   # since Monday\n",
                "    phase: migrate   # since Monday\n    reads: shadow\n").replace("\n", "\r\n"), text());
    }

    @Test
    void illegalTransitionsAreRefusedAndChangeNothing() throws Exception {
        byte[] before = Files.readAllBytes(file);
        String[][] refused = {
            {"users-display-name", "--phase", "contract"}, // skips migrate
            {"users-display-name", "--reads", "new"}, // reads new in expand
            {"orders-state", "--phase", "contract", "--reads", "shadow"}, // reads other than new in contract
        };
        for (String[] flip : refused) {
            CliRun run = CliRun.of(Stream.concat(Stream.of("flip", file.toString(), "--migration"), Stream.of(flip))
                    .toArray(String[]::new));
            assertEquals(1, run.exitCode, run::toString);
            assertTrue(run.err.contains("refused: unsafe step: "), run.err);
            assertTrue(run.err.contains("use --force to do it anyway"), run.err);
            assertEquals("", run.out);
            assertArrayEquals(before, Files.readAllBytes(file), String.join(" ", flip));
        }
        // off -> migrate skips expand; contract -> migrate goes back to a side nothing writes
        Files.writeString(file, FILE.replace("phase: expand", "phase: off"));
        CliRun skip = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "migrate");
        assertEquals(1, skip.exitCode, skip::toString);
        assertTrue(skip.err.contains("skips expand"), skip.err);
        Files.writeString(file, FILE.replace("phase: expand", "phase: contract"));
        CliRun back = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "migrate");
        assertEquals(1, back.exitCode, back::toString);
        assertTrue(back.err.contains("going back from contract"), back.err);
        assertEquals(FILE.replace("phase: expand", "phase: contract"), text());
    }

    @Test
    void forceAllowsAnUnsafeStepButNeverAnInvalidFile() throws Exception {
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "contract",
                "--force");
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.err.contains("warning: forced past unsafe step: contract right after expand skips migrate"),
                run.err);
        assertEquals(FILE.replace("phase: expand", "phase: contract"), text());
        assertTrue(run.out.contains(" phase=expand->contract reads=old->new "), run.out);

        // reads: shadow in contract makes the file invalid: even --force does not write it
        byte[] before = Files.readAllBytes(file);
        CliRun invalid = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--reads", "shadow",
                "--force");
        assertEquals(1, invalid.exitCode, invalid::toString);
        assertTrue(invalid.err.contains(file + ":9:12: migrations[0] (users-display-name).reads: 'shadow' contradicts"
                + " phase contract"), invalid.err);
        assertTrue(invalid.err.contains("was not changed: the flip would make it invalid"), invalid.err);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void theFileIsReplacedAtomicallyAndNoTemporaryFileIsLeft() throws Exception {
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "migrate");
        assertEquals(0, run.exitCode, run::toString);
        Object after = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        if (inode != null) {
            // a rename puts a new file in place; writing in place would keep the inode
            assertTrue(!inode.equals(after), "the file was renamed over, not rewritten in place");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("migrations.yaml"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void flippingToTheStateItIsInWritesNothing() throws Exception {
        Object stamp = Files.getLastModifiedTime(file);
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "orders-state", "--reads", "shadow:10");
        assertEquals(0, run.exitCode, run::toString);
        assertEquals("dualwrite flip rule=orders-state phase=migrate->migrate reads=shadow:10->shadow:10 file=" + file
                + " sha256=" + sha256(FILE) + "\n", run.out);
        assertEquals(FILE, text());
        assertEquals(stamp, Files.getLastModifiedTime(file));
    }

    @Test
    void aMigrationInFlowStyleCannotGainALineAndSaysSo() throws Exception {
        Files.writeString(file, "version: 1\nmigrations:\n  - { id: m, table: t, phase: expand, columns: { a: { to: b } } }\n");
        CliRun run = CliRun.of("flip", file.toString(), "--migration", "m", "--phase", "migrate", "--reads", "new");
        assertEquals(2, run.exitCode, run::toString);
        assertTrue(run.err.contains("written in flow style"), run.err);
        // changing a value in place works in flow style too
        CliRun phase = CliRun.of("flip", file.toString(), "--migration", "m", "--phase", "migrate");
        assertEquals(0, phase.exitCode, phase::toString);
        assertEquals("version: 1\nmigrations:\n  - { id: m, table: t, phase: migrate, columns: { a: { to: b } } }\n", text());
    }

    @Test
    void badInputExitsTwo() throws Exception {
        CliRun unknown = CliRun.of("flip", file.toString(), "--migration", "nope", "--phase", "migrate");
        assertEquals(2, unknown.exitCode, unknown::toString);
        assertTrue(unknown.err.contains("no migration 'nope'"), unknown.err);
        assertTrue(unknown.err.contains("users-display-name, orders-state"), unknown.err);
        CliRun nothing = CliRun.of("flip", file.toString(), "--migration", "orders-state");
        assertEquals(2, nothing.exitCode, nothing::toString);
        CliRun badFlag = CliRun.of("flip", file.toString(), "--migration", "orders-state", "--reads", "canary:100");
        assertEquals(2, badFlag.exitCode, badFlag::toString);
        assertTrue(badFlag.err.contains("use old, new, shadow, shadow:<1-100> or canary:<1-99>"), badFlag.err);
        CliRun missing = CliRun.of("flip", dir.resolve("gone.yaml").toString(), "--migration", "x", "--phase", "off");
        assertEquals(2, missing.exitCode, missing::toString);
        assertEquals(FILE, text());
    }

    @BothEngines
    void readsNewWithAUrlComparesTheDataFirst(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50))",
                "INSERT INTO users VALUES (1, 'ada', 'ada'), (2, 'bob', NULL)");
        String migrate = FILE.replace("phase: expand", "phase: migrate");
        Files.writeString(file, migrate);
        String[] flip = {"flip", file.toString(), "--migration", "users-display-name", "--reads", "new",
            "--url", db.rawUrl(), "--user", db.user()};
        CliRun refused = CliRun.of(flip);
        assertEquals(1, refused.exitCode, refused::toString);
        assertTrue(refused.err.contains("verify users-display-name: all 2 rows of users compared, 1 differing from the"
                + " rule\n  user_name -> display_name: 1 missing, 0 different\n  first differing keys: [\"2\"]\n"),
                refused.err);
        assertTrue(refused.err.contains("refused: data differs: 1 rows of users differ from what the rule implies;"
                + " backfill them first: dualwrite backfill " + file + " --url ... --migration users-display-name"),
                refused.err);
        assertEquals("", refused.out);
        assertEquals(migrate, text());

        // a sample is what --sample says; --force flips despite the difference
        String[] sampled = java.util.Arrays.copyOf(flip, flip.length + 2);
        sampled[flip.length] = "--sample";
        sampled[flip.length + 1] = "1";
        CliRun one = CliRun.of(sampled);
        assertEquals(0, one.exitCode, one::toString); // row 1 agrees
        assertTrue(one.err.contains("verified: 1 rows of users (at most 1) hold what the rule implies"), one.err);
        Files.writeString(file, migrate);

        db.exec("UPDATE users SET display_name = user_name");
        CliRun ok = CliRun.of(flip);
        assertEquals(0, ok.exitCode, ok::toString);
        assertTrue(ok.err.contains("verified: 2 rows of users hold what the rule implies"), ok.err);
        assertEquals(migrate.replace("    phase: migrate   # since Monday\n",
                "    phase: migrate   # since Monday\n    reads: new\n"), text());

        // contract is the last chance: the old side stops being written, so it is verified too
        db.exec("UPDATE users SET display_name = 'x' WHERE id = 1");
        CliRun contract = CliRun.of("flip", file.toString(), "--migration", "users-display-name", "--phase", "contract",
                "--url", db.rawUrl(), "--user", db.user());
        assertEquals(1, contract.exitCode, contract::toString);
        assertTrue(contract.err.contains("refused: data differs: 1 rows of users differ"), contract.err);
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%064x", new BigInteger(1, digest));
    }
}
