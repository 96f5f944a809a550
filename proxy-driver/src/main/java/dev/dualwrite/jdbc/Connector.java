package dev.dualwrite.jdbc;

import dev.dualwrite.jdbc.proxy.Engine;
import dev.dualwrite.jdbc.proxy.Session;
import dev.dualwrite.jdbc.reload.RuleSource;
import dev.dualwrite.jdbc.reload.RuleSources;
import dev.dualwrite.jdbc.reload.RulesDatabase;
import dev.dualwrite.jdbc.reload.RulesTable;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.RuleFileException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * What the driver and the DataSource share: resolving {@code dualwrite.rules} (property, then system
 * property, then environment) at each connect, and wrapping a real connection.
 */
final class Connector {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.jdbc");
    private static volatile boolean saidPassThrough;

    private Connector() {
    }

    /**
     * Wraps a real connection under the rules {@code props} name; {@code dialect} may be null;
     * {@code rulesDatabase} is where a {@code table:} source reads its table.
     */
    static Connection wrap(Connection raw, Properties props, Dialect dialect, String appUrl, String database,
            RulesDatabase rulesDatabase) throws SQLException {
        try {
            String location = rulesLocation(props);
            if (location == null) {
                if (!saidPassThrough) {
                    saidPassThrough = true;
                    LOG.log(Level.INFO, "dualwrite: no rules configured (dualwrite.rules, -Ddualwrite.rules or"
                            + " DUALWRITE_RULES); the driver passes every statement through");
                }
                return Session.wrap(raw, null, appUrl);
            }
            Dialect d = dialect(props, dialect, raw);
            long reload = DriverProperty.RELOAD_INTERVAL_MILLIS.getLong(props);
            RuleSource source = RulesTable.isTable(location)
                    ? RuleSources.forTable(table(location, d), rulesDatabase, reload)
                    : RuleSources.forLocation(location, reload);
            Engine engine = Engine.of(database, source, d, DriverProperty.CACHE_MAX_CHARS.getLong(props));
            return Session.wrap(raw, engine, appUrl);
        } catch (RuleFileException e) {
            closeQuietly(raw);
            throw new SQLException("dualwrite: no usable rules, so no connection is made (writes would miss the new"
                    + " columns). Fix the rule file or unset dualwrite.rules:\n" + e.getMessage(), "08001", e);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    private static RulesTable table(String location, Dialect dialect) throws SQLException {
        try {
            return RulesTable.of(location, dialect);
        } catch (IllegalArgumentException e) {
            throw new SQLException("dualwrite.rules: " + e.getMessage(), "08001");
        }
    }

    static String rulesLocation(Properties props) {
        String v = DriverProperty.RULES.get(props);
        if (v == null || v.isBlank()) {
            v = System.getProperty(DriverProperty.RULES.key());
        }
        if (v == null || v.isBlank()) {
            v = System.getenv("DUALWRITE_RULES");
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Dialect dialect(Properties props, Dialect fromUrl, Connection raw) throws SQLException {
        String v = DriverProperty.DIALECT.get(props);
        if (v != null) {
            try {
                return Dialect.of(v);
            } catch (IllegalArgumentException e) {
                throw new SQLException("dualwrite.dialect: " + e.getMessage(), "08001");
            }
        }
        if (fromUrl != null) {
            return fromUrl;
        }
        String product = raw.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(java.util.Locale.ROOT);
        if (p.contains("postgres")) {
            return Dialect.POSTGRESQL;
        }
        if (p.contains("mysql") || p.contains("mariadb")) {
            return Dialect.MYSQL;
        }
        throw new SQLException("dualwrite: cannot rewrite SQL for " + product + "; supported are PostgreSQL and"
                + " MySQL/MariaDB (set dualwrite.dialect if this database speaks one of them)", "08001");
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // the original error matters more
        }
    }
}
