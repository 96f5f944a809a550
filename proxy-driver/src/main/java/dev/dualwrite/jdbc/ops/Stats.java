package dev.dualwrite.jdbc.ops;

import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rules.Migration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The counters of every rule of one rule source, by rule id. */
public final class Stats {
    private final Map<String, RuleStats> rules = new ConcurrentHashMap<>();

    public RuleStats rule(String id) {
        return rules.computeIfAbsent(id, k -> new RuleStats());
    }

    /** Counts one execution of a statement under its rewrite (null: no migrated table involved). */
    public void executed(Rewrite r) {
        if (r == null || r.touched().isEmpty()) {
            return;
        }
        for (Migration m : r.touched()) {
            RuleStats s = rule(m.id());
            if (r.kind() == Rewrite.Kind.REJECTED) {
                s.rejected.increment();
                continue;
            }
            if (r.kind() == Rewrite.Kind.REWRITTEN) {
                s.rewritten.increment();
            }
            if (r.dualWrite()) {
                s.dualWrites.increment();
            }
            if (r.isQuery()) {
                (r.readsNew() ? s.readsNew : s.readsOld).increment();
            }
        }
    }
}
