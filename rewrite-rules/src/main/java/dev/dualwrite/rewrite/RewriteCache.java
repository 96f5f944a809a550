package dev.dualwrite.rewrite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.dualwrite.rules.RuleSet;
import java.util.Objects;

/**
 * Caches rewrites, bounded by the weight of the SQL held. Keys carry the rule set version and the read
 * choice, so a reload or a flip never serves a stale rewrite; old entries simply age out.
 */
public final class RewriteCache {
    private final Cache<Key, Rewrite> cache;

    /** @param maxChars the total length of cached SQL (keys and rewrites) to keep */
    public RewriteCache(long maxChars) {
        this.cache = Caffeine.newBuilder().maximumWeight(maxChars)
                .weigher((Key k, Rewrite r) -> k.sql.length() + (r.sql() == k.sql ? 0 : r.sql().length()) + 64)
                .build();
    }

    /** Looks the statement up, rewriting it on a miss. */
    public Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog) {
        return rewrite(sql, rules, dialect, reads, catalog, false);
    }

    /** As {@link Rewriter#rewrite(String, RuleSet, Dialect, ReadChoice, Catalog, boolean)}, cached. */
    public Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog,
            boolean generatedKeys) {
        if (!rules.mayTouch(sql)) {
            return Rewrite.passThrough(sql);
        }
        Key key = new Key(sql, rules.version(), reads.mask(), generatedKeys);
        Rewrite r = cache.getIfPresent(key);
        if (r == null) {
            r = Rewriter.rewrite(sql, rules, dialect, reads, catalog, generatedKeys);
            cache.put(key, r);
        }
        return r;
    }

    public long size() {
        return cache.estimatedSize();
    }

    public void clear() {
        cache.invalidateAll();
    }

    private static final class Key {
        final String sql;
        final long version;
        final long reads;
        final boolean keys;
        final int hash;

        Key(String sql, long version, long reads, boolean keys) {
            this.sql = sql;
            this.version = version;
            this.reads = reads;
            this.keys = keys;
            this.hash = sql.hashCode() * 31 + Long.hashCode(version * 17 + reads) + (keys ? 1 : 0);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return k.version == version && k.reads == reads && k.keys == keys && Objects.equals(k.sql, sql);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
