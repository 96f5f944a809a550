package dev.dualwrite.rewrite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.dualwrite.rewrite.internal.Literals;
import dev.dualwrite.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Caches rewrites by statement text, bounded by the weight of the SQL held. Each text keeps its rewrites
 * per rule set version, read choice and generated-keys flag, so a reload or a flip never serves a stale
 * rewrite; older versions are dropped as newer ones are stored.
 *
 * <p>Statements that differ only in their literals share one entry: the literals in value positions are
 * lifted out ({@link Literals}), the shape is rewritten once with parameters in their place, and each
 * statement gets the shape's rewrite with its own literals filled in. A shape is trusted only after its
 * filled rewrite was checked equal to the direct rewrite of the first statement that had it; otherwise
 * such statements are rewritten and cached one by one. So a flood of distinct texts (an ORM inlining
 * values) costs a lookup and a fill each, and the cache does not grow with it.
 */
public final class RewriteCache {
    private static final int MAX_VARIANTS = 8;

    private final Cache<String, Plans> cache;

    /** @param maxChars the total length of cached SQL (keys and rewrites) to keep */
    public RewriteCache(long maxChars) {
        this.cache = Caffeine.newBuilder().maximumWeight(maxChars)
                .weigher((String sql, Plans p) -> sql.length() + p.weight())
                .build();
    }

