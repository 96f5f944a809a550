package dev.dualwrite.examples;

import dev.dualwrite.examples.support.LegacyApp;
import dev.dualwrite.examples.support.RuleCounters;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Prints one compact line per step with the live counters: the application's operations and errors, and
 * the driver's own counters as it publishes them over JMX (summed over the rules). On a terminal the line
 * of the step that is waiting is redrawn in place, so a person sees the app keep working; anywhere else (Maven logs, CI, tests) every line is printed once, complete, so
 * the output diffs and greps cleanly.
 *
 * <p>While it is open it also shows the driver's log lines (rule reloads, rule file errors) as notes
 * between the steps, so that they appear in order and never in the middle of an in-place line. Shadow
 * mismatch lines, one per differing read, are counted instead; the first is kept for the demo to show.
 */
final class Progress implements AutoCloseable {
    private static final String INDENT = "           ";
    private static final String SHADOW_LOGGER = "dev.dualwrite.shadow";

    private final PrintStream out;
    private final boolean inPlace;
    private final LegacyApp app;
    private final List<RuleCounters> rules;
    private final long startNanos = System.nanoTime();
    /** The driver logs through System.Logger, which is java.util.logging unless something else is installed. */
    private final Logger driverLog = Logger.getLogger("dev.dualwrite");
    private final Handler driverLogHandler = new DriverLogHandler();
    private final boolean driverLogHadParentHandlers;
    private volatile String firstShadowMismatchLine;
    /** Width of the in-place line now on the terminal, 0 when the cursor is at the start of a fresh line. */
    private int pendingWidth;

    Progress(PrintStream out, boolean inPlace, LegacyApp app, List<RuleCounters> rules) {
        this.out = out;
        this.inPlace = inPlace;
        this.app = app;
        this.rules = rules;
        driverLogHadParentHandlers = driverLog.getUseParentHandlers();
        driverLog.setUseParentHandlers(false);
        driverLog.addHandler(driverLogHandler);
    }

    @Override
    public void close() {
        driverLog.removeHandler(driverLogHandler);
        driverLog.setUseParentHandlers(driverLogHadParentHandlers);
    }

    /** Prints a step's line, with the counters as they are now. */
    void step(String step, String note) {
        println(line(step, note));
    }

    /** Prints a note under the current step, without counters. */
    void note(String text) {
        println(INDENT + text);
    }

    /** Lets the application run for a while, then prints the step's line. */
    void run(String step, String note, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (inPlace) {
                redraw(line(step, note));
            }
            Thread.sleep(Math.min(inPlace ? 250 : millis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
        println(line(step, note));
    }

    /** On a terminal, redraws the step's line in place; elsewhere nothing (the step's last line says it all). */
    void live(String step, String note) {
        if (inPlace) {
            redraw(line(step, note));
        }
    }

    /** The driver's counter, summed over the rules. */
    long total(ToLongFunction<RuleCounters> counter) {
        return rules.stream().mapToLong(counter).sum();
    }

    /** The first shadow mismatch line the driver logged, or null. */
    String firstShadowMismatchLine() {
        return firstShadowMismatchLine;
    }

    private String line(String step, String note) {
        return String.format(Locale.ROOT, "%s %-10s ops=%-6d errors=%d  rewritten=%-6d dual_writes=%-6d"
                + " shadow_mismatches=%-4d %s", clock(), step, app.ops(), app.errors(),
                total(RuleCounters::rewritten), total(RuleCounters::dualWrites), total(RuleCounters::shadowMismatches),
                note == null ? "" : note).stripTrailing();
    }

    private String clock() {
        return String.format(Locale.ROOT, "[%5.1fs]", (System.nanoTime() - startNanos) / 1e9);
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
            if (SHADOW_LOGGER.equals(record.getLoggerName())) {
                if (firstShadowMismatchLine == null) {
                    firstShadowMismatchLine = text;
                }
                return;
            }
            if (record.getThrown() != null) {
                text += " (" + record.getThrown() + ")";
            }
            note("driver " + record.getLevel().getName().toLowerCase(Locale.ROOT) + ": " + text);
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
