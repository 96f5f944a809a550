package dev.dualwrite.jdbc.ops;

import java.util.concurrent.atomic.LongAdder;

/** What one rule did, counted per execution; read by its JMX bean. */
public final class RuleStats {
    final LongAdder rewritten = new LongAdder();
    final LongAdder dualWrites = new LongAdder();
    final LongAdder readsOld = new LongAdder();
    final LongAdder readsNew = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder shadowReads = new LongAdder();
    final LongAdder shadowMismatches = new LongAdder();
    final LongAdder shadowFailures = new LongAdder();
    final LongAdder shadowOldNanos = new LongAdder();
    final LongAdder shadowNewNanos = new LongAdder();

    public void shadowCompared(boolean mismatch, long oldNanos, long newNanos) {
        shadowReads.increment();
        if (mismatch) {
            shadowMismatches.increment();
        }
        shadowOldNanos.add(oldNanos);
        shadowNewNanos.add(newNanos);
    }

    public void shadowFailed() {
        shadowFailures.increment();
    }

    public long shadowMismatches() {
        return shadowMismatches.sum();
    }
}
