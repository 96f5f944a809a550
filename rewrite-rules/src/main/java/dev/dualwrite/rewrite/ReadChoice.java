package dev.dualwrite.rewrite;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import dev.dualwrite.rules.RuleSet;
import java.util.List;

/**
 * Which migrations a statement reads from the new side. It is a bit set over the rule set's migrations
 * (in file order), so it doubles as part of the rewrite cache key.
 */
public final class ReadChoice {
    private final long newMask;

    private ReadChoice(long newMask) {
        this.newMask = newMask;
    }

    /** Reads as the rule file says, with {@code canary} and {@code shadow} reading old. */
    public static ReadChoice defaults(RuleSet rules) {
        return of(rules, 0L);
    }

    /**
     * Reads as the rule file says, except that migrations in canary whose bit is set in
     * {@code canaryNew} read new.
     */
    public static ReadChoice of(RuleSet rules, long canaryNew) {
        return of(rules, canaryNew, false);
    }

    /**
     * As {@link #of(RuleSet, long)}; with {@code shadowNew}, migrations in shadow read new too (the
     * comparison read of a shadow pair).
     */
    public static ReadChoice of(RuleSet rules, long canaryNew, boolean shadowNew) {
        long mask = 0;
        List<Migration> ms = rules.migrations();
        for (int i = 0; i < ms.size() && i < 64; i++) {
            Migration m = ms.get(i);
            ReadFlag.Kind k = m.reads().kind();
            boolean readsNew = m.phase() == Phase.CONTRACT
                    || (m.phase() == Phase.MIGRATE && (k == ReadFlag.Kind.NEW
                            || (shadowNew && k == ReadFlag.Kind.SHADOW)
                            || (k == ReadFlag.Kind.CANARY && (canaryNew & (1L << i)) != 0)));
            if (readsNew) {
                mask |= 1L << i;
            }
        }
        return new ReadChoice(mask);
    }

    /** Every migration that is past expand reads new (what a shadow read compares against). */
    public static ReadChoice allNew(RuleSet rules) {
        long mask = 0;
        List<Migration> ms = rules.migrations();
        for (int i = 0; i < ms.size() && i < 64; i++) {
            Phase p = ms.get(i).phase();
            if (p == Phase.MIGRATE || p == Phase.CONTRACT) {
                mask |= 1L << i;
            }
        }
        return new ReadChoice(mask);
    }

    boolean readsNew(int migrationIndex) {
        return migrationIndex < 64 && (newMask & (1L << migrationIndex)) != 0;
    }

    long mask() {
        return newMask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadChoice && ((ReadChoice) o).newMask == newMask;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(newMask);
    }
}
