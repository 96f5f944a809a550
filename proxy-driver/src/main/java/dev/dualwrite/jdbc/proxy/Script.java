package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.rewrite.Rewrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Runs a rewrite that is a script (a write to a moved table while both are written): the steps before
 * the application's statement, the statement, the steps after, atomically. In auto-commit mode the
 * driver opens and commits the transaction itself and restores auto-commit; inside the application's
 * transaction a savepoint undoes a failed script, so no partial write is left in either table.
 */
final class Script {
    interface Main<T> {
        T run() throws SQLException;
    }

    private Script() {
    }

    /**
     * @param params the application's parameters, or null for a plain Statement
     * @param timeoutSeconds the application statement's query time-out, given to every step too (0: none)
     */
    static <T> T run(Connection raw, Rewrite plan, ParameterLog params, int timeoutSeconds, Main<T> main)
            throws SQLException {
        boolean auto = raw.getAutoCommit();
        Savepoint savepoint = null;
        if (auto) {
            raw.setAutoCommit(false);
        } else {
            savepoint = raw.setSavepoint();
        }
        boolean done = false;
        try {
            steps(raw, plan.before(), params, timeoutSeconds);
            T result = main.run();
            steps(raw, plan.after(), params, timeoutSeconds);
            if (auto) {
                raw.commit();
            } else {
                raw.releaseSavepoint(savepoint);
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                try {
                    if (auto) {
                        raw.rollback();
                    } else {
                        raw.rollback(savepoint);
                    }
                } catch (SQLException e) {
                    // the statement's own failure is the one to report
                }
            }
            if (auto) {
                raw.setAutoCommit(true);
            }
        }
    }

    private static void steps(Connection raw, List<Rewrite.Step> steps, ParameterLog params, int timeoutSeconds)
            throws SQLException {
        for (Rewrite.Step step : steps) {
            try (PreparedStatement ps = raw.prepareStatement(step.sql())) {
                // a mirror step waiting on a lock must not outlive the time-out the application asked for
                ps.setQueryTimeout(timeoutSeconds);
                if (params != null) {
                    params.bind(ps, step.parameterMap());
                }
                ps.execute();
            }
        }
    }
}
