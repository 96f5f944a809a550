package dev.dualwrite.examples;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Prints one compact line per step with the live counters. On a terminal the line of the step that
 * is waiting is refreshed in place, so a person sees the app keep working; anywhere else (Maven
 * logs, CI, tests) every line is printed once, complete, so the output diffs and greps cleanly.
 */
final class Progress {
    private final PrintStream out;
    private final boolean inPlace;
    private final LegacyApp app;
    private final RawDb db;
    private final long startNanos = System.nanoTime();
    /** The query that counts rows whose new column is not what the migration says it should be. */
    private volatile String mismatchSql;
    private int lastWidth;

    Progress(PrintStream out, boolean inPlace, LegacyApp app, RawDb db) {
        this.out = out;
        this.inPlace = inPlace;
        this.app = app;
        this.db = db;
    }

    /** What "mismatch" means changes once the old column stops being written; null: not yet defined. */
    void countMismatchesWith(String sql) {
        this.mismatchSql = sql;
    }

    /** Prints a step's line, with the counters as they are now. */
    void step(String step, String note) throws SQLException {
        finish(line(step, note));
    }

    /** Prints a note under the current step, without counters. */
    void note(String text) {
        out.println("             " + text);
    }

    /** Lets the application run for a while, then prints the step's line. */
    void run(String step, String note, long millis) throws SQLException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (inPlace) {
            while (System.nanoTime() < end) {
                String l = line(step, note);
                out.print("\r" + pad(l));
                out.flush();
                lastWidth = l.length();
                Thread.sleep(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
        } else {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left > 0) {
                Thread.sleep(left);
            }
        }
        finish(line(step, note));
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String line(String step, String note) throws SQLException {
        long rows = db.queryLong("SELECT count(*) FROM users");
        String sql = mismatchSql;
        String mismatches = sql == null ? "-" : Long.toString(db.queryLong(sql));
        return String.format("[%5.1fs] %-10s ops=%-6d errors=%-3d rows=%-5d mismatches=%-5s %s",
                seconds(), step, app.ops(), app.errors(), rows, mismatches, note == null ? "" : note).stripTrailing();
    }

    private void finish(String line) {
        out.println(inPlace ? "\r" + pad(line) : line);
        out.flush();
        lastWidth = 0;
    }

    /** Blanks out the rest of a longer line printed before on the same terminal row. */
    private String pad(String line) {
        return line.length() >= lastWidth ? line : line + " ".repeat(lastWidth - line.length());
    }
}
