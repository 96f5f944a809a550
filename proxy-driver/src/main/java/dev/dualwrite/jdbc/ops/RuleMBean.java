package dev.dualwrite.jdbc.ops;

/** JMX: one rule ({@code dev.dualwrite:type=Rule,source=<file name>,id=<rule id>}). */
public interface RuleMBean {
    String getPhase();

    String getReads();

    long getRewritten();

    long getDualWrites();

    long getReadsOld();

    long getReadsNew();

    long getShadowMismatches();

    long getRejected();

    /** Shadow comparisons made (sampled reads). */
    long getShadowReads();

    /** Shadow reads that failed or timed out (never seen by the application). */
    long getShadowFailures();

    /** Mean time of the old read of a shadow pair, in milliseconds. */
    double getShadowOldMillis();

    /** Mean time of the new read of a shadow pair, in milliseconds. */
    double getShadowNewMillis();
}
