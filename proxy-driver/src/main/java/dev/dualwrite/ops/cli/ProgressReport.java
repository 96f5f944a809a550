package dev.dualwrite.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a running backfill prints: on a terminal one line redrawn in place (rows done, of about how
 * many, rows per second, ETA, lag); otherwise one plain line every N batches, which a log keeps.
 */
final class ProgressReport {
    /** Width of the terminal's bar, in characters. */
    private static final int BAR = 20;

    private final PrintWriter out;
    private final boolean terminal;
    private final int every;
    private final Clock clock;
    private final String id;
    private final Long estimate;
    private final long startNanos;
    private int drawn;

    ProgressReport(PrintWriter out, boolean terminal, int every, Clock clock, String id, Long estimate) {
        this.out = out;
        this.terminal = terminal;
        this.every = every;
        this.clock = clock;
        this.id = id;
        this.estimate = estimate;
        this.startNanos = clock.nanos();
    }

    /** After a batch: {@code rowsDone} over the whole backfill, {@code rowsThisRun} since this run started. */
    void batch(long batches, long rowsDone, long rowsThisRun, Double lag) {
        if (!terminal && batches % every != 0) {
            return;
        }
        double rate = rate(rowsThisRun);
        StringBuilder line = new StringBuilder("backfill ").append(id).append(": ");
        if (terminal && estimate != null && estimate > 0) {
            int filled = (int) (BAR * rowsDone / Math.max(estimate, rowsDone));
            line.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
        }
        line.append(rowsDone).append(" rows");
        if (estimate != null && estimate > 0) {
            long total = Math.max(estimate, rowsDone);
            line.append(" of ~").append(total).append(" (").append(rowsDone * 100 / total).append("%)");
            if (rate > 0) {
                line.append(", ETA ").append(duration((long) ((total - rowsDone) / rate)));
            }
        }
        line.append(", ").append(String.format(Locale.ROOT, "%.0f", rate)).append(" rows/s, batch ").append(batches);
        if (lag != null) {
            line.append(", lag ").append(Throttle.seconds(lag));
        }
        if (terminal) {
            String text = line.toString();
            out.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
            drawn = text.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the redrawn line, so what follows starts on a line of its own. */
    void end() {
        if (terminal && drawn > 0) {
            out.println();
        }
    }

    double rate(long rowsThisRun) {
        long nanos = clock.nanos() - startNanos;
        return nanos <= 0 ? 0 : rowsThisRun * 1e9 / nanos;
    }

    double elapsedSeconds() {
        return (clock.nanos() - startNanos) / 1e9;
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
