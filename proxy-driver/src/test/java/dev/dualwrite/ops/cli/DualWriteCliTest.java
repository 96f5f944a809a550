package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The top level: help, version, and the exit code for a missing or unknown command. */
class DualWriteCliTest {
    @Test
    void helpListsEveryCommandAndTheDriverClassPath() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode, run::toString);
        for (String command : new String[] {"validate", "explain", "flip", "status"}) {
            assertTrue(run.out.contains("  " + command + " "), command + " in\n" + run.out);
        }
        assertTrue(run.out.contains("java -cp proxy-driver-<version>-all.jar:postgresql.jar"), run.out);
        assertTrue(run.out.contains("Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input."), run.out);
    }

    @Test
    void everyCommandHasHelpWithItsExitCodes() {
        for (String command : new String[] {"validate", "explain", "flip", "status"}) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode, run::toString);
            assertTrue(run.out.contains("Usage: dualwrite " + command), run.out);
            assertTrue(run.out.contains("Exit codes: 0"), run.out);
        }
    }

    @Test
    void versionComesFromTheBuild() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.matches("dualwrite-jdbc [0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?\\R"), run.out);
    }

    @Test
    void noCommandOrAnUnknownOneIsBadUsage() {
        CliRun none = CliRun.of();
        assertEquals(2, none.exitCode, none::toString);
        assertTrue(none.err.contains("name a command"), none.err);
        CliRun unknown = CliRun.of("frobnicate");
        assertEquals(2, unknown.exitCode, unknown::toString);
        CliRun badOption = CliRun.of("validate", "--no-such-option", "x.yaml");
        assertEquals(2, badOption.exitCode, badOption::toString);
    }
}
