package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.jdbc.reload.RuleSource;
import dev.dualwrite.rewrite.ReadChoice;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.RewriteCache;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import dev.dualwrite.rules.RuleSet;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-connection rewriting state: the rule source, the current schema, and the canary decision of the
 * open transaction (one transaction reads one side).
 */
public final class Session {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.jdbc");

    private final Engine engine;
    private final String appUrl;
    private final Connection raw;
    private String schema;
    private Context context;
    private ConnectionProxy proxy;
    private long canaryMask;
    private boolean canaryDrawn;
    private boolean autoCommit = true;

    private Session(Engine engine, String appUrl, Connection raw) throws SQLException {
        this.engine = engine;
        this.appUrl = appUrl;
        this.raw = raw;
        this.autoCommit = raw.getAutoCommit();
        refreshSchema();
    }

    /** Wraps a real connection. {@code engine} null means no rules: wrap for getURL() only. */
    public static Connection wrap(Connection raw, Engine engine, String appUrl) throws SQLException {
        Session s = new Session(engine, appUrl, raw);
        ConnectionProxy p = Proxies.CONNECTION.wrap(raw);
        p.init(s);
        s.proxy = p;
        return p;
    }

    ConnectionProxy connection() {
        return proxy;
    }

    String appUrl() {
        return appUrl;
    }

    boolean hasRules() {
        return engine != null;
    }

    void refreshSchema() throws SQLException {
        if (engine == null) {
            return;
        }
        String s = engine.dialect == dev.dualwrite.rewrite.Dialect.MYSQL ? raw.getCatalog() : raw.getSchema();
        schema = s == null ? null : engine.dialect.canonical(engine.dialect.quote(s));
        context = null;
    }

    /**
     * What a rewrite depends on besides the SQL: the rules in force, the reads they give (with this
     * transaction's canary draw) and the metadata to bind names with. It stays the same object while
     * none of these change, so a prepared statement can tell that its plan still holds by identity.
     */
    static final class Context {
        final RuleSet rules;
        final long canaryMask;
        final ReadChoice reads;
        final JdbcCatalog catalog;
        final RewriteCache cache;

        Context(RuleSet rules, long canaryMask, ReadChoice reads, JdbcCatalog catalog, RewriteCache cache) {
            this.rules = rules;
            this.canaryMask = canaryMask;
            this.reads = reads;
            this.catalog = catalog;
            this.cache = cache;
        }
    }

    /** The context in force now; null without rules. */
    Context context() {
        if (engine == null) {
            return null;
        }
        RuleSet rules = engine.rules.current();
        long mask = canaryMask(rules);
        Context c = context;
        if (c == null || c.rules != rules || c.canaryMask != mask) {
            c = new Context(rules, mask, ReadChoice.of(rules, mask), new JdbcCatalog(raw, engine.dialect,
                    engine.columnCache(rules.version()), schema), engine.cache(schema));
            context = c;
        }
        return c;
    }

    /** The rewrite of a statement under the rules in force now; null without rules. */
    Rewrite rewrite(String sql, boolean generatedKeys) {
        return rewrite(context(), sql, generatedKeys, false);
    }

    /** The rewrite under a context; null when no migrated table can be involved. */
    Rewrite rewrite(Context c, String sql, boolean generatedKeys) {
        return rewrite(c, sql, generatedKeys, false);
    }

    private Rewrite rewrite(Context c, String sql, boolean generatedKeys, boolean shadowNew) {
        if (c == null || !c.rules.mayTouch(sql)) {
            return null;
        }
        ReadChoice reads = shadowNew ? ReadChoice.of(c.rules, c.canaryMask, true) : c.reads;
        return c.cache.rewrite(sql, c.rules, engine.dialect, reads, c.catalog, generatedKeys);
    }

    /** The rewrite for one execution, counted in the rules' statistics; throws for rejected statements. */
    Rewrite executing(String sql, boolean generatedKeys) throws SQLException {
        return executed(rewrite(sql, generatedKeys));
    }

    /** Counts one execution under {@code r} (null: no migrated table); throws if it is a rejection. */
    Rewrite executed(Rewrite r) throws SQLException {
        if (r != null) {
            engine.rules.stats().executed(r);
        }
        return checked(r);
    }

    /**
     * Shadow reads (contract 4.2): for a sampled query on a migration in {@code shadow}, runs the same
     * read against the new side too and compares, before the application's own read runs. Never throws
     * and never touches the application's statement or transaction.
     *
     * @param params the application's parameters, or null for a plain Statement
     */
    void shadow(Rewrite app, String sql, boolean generatedKeys, ParameterLog params) {
        if (app == null || !app.isQuery() || engine == null) {
            return;
        }
        List<Migration> shadowed = null;
        for (Migration m : app.touched()) {
            if (m.phase() == Phase.MIGRATE && m.reads().kind() == ReadFlag.Kind.SHADOW
                    && ThreadLocalRandom.current().nextInt(100) < m.reads().percent()) {
                if (shadowed == null) {
                    shadowed = new java.util.ArrayList<>();
                }
                shadowed.add(m);
            }
        }
        if (shadowed == null) {
            return;
        }
        Context c = context();
        Rewrite other = rewrite(c, sql, generatedKeys, true);
        if (other == null || other.kind() != Rewrite.Kind.REWRITTEN || other.sql().equals(app.sql())) {
            return;
        }
        Shadow.compare(raw, engine.dialect, app, other, params, shadowed, engine.rules.stats(), c.catalog);
    }

    /**
     * The checked rewrite for SQL run without parameters (a Statement); null when no migrated table is
     * involved.
     */
    Rewrite planFor(String sql, boolean generatedKeys) throws SQLException {
        Rewrite r = executing(sql, generatedKeys);
        if (r == null || r.kind() == Rewrite.Kind.PASS_THROUGH) {
            return r;
        }
        if (r.parameterMap() != null) {
            throw new SQLFeatureNotSupportedException("dualwrite: the statement has parameter placeholders; use a"
                    + " PreparedStatement: " + sql, "0A000");
        }
        return r;
    }

    /** Throws the contract's SQLException (SQLState 0A000) for a rejected rewrite. */
    static Rewrite checked(Rewrite r) throws SQLException {
        if (r != null && r.kind() == Rewrite.Kind.REJECTED) {
            throw new SQLFeatureNotSupportedException(r.rejectionMessage(), "0A000");
        }
        if (r != null && r.reason() != null && r.kind() == Rewrite.Kind.PASS_THROUGH) {
            LOG.log(Level.WARNING, "dualwrite: passing a statement unrewritten (on_unparseable: pass): "
                    + r.reason() + ". Statement: " + r.sql());
        }
        return r;
    }

    /** Canary: drawn once per transaction (each statement is one in auto-commit mode). */
    private long canaryMask(RuleSet rules) {
        if (canaryDrawn && !autoCommit) {
            return canaryMask;
        }
        long mask = 0;
        List<Migration> ms = rules.migrations();
        for (int i = 0; i < ms.size() && i < 64; i++) {
            Migration m = ms.get(i);
            if (m.phase() == Phase.MIGRATE && m.reads().kind() == ReadFlag.Kind.CANARY
                    && ThreadLocalRandom.current().nextInt(100) < m.reads().percent()) {
                mask |= 1L << i;
            }
        }
        canaryMask = mask;
        canaryDrawn = true;
        return mask;
    }

    void transactionEnded(boolean autoCommitNow) {
        canaryDrawn = false;
        autoCommit = autoCommitNow;
    }
}
