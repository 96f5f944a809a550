package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    static final String RENAME = "version: 1\n"
            + "migrations:\n"
            + "  - id: users-display-name\n"
            + "    table: users\n"
            + "    phase: expand\n"
            + "    columns:\n"
            + "      user_name:\n"
            + "        to: display_name\n";

    static final String MOVE = "version: 1\n"
            + "migrations:\n"
            + "  - id: orders-v2\n"
            + "    table: orders\n"
            + "    to_table: orders_v2\n"
            + "    phase: migrate\n"
            + "    columns:\n"
            + "      status:\n"
            + "        to: order_state\n"
            + "        values: { A: active, C: cancelled }\n"
            + "      legacy_flags:\n"
            + "        drop: true\n";

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("migrations.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aGoodFileIsOk() throws Exception {
        CliRun run = CliRun.of("validate", write(RENAME).toString());
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.startsWith("OK: "), run.out);
    }

    @Test
    void aBrokenFilePrintsEveryProblemWithFileLineAndColumn() throws Exception {
        Path file = write(RENAME.replace("phase: expand", "phase: expnd").replace("to: display_name", "too: display_name"));
        CliRun run = CliRun.of("validate", file.toString());
        assertEquals(1, run.exitCode, run::toString);
        assertTrue(run.out.contains(file + ":5:12: migrations[0] (users-display-name).phase: 'expnd' is not a phase"),
                run.out);
        assertTrue(run.out.contains(file + ":8:9: "), "the second problem too:\n" + run.out);
    }

    @Test
    void aMissingFileIsBadInput() {
        CliRun run = CliRun.of("validate", dir.resolve("nope.yaml").toString());
        assertEquals(2, run.exitCode, run::toString);
        assertTrue(run.err.contains("nope.yaml does not exist"), run.err);
    }

    @Test
    void aUrlOfAnotherDatabaseIsBadInput() throws Exception {
        CliRun run = CliRun.of("validate", write(RENAME).toString(), "--url", "jdbc:oracle:thin:@db:1521/x");
        assertEquals(2, run.exitCode, run::toString);
        assertTrue(run.err.contains("PostgreSQL or MySQL/MariaDB"), run.err);
    }

    @BothEngines
    void aSchemaWithoutTheNewColumnFailsNamingRuleAndColumn(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50))");
        Path file = write(RENAME);
        CliRun run = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(1, run.exitCode, run::toString);
        assertEquals(file + ":3: users-display-name: new column display_name (from user_name) not found in table "
                + db.schema()
                + ".users; phase expand needs it: add it first\n", run.out);

        db.exec("ALTER TABLE users ADD COLUMN display_name VARCHAR(50)");
        CliRun ok = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(0, ok.exitCode, ok::toString);
        assertTrue(ok.out.startsWith("OK: " + file + " is valid and its 1 active migration fits "), ok.out);
    }

    @BothEngines
    void theDualwriteUrlOfTheApplicationWorksToo(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE users (id INT PRIMARY KEY, user_name VARCHAR(50), display_name VARCHAR(50))");
        Path file = write(RENAME);
        String url = "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length())
                + (db.rawUrl().contains("?") ? "&" : "?") + "dualwrite.rules=" + file;
        CliRun run = CliRun.of("validate", file.toString(), "--url", url, "--user", db.user());
        assertEquals(0, run.exitCode, run::toString);
    }

    @BothEngines
    void aTableMoveNeedsTheOldTableItsKeyTheNewTableAndEveryCarriedColumn(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        db.exec("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(10), legacy_flags INT, amount INT)",
                "CREATE TABLE orders_v2 (id INT PRIMARY KEY, order_state VARCHAR(10))");
        Path file = write(MOVE);
        CliRun run = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(1, run.exitCode, run::toString);
        // amount is carried under its own name; the dropped legacy_flags is not needed
        assertEquals(file + ":3: orders-v2: new column amount not found in table " + db.schema()
                + ".orders_v2; phase migrate needs it: add it first\n", run.out);

        db.exec("ALTER TABLE orders_v2 ADD COLUMN amount INT");
        CliRun ok = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(0, ok.exitCode, ok::toString);

        // contract: the old table may be gone, the new one is all that is needed
        db.exec("DROP TABLE orders");
        Files.writeString(file, MOVE.replace("phase: migrate", "phase: contract"));
        CliRun contract = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(0, contract.exitCode, contract::toString);
        Files.writeString(file, MOVE);
        CliRun migrate = CliRun.of("validate", file.toString(), "--url", db.rawUrl(), "--user", db.user());
        assertEquals(1, migrate.exitCode, migrate::toString);
        assertTrue(migrate.out.contains("orders-v2: table orders not found in "), migrate.out);
    }

    @BothEngines
    void thePasswordIsNeverPrinted(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        String secret = "s3cret-Pa55word";
        String file = write(RENAME).toString();
        // the embedded servers do not check passwords: this one connects and finds no table users
        CliRun run = CliRun.of("validate", file, "--url", db.rawUrl() + "&password=" + secret, "--user", db.user(),
                "--password", secret);
        assertEquals(1, run.exitCode, run::toString);
        assertFalse(run.out.contains(secret) || run.err.contains(secret), run::toString);
        // nothing listens on port 1: the driver's error is printed, the secrets are not
        String unreachable = db.rawUrl().replaceFirst(":[0-9]+/", ":1/") + "&password=" + secret;
        CliRun refused = CliRun.of("validate", file, "--url", unreachable, "--user", db.user(), "--password", secret);
        assertEquals(2, refused.exitCode, refused::toString);
        assertTrue(refused.err.contains("cannot connect to the database: "), refused.err);
        assertFalse(refused.out.contains(secret) || refused.err.contains(secret), refused::toString);
    }
}
