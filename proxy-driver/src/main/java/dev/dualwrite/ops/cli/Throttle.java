package dev.dualwrite.ops.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * How fast a backfill may go: a pause after each batch, a cap on rows per second over the whole run,
 * and before each batch a wait while a replica lags more than {@code --max-lag}.
 */
final class Throttle {
    /** How often the lag is asked again while waiting. */
    static final long LAG_POLL_MILLIS = 1000;
    /** While waiting, the reason is repeated this often, so a long wait does not look like a hang. */
    private static final int POLLS_PER_MESSAGE = 30;

    private final Clock clock;
    private final long pauseMillis;
    private final long maxRowsPerSecond;
    private final Double maxLag;
    private final List<LagSource> lag;
    private final PrintWriter err;
    private long waitedMillis;

    Throttle(Clock clock, long pauseMillis, long maxRowsPerSecond, Double maxLag, List<LagSource> lag,
            PrintWriter err) {
        this.clock = clock;
        this.pauseMillis = pauseMillis;
        this.maxRowsPerSecond = maxRowsPerSecond;
        this.maxLag = maxLag;
        this.lag = lag;
        this.err = err;
    }

    /**
     * Before a batch: while the lag is above {@code --max-lag} (or unknown), waits and says so. Returns the
     * lag it last read, null when no source is given.
     */
    Double awaitLag() throws SQLException, InterruptedException {
        if (lag.isEmpty()) {
            return null;
        }
        long polls = 0;
        long since = clock.nanos();
        while (true) {
            Lag now = read();
            if (maxLag == null || (now.seconds != null && now.seconds <= maxLag)) {
                if (polls > 0) {
                    err.println("lag " + seconds(now.seconds) + " (" + now.source + ") is at most --max-lag "
                            + seconds(maxLag) + " again; going on after waiting " + millis(clock.nanos() - since));
                }
                return now.seconds;
            }
            if (polls % POLLS_PER_MESSAGE == 0) {
                err.println("waiting: " + (now.seconds == null ? "lag unknown (" + now.source + " gives none;"
                        + " replication stopped?)" : "lag " + seconds(now.seconds) + " (" + now.source + ")")
                        + " is above --max-lag " + seconds(maxLag) + "; asking again every " + LAG_POLL_MILLIS + " ms");
                err.flush();
            }
            polls++;
            sleep(LAG_POLL_MILLIS);
        }
    }

    /** After a batch: the pause, and as long as needed to stay under the rows-per-second cap. */
    void afterBatch(long rowsThisRun, long runStartNanos) throws InterruptedException {
        long wait = pauseMillis;
        if (maxRowsPerSecond > 0) {
            long due = rowsThisRun * 1000L / maxRowsPerSecond;
            long elapsed = (clock.nanos() - runStartNanos) / 1_000_000L;
            wait = Math.max(wait, due - elapsed);
        }
        if (wait > 0) {
            sleep(wait);
        }
    }

    /** Milliseconds slept so far, for the summary. */
    long waitedMillis() {
        return waitedMillis;
    }

    private void sleep(long millis) throws InterruptedException {
        clock.sleep(millis);
        waitedMillis += millis;
    }

    private static final class Lag {
        final Double seconds;
        final String source;

        Lag(Double seconds, String source) {
            this.seconds = seconds;
            this.source = source;
        }
    }

    /** The worst lag over the sources; unknown counts as worst. */
    private Lag read() throws SQLException {
        Lag worst = null;
        for (LagSource s : lag) {
            Double v = s.seconds();
            if (v == null) {
                return new Lag(null, s.describe());
            }
            if (worst == null || v > worst.seconds) {
                worst = new Lag(v, s.describe());
            }
        }
        return worst;
    }

    static String seconds(Double s) {
        return s == null ? "unknown" : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