    /** Looks the statement up, rewriting it on a miss. */
    public Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog) {
        return rewrite(sql, rules, dialect, reads, catalog, false);
    }

    /** As {@link Rewriter#rewrite(String, RuleSet, Dialect, ReadChoice, Catalog, boolean)}, cached. */
    public Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog,
            boolean generatedKeys) {
        Plans plans = cache.getIfPresent(sql);
        Plan hit = plans == null ? null : plans.find(rules.version(), reads.mask(), generatedKeys, null);
        if (hit != null) {
            return hit.rewrite;
        }
        Variant v = new Variant(rules.version(), reads.mask(), generatedKeys, null);
        boolean mysql = dialect == Dialect.MYSQL;
        Literals literals = Literals.lift(sql, mysql);
        if (literals != null) {
            Rewrite shared = viaShape(literals, sql, v, rules, dialect, reads, catalog);
            if (shared != null) {
                return shared;
            }
        }
        Rewrite r = Rewriter.rewrite(sql, rules, dialect, reads, catalog, generatedKeys);
        store(sql, plans, new Plan(v, r));
        return r;
    }

    /** The rewrite through the statement's shape; null when the shape cannot serve this statement. */
    private Rewrite viaShape(Literals literals, String sql, Variant v, RuleSet rules, Dialect dialect,
            ReadChoice reads, Catalog catalog) {
        String shape = literals.shape();
        // A rewrite may spell a value by its kind (PostgreSQL casts a number compared with text), so a
        // shape is shared only among statements whose literals are of the same kinds, in the same places.
        Variant sv = new Variant(v.version, v.reads, v.keys, literals.kinds());
        Plans plans = cache.getIfPresent(shape);
        Plan p = plans == null ? null : plans.find(sv.version, sv.reads, sv.keys, sv.kinds);
        if (p != null && p.slots != null) {
            return p.fill(literals);
        }
        if (p != null && p.unshared) {
            return null;
        }
        if (p == null) {
            p = new Plan(sv, Rewriter.rewrite(shape, rules, dialect, reads, catalog, v.keys));
        }
        Rewrite direct = Rewriter.rewrite(sql, rules, dialect, reads, catalog, v.keys);
        Plan checked = p.checkedAgainst(literals, direct, dialect == Dialect.MYSQL);
        store(shape, plans, checked);
        if (checked.slots == null) {
            store(sql, cache.getIfPresent(sql), new Plan(v, direct));
        }
        return direct;
    }

    private void store(String sql, Plans plans, Plan p) {
        cache.put(sql, Plans.with(plans, p));
    }

    public long size() {
        return cache.estimatedSize();
    }

    public void clear() {
        cache.invalidateAll();
    }

    /** What else a rewrite depends on besides the text. */
    private static final class Variant {
        final long version;
        final long reads;
        final boolean keys;
        /** For a shape's plan, the kinds of the literals it was checked with ({@link Literals#kinds}). */
        final String kinds;

        Variant(long version, long reads, boolean keys, String kinds) {
            this.version = version;
            this.reads = reads;
            this.keys = keys;
            this.kinds = kinds;
        }

        boolean is(long version, long reads, boolean keys, String kinds) {
            return this.version == version && this.reads == reads && this.keys == keys
                    && Objects.equals(this.kinds, kinds);
        }

        boolean sameAs(Variant o) {
            return is(o.version, o.reads, o.keys, o.kinds);
        }
    }

    /** One cached rewrite, and whether statements with literals may share it (checked once). */
    private static final class Plan {
        final Variant variant;
        final Rewrite rewrite;
        /** Placeholder positions in the main text and in each step, once sharing is checked; else null. */
        final int[] slots;
        final int[][] stepSlots;
        /** Sharing was checked and refused. */
        final boolean unshared;

        Plan(Variant variant, Rewrite rewrite) {
            this(variant, rewrite, null, null, false);
        }

        private Plan(Variant variant, Rewrite rewrite, int[] slots, int[][] stepSlots, boolean unshared) {
            this.variant = variant;
            this.rewrite = rewrite;
            this.slots = slots;
            this.stepSlots = stepSlots;
            this.unshared = unshared;
        }

        /** This plan, marked shareable when filling it with {@code literals} gives exactly {@code direct}. */
        Plan checkedAgainst(Literals literals, Rewrite direct, boolean mysql) {
            if (rewrite.kind() != Rewrite.Kind.REJECTED) {
                List<Rewrite.Step> steps = new ArrayList<>(rewrite.before());
                steps.addAll(rewrite.after());
                int[][] stepSlots = new int[steps.size()][];
                boolean countsMatch = true;
                for (int i = 0; i < steps.size(); i++) {
                    stepSlots[i] = Literals.slots(steps.get(i).sql(), mysql);
                    countsMatch &= stepSlots[i].length == mapLength(steps.get(i).parameterMap(), stepSlots[i]);
                }
                int[] slots = Literals.slots(rewrite.sql(), mysql);
                countsMatch &= slots.length == mapLength(rewrite.parameterMap(), slots);
                if (countsMatch) {
                    Plan shared = new Plan(variant, rewrite, slots, stepSlots, false);
                    if (shared.fill(literals).sameAs(direct)) {
                        return shared;
                    }
                }
            }
            return new Plan(variant, rewrite, null, null, true);
        }

        private static int mapLength(int[] map, int[] slots) {
            return map == null ? slots.length : map.length;
        }

        Rewrite fill(Literals literals) {
            return rewrite.withTexts(literals.fill(rewrite.sql(), slots, rewrite.parameterMap()),
                    fill(literals, rewrite.before(), 0), fill(literals, rewrite.after(), rewrite.before().size()));
        }

        private List<Rewrite.Step> fill(Literals literals, List<Rewrite.Step> steps, int first) {
            if (steps.isEmpty()) {
                return steps;
            }
            List<Rewrite.Step> out = new ArrayList<>(steps.size());
            for (int i = 0; i < steps.size(); i++) {
                Rewrite.Step s = steps.get(i);
                out.add(new Rewrite.Step(literals.fill(s.sql(), stepSlots[first + i], s.parameterMap()), null));
            }
            return out;
        }

        int weight() {
            int w = 64 + (rewrite.sql().length());
            for (Rewrite.Step s : rewrite.before()) {
                w += s.sql().length();
            }
            for (Rewrite.Step s : rewrite.after()) {
                w += s.sql().length();
            }
            return w;
        }
    }

    /** The plans of one text: a few variants, copied on write. */
    private static final class Plans {
        final Plan[] plans;

        private Plans(Plan[] plans) {
            this.plans = plans;
        }

        Plan find(long version, long reads, boolean keys, String kinds) {
            for (Plan p : plans) {
                if (p.variant.is(version, reads, keys, kinds)) {
                    return p;
                }
            }
            return null;
        }

        /** {@code old} with {@code p} in place of its variant; plans of older rule versions are dropped. */
        static Plans with(Plans old, Plan p) {
            List<Plan> out = new ArrayList<>();
            out.add(p);
            if (old != null) {
                for (Plan q : old.plans) {
                    if (!q.variant.sameAs(p.variant) && q.variant.version >= p.variant.version
                            && out.size() < MAX_VARIANTS) {
                        out.add(q);
                    }
                }
            }
            return new Plans(out.toArray(new Plan[0]));
        }

        int weight() {
            int w = 0;
            for (Plan p : plans) {
                w += p.weight();
            }
            return w;
        }
    }
}
