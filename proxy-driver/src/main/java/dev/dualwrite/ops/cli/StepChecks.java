package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;

/**
 * What {@code flip} and {@code publish} check before a migration takes a step: unsafe steps
 * ({@link FlipPlan#unsafe}), and, before reads come from the new side or contract begins, that the data
 * holds what the rule implies. Each reason is printed; {@code --force} goes past them.
 */
final class StepChecks {
    private final boolean force;
    private final DatabaseOptions database;
    private final Integer sample;
    private final String source;
    private final PrintWriter err;

    StepChecks(boolean force, DatabaseOptions database, Integer sample, String source, PrintWriter err) {
        this.force = force;
        this.database = database;
        this.sample = sample;
        this.source = source;
        this.err = err;
    }

    /** Prints each reason; false (refused) unless --force. */
    boolean allowed(List<String> reasons, String what) {
        for (String r : reasons) {
            err.println((force ? "warning: forced past " : "refused: ") + what + ": " + r);
        }
        if (!reasons.isEmpty() && !force) {
            err.println("nothing was changed; use --force to do it anyway");
            return false;
        }
        return true;
    }

    /** The data check of a step from {@code before} to {@code after}, where one is due. */
    boolean dataAllows(Migration before, Migration after) throws SQLException {
        // the last chances to compare: before reads move to the new side, and before the old side stops being written
        boolean contractNow = after.phase() == Phase.CONTRACT && before.phase() != Phase.CONTRACT;
        if ((readsNewFrom(after) && !readsNewFrom(before)) || contractNow) {
            return verified(before);
        }
        return true;
    }

    /** True when some reads of the migration are served from the new side. */
    private static boolean readsNewFrom(Migration m) {
        ReadFlag.Kind k = m.reads().kind();
        return m.phase() == Phase.CONTRACT
                || (m.phase() == Phase.MIGRATE && (k == ReadFlag.Kind.NEW || k == ReadFlag.Kind.CANARY));
    }

    /**
     * Before the application reads the new side, the new side should hold what the rule implies. With
     * --url it is verified now (all rows, as {@code verify} does, or --sample N); without it the operator
     * is told that nothing was checked. The counts go to standard error: standard output is the command's line.
     */
    private boolean verified(Migration m) throws SQLException {
        if (!database.given() || !m.phase().dualWrites()) {
            err.println("warning: nothing was verified: " + (database.given()
                    ? "in phase " + m.phase().yamlName() + " the old side is not written, so there is nothing to compare"
                    : "without --url the data was not compared. Check that the new side holds what the rule implies"
                            + " first: dualwrite verify " + source + " --url JDBC_URL --migration " + m.id()));
            return true;
        }
        try (Database db = database.open()) {
            List<String> missing = new SchemaCheck(db.schema(), source).problems(m);
            if (!missing.isEmpty()) {
                return allowed(missing, "schema incomplete");
            }
            Consistency.Result r = VerifyCommand.compare(db, m, sample, err);
            if (r.differing == 0) {
                err.println("verified: " + r.checked + " rows of " + m.table() + (sample == null ? "" : " (at most "
                        + sample + ")") + " hold what the rule implies");
                return true;
            }
            return allowed(List.of(r.differing + " rows of " + m.table() + (sample == null ? "" : " (of a sample of at"
                    + " most " + sample + ")") + " differ from what the rule implies; backfill them first: dualwrite"
                    + " backfill " + source + " --url ... --migration " + m.id()), "data differs");
        }
    }
}
