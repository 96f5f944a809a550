package dev.dualwrite.examples.support;

/** Logging defaults for running an example from the command line. */
public final class ExampleLogging {
    private ExampleLogging() {
    }

    /**
     * The driver logs through java.util.logging, whose default format spreads each record over two lines
     * (date and class, then the message); one line per record reads better between the example's own lines.
     * Call first thing in {@code main}; {@code -Djava.util.logging.SimpleFormatter.format=...} still wins.
     */
    public static void oneLinePerRecord() {
        System.getProperties().putIfAbsent("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
    }
}
