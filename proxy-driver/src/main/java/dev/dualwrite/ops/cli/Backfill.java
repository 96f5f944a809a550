package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.Migration;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * One backfill run of one migration: batch after batch in key order, each its own short transaction
 * that writes a key range and records it in {@link ProgressTable}, until no key is left. A run that
 * was stopped (killed, crashed) resumes after the last recorded key; a changed rule starts over.
 */
final class Backfill {
    /** Test seam: called in each batch's transaction before it commits (a test throws to simulate a crash). */
    interface BatchHook {
        BatchHook NONE = batch -> { };

        void beforeCommit(long batch);
    }

    /** How a run ended. */
    static final class Summary {
        final long batches;
        final long rows;
        final long written;
        final long rowsDone;
        final double seconds;

        Summary(long batches, long rows, long written, long rowsDone, double seconds) {
            this.batches = batches;
            this.rows = rows;
            this.written = written;
            this.rowsDone = rowsDone;
            this.seconds = seconds;
        }
    }

    /** Deadlocks and lock timeouts against the application's writes: the batch is rolled back and tried again. */
    private static final int RETRIES = 10;

    private final Database db;
    private final Migration m;
    private final BackfillStatements sql;
    private final ProgressTable progress;
    private final Throttle throttle;
    private final Clock clock;
    private final BatchHook hook;
    private final PrintWriter out;
    private final PrintWriter err;

    Backfill(Database db, Migration m, BackfillStatements sql, Throttle throttle, Clock clock, BatchHook hook,
            PrintWriter out, PrintWriter err) {
        this.db = db;
        this.m = m;
        this.sql = sql;
        this.progress = new ProgressTable(db);
        this.throttle = throttle;
        this.clock = clock;
        this.hook = hook;
        this.out = out;
        this.err = err;
    }

    /** Where a run starts: after this key (null: from the first), with this many rows already done. */
    static final class Start {
        final Object[] after;
        final long rowsDone;
        final String why;

        Start(Object[] after, long rowsDone, String why) {
            this.after = after;
            this.rowsDone = rowsDone;
            this.why = why;
        }
    }

    /** Decides, from the stored row, whether to resume or start over, and why; prints a warning for a changed rule. */
    Start start(ProgressTable.Row row) throws SQLException {
        if (row == null) {
            return new Start(null, 0, "starting from the first key");
        }
        if (!row.checksum.equals(RuleChecksum.of(m))) {
            err.println("warning: the rule of " + m.id() + " changed since its backfill started at " + row.startedAt
                    + " (" + row.rowsDone + " rows done then); starting over from the first key");
            return new Start(null, 0, "starting over: the rule changed");
        }
        if (row.finishedAt != null) {
            return new Start(null, 0, "the last run finished at " + row.finishedAt + "; checking again from the first"
                    + " key (rows that agree are not written)");
        }
        if (row.lastKey == null) {
            return new Start(null, 0, "starting from the first key");
        }
        return new Start(sql.key().parse(row.lastKey), row.rowsDone, "resuming after key " + row.lastKey + " ("
                + row.rowsDone + " rows done since " + row.startedAt + ")");
    }

    Summary run(ProgressReport report) throws SQLException, InterruptedException {
        Connection c = db.connection();
        progress.createIfAbsent();
        Start start = start(progress.read(m.id()));
        String runId = UUID.randomUUID().toString();
        if (start.after == null) {
            progress.restart(m.id(), RuleChecksum.of(m), runId);
        } else {
            progress.takeOver(m.id(), runId);
        }
        out.println("backfill " + m.id() + ": " + start.why);
        out.flush();
        c.setAutoCommit(false);
        // PostgreSQL: each statement sees what committed before it; MySQL: INSERT ... SELECT locks what it reads
        c.setTransactionIsolation(db.dialect() == Dialect.MYSQL ? Connection.TRANSACTION_REPEATABLE_READ
                : Connection.TRANSACTION_READ_COMMITTED);
        Object[] last = start.after;
        long rowsDone = start.rowsDone;
        long rows = 0;
        long written = 0;
        long batches = 0;
        long runStart = clock.nanos();
        while (true) {
            Double lag = throttle.awaitLag();
            c.commit();
            Batch b = batch(last, runId, batches + 1);
            if (b == null) {
                break;
            }
            batches++;
            rows += b.rows;
            rowsDone += b.rows;
            written += b.written;
            last = b.upper;
            report.batch(batches, rowsDone, rows, lag);
            throttle.afterBatch(rows, runStart);
        }
        progress.finish(m.id(), runId);
        report.end();
        return new Summary(batches, rows, written, rowsDone, (clock.nanos() - runStart) / 1e9);
    }

    private static final class Batch {
        final Object[] upper;
        final long rows;
        final long written;

        Batch(Object[] upper, long rows, long written) {
            this.upper = upper;
            this.rows = rows;
            this.written = written;
        }
    }

    /** One key range, committed with its progress; null when no key is left. Retried on deadlock. */
    private Batch batch(Object[] last, String runId, long number) throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return tryBatch(last, runId, number);
            } catch (SQLException e) {
                db.connection().rollback();
                if (!retryable(e) || attempt == RETRIES) {
                    throw e;
                }
                err.println("batch " + number + " of " + m.id() + " was rolled back (" + e.getMessage().split("\n")[0]
                        + "); trying again");
                clock.sleep(50L * attempt);
            }
        }
    }

    private Batch tryBatch(Object[] last, String runId, long number) throws SQLException {
        Connection c = db.connection();
        Object[] upper = null;
        long rows = 0;
        try (PreparedStatement keys = c.prepareStatement(sql.nextKeys(last == null))) {
            sql.bindNextKeys(keys, last);
            try (ResultSet rs = keys.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    upper = sql.key().read(rs, 1); // the last one read is the range's upper end
                }
            }
        }
        if (upper == null) {
            c.commit();
            return null;
        }
        long written;
        try (PreparedStatement write = c.prepareStatement(sql.batch(last == null))) {
            sql.bindBatch(write, last, upper);
            written = write.executeUpdate();
        }
        if (!progress.advance(m.id(), runId, KeyColumns.text(upper), rows, written)) {
            c.rollback();
            throw CliFailure.checkFailed("another backfill of " + m.id() + " took its progress over; this one stopped"
                    + " after key " + (last == null ? "(none)" : KeyColumns.text(last)) + ", batch " + number
                    + " was rolled back");
        }
        hook.beforeCommit(number);
        c.commit();
        return new Batch(upper, rows, written);
    }

    /** Deadlock, serialization failure or lock wait timeout: the batch can simply run again. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("40")) || e.getErrorCode() == 1205 || e.getErrorCode() == 1213
                || "55P03".equals(state);
    }

    /** About how many rows the old table has, from the planner's statistics; null when unknown. */
    static Long estimate(Database db, Migration m) throws SQLException {
        SchemaView.Table t = db.schema().table(m.table());
        String q = db.dialect() == Dialect.MYSQL
                ? "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                : "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = ? AND c.relname = ?";
        try (PreparedStatement ps = db.connection().prepareStatement(q)) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long n = (long) rs.getDouble(1);
                    return rs.wasNull() || n < 0 ? null : n;
                }
                return null;
            }
        } finally {
            if (!db.connection().getAutoCommit()) {
                db.connection().commit();
            }
        }
    }

    static String rate(Summary s) {
        return String.format(Locale.ROOT, "%.0f", s.seconds > 0 ? s.rows / s.seconds : 0);
    }
}
