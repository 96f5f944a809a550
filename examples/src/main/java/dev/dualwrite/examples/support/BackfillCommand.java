package dev.dualwrite.examples.support;

import dev.dualwrite.ops.cli.DualWriteCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The driver's own {@code backfill} command, run in-process exactly as an operator runs it from the
 * {@code -all} jar: batches in key order under the rule file's mapping, progress kept in
 * {@code dualwrite_backfill_progress}. The examples use it instead of SQL of their own, so the mapping they
 * backfill with is the one the driver writes with.
 */
public final class BackfillCommand {
    private BackfillCommand() {
    }

    /** Backfills one migration of {@code rules} in batches of {@code batchSize}; returns the command's summary line. */
    public static String run(EmbeddedDatabase db, RuleFile rules, String migration, int batchSize) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DualWriteCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "backfill",
                rules.path().toString(), "--url", db.jdbcUrl(), "--user", db.user(), "--password", db.password(),
                "--migration", migration, "--batch-size", Integer.toString(batchSize));
        if (code != DualWriteCli.OK) {
            throw new IllegalStateException("backfill " + migration + " exited with " + code + ": " + err + out);
        }
        String[] lines = out.toString().trim().split("\\R");
        return lines[lines.length - 1].trim();
    }
}
