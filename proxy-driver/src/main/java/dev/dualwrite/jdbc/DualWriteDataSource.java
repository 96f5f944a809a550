package dev.dualwrite.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import dev.dualwrite.jdbc.proxy.Unwrapping;
import dev.dualwrite.jdbc.reload.RulesDatabase;
import javax.sql.DataSource;

/**
 * Wraps any {@link DataSource} (a pool such as HikariCP, or a vendor DataSource handed to one) so that
 * its connections follow the migration rules. Configure the rule file with {@link #setRules} or the
 * usual fallbacks (system property {@code dualwrite.rules}, environment {@code DUALWRITE_RULES}).
 */
public class DualWriteDataSource implements DataSource {
    private DataSource target;
    private final Properties props = new Properties();

    public DualWriteDataSource() {
    }

    public DualWriteDataSource(DataSource target) {
        this.target = target;
    }

    public DualWriteDataSource(DataSource target, String rules) {
        this.target = target;
        setRules(rules);
    }

    public void setTargetDataSource(DataSource target) {
        this.target = target;
    }

    public DataSource getTargetDataSource() {
        return target;
    }

    /** The rule file: a path or {@code classpath:name}, or {@code table:<schema.table>}. */
    public void setRules(String rules) {
        props.setProperty(DriverProperty.RULES.key(), rules);
    }

    public String getRules() {
        return props.getProperty(DriverProperty.RULES.key());
    }

    /** {@code postgresql} or {@code mysql}; by default taken from the database's product name. */
    public void setDialect(String dialect) {
        props.setProperty(DriverProperty.DIALECT.key(), dialect);
    }

    /** Sets any {@code dualwrite.*} property. */
    public void setProperty(String key, String value) {
        if (DriverProperty.of(key) == null) {
            throw new IllegalArgumentException("unknown property " + key + "; known: " + JdbcUrl.known());
        }
        props.setProperty(key, value);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(target().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(target().getConnection(username, password));
    }

    private Connection wrap(Connection raw) throws SQLException {
        String url;
        try {
            url = JdbcUrl.scrub(raw.getMetaData().getURL());
        } catch (SQLException e) {
            url = target.getClass().getName();
        }
        String database = url + "@" + System.identityHashCode(target);
        RulesDatabase rules;
        try {
            rules = RulesConnections.forDataSource(props, target, database);
        } catch (SQLException | RuntimeException e) {
            raw.close();
            throw e;
        }
        return Connector.wrap(raw, props, url == null ? null : dev.dualwrite.rewrite.Dialect.ofJdbcUrl(url), url,
                database, rules);
    }

    private DataSource target() throws SQLException {
        if (target == null) {
            throw new SQLException("dualwrite: DualWriteDataSource has no target DataSource; call"
                    + " setTargetDataSource first", "08001");
        }
        return target;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("dev.dualwrite");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, target(), iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, target(), iface);
    }
}
