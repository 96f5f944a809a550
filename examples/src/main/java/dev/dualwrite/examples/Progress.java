package dev.dualwrite.examples;

import dev.dualwrite.examples.support.RawDb;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Prints one compact line per step with the live counters. On a terminal the line of the step that
 * is waiting is refreshed in place, so a person sees the app keep working; anywhere else (Maven
 * logs, CI, tests) every line is printed once, complete, so the output diffs and greps cleanly.
 *
 * <p>While it is open it also shows the driver's log lines (rule reloads, rule file errors) as notes
 * between the steps, so that they appear in order and never in the middle of an in-place line.
 */
final class Progress implements AutoCloseable {
    private static final String INDENT = "             ";

    private final PrintStream out;
    private final boolean inPlace;
    private final LegacyApp app;
    private final RawDb db;
    private final long startNanos = System.nanoTime();
    /** The driver logs through System.Logger, which is java.util.logging unless something else is installed. */
    private final Logger driverLog = Logger.getLogger("dev.dualwrite");
    private final Handler driverLogHandler = new DriverLogHandler();
    private final boolean driverLogHadParentHandlers;
    /** The query that counts rows whose new column is not what the migration says it should be. */
    private volatile String mismatchSql;
    /** Width of the in-place line now on the terminal, 0 when the cursor is at the start of a fresh line. */
    private int pendingWidth;

    Progress(PrintStream out, boolean inPlace, LegacyApp app, RawDb db) {
        this.out = out;
        this.inPlace = inPlace;
        this.app = app;
        this.db = db;
        driverLogHadParentHandlers = driverLog.getUseParentHandlers();
        driverLog.setUseParentHandlers(false);
        driverLog.addHandler(driverLogHandler);
    }

    @Override
    public void close() {
        driverLog.removeHandler(driverLogHandler);
        driverLog.setUseParentHandlers(driverLogHadParentHandlers);
    }

    /** What "mismatch" means changes once the old column stops being written; null: not yet defined. */
    void countMismatchesWith(String sql) {
        this.mismatchSql = sql;
    }

    /** Prints a step's line, with the counters as they are now. */
    void step(String step, String note) throws SQLException {
        println(line(step, note));
    }

    /** Prints a note under the current step, without counters. */
    void note(String text) {
        println(INDENT + text);
    }

    /** Lets the application run for a while, then prints the step's line. */
    void run(String step, String note, long millis) throws SQLException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (inPlace) {
            while (System.nanoTime() < end) {
                redraw(line(step, note));
                Thread.sleep(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
        } else {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left > 0) {
                Thread.sleep(left);
            }
        }
        println(line(step, note));
    }

    private String line(String step, String note) throws SQLException {
        long rows = db.queryLong("SELECT count(*) FROM users");
        String sql = mismatchSql;
        String mismatches = sql == null ? "-" : Long.toString(db.queryLong(sql));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format("[%5.1fs] %-10s ops=%-6d errors=%-3d rows=%-5d mismatches=%-5s %s",
                seconds, step, app.ops(), app.errors(), rows, mismatches, note == null ? "" : note).stripTrailing();
    }

    /** Replaces the in-place line on the terminal. */
    private synchronized void redraw(String line) {
        out.print("\r" + pad(line));
        out.flush();
        pendingWidth = line.length();
    }

    /** Prints a whole line; on a terminal it takes the place of the in-place line, if one is showing. */
    private synchronized void println(String line) {
        out.println(pendingWidth > 0 ? "\r" + pad(line) : line);
        out.flush();
        pendingWidth = 0;
    }

    /** Blanks out the rest of a longer line printed before on the same terminal row. */
    private String pad(String line) {
        return line.length() >= pendingWidth ? line : line + " ".repeat(pendingWidth - line.length());
    }

    private final class DriverLogHandler extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = formatter.formatMessage(record);
            if (record.getThrown() != null) {
                text += " (" + record.getThrown() + ")";
            }
            note("driver " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": " + text);
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            // The demo's output stream is not ours to close.
        }
    }
}
