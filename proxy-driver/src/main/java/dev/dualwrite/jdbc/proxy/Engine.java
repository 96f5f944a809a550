package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.jdbc.reload.RuleSource;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.RewriteCache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What connections to one database under one rule source share: the rewrite caches (one per current
 * schema, since unqualified names resolve against it) and the table metadata the rewriter asks for.
 */
public final class Engine {
    private static final Map<String, Engine> ENGINES = new ConcurrentHashMap<>();

    final RuleSource rules;
    final Dialect dialect;
    private final long cacheMaxChars;
    private final Map<String, RewriteCache> caches = new ConcurrentHashMap<>();
    private final Map<String, List<String>> columns = new ConcurrentHashMap<>();
    private volatile long columnsForVersion = -1;

    private Engine(RuleSource rules, Dialect dialect, long cacheMaxChars) {
        this.rules = rules;
        this.dialect = dialect;
        this.cacheMaxChars = cacheMaxChars;
    }

    /** The engine for a database (identified by its URL without secrets) and a rule source. */
    public static Engine of(String database, RuleSource rules, Dialect dialect, long cacheMaxChars) {
        String key = database + "\u0000" + System.identityHashCode(rules) + "\u0000" + dialect;
        return ENGINES.computeIfAbsent(key, k -> new Engine(rules, dialect, cacheMaxChars));
    }

    RewriteCache cache(String schema) {
        return caches.computeIfAbsent(schema == null ? "" : schema, s -> new RewriteCache(cacheMaxChars));
    }

    /** Cached column lists; dropped whenever the rules change (a reload follows DDL in practice). */
    Map<String, List<String>> columnCache(long rulesVersion) {
        if (columnsForVersion != rulesVersion) {
            columns.clear();
            columnsForVersion = rulesVersion;
        }
        return columns;
    }
}
