package dev.dualwrite.jdbc.ops;

import dev.dualwrite.jdbc.reload.RuleSource;
import dev.dualwrite.rules.Migration;

/** The JMX view of one rule: its state from the rules in force, its counters from the source's stats. */
final class Rule implements RuleMBean {
    private final RuleSource source;
    private final String id;
    private final RuleStats stats;

    Rule(RuleSource source, String id) {
        this.source = source;
        this.id = id;
        this.stats = source.stats().rule(id);
    }

    private Migration migration() {
        for (Migration m : source.current().migrations()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public String getPhase() {
        Migration m = migration();
        return m == null ? "removed" : m.phase().yamlName();
    }

    @Override
    public String getReads() {
        Migration m = migration();
        return m == null ? "" : m.reads().toString();
    }

    @Override
    public long getRewritten() {
        return stats.rewritten.sum();
    }

    @Override
    public long getDualWrites() {
        return stats.dualWrites.sum();
    }

    @Override
    public long getReadsOld() {
        return stats.readsOld.sum();
    }

    @Override
    public long getReadsNew() {
        return stats.readsNew.sum();
    }

    @Override
    public long getShadowMismatches() {
        return stats.shadowMismatches.sum();
    }

    @Override
    public long getRejected() {
        return stats.rejected.sum();
    }

    @Override
    public long getShadowReads() {
        return stats.shadowReads.sum();
    }

    @Override
    public long getShadowFailures() {
        return stats.shadowFailures.sum();
    }

    @Override
    public double getShadowOldMillis() {
        long n = stats.shadowReads.sum();
        return n == 0 ? 0 : stats.shadowOldNanos.sum() / 1e6 / n;
    }

    @Override
    public double getShadowNewMillis() {
        long n = stats.shadowReads.sum();
        return n == 0 ? 0 : stats.shadowNewNanos.sum() / 1e6 / n;
    }
}
