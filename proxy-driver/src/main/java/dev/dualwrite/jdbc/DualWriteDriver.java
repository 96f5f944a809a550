package dev.dualwrite.jdbc;

import dev.dualwrite.jdbc.reload.RuleSources;
import dev.dualwrite.jdbc.reload.RulesDatabase;
import dev.dualwrite.rewrite.Dialect;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:dualwrite:<real url>}: connects through the real driver and wraps the
 * connection so that SQL follows the migration rules.
 */
public final class DualWriteDriver implements Driver {
    static {
        try {
            // deregistering (an application server's undeploy) stops the rule watcher and drops the JMX beans
            DriverManager.registerDriver(new DualWriteDriver(), RuleSources::shutdown);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        JdbcUrl parsed = JdbcUrl.parse(url);
        Properties ours = new Properties();
        ours.putAll(parsed.dualwrite);
        Properties theirs = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                if (key.startsWith(DriverProperty.PREFIX)) {
                    if (DriverProperty.of(key) == null) {
                        throw new SQLException("unknown property " + key + "; known: " + JdbcUrl.known(), "08001");
                    }
                    ours.putIfAbsent(key, info.getProperty(key));
                } else {
                    theirs.setProperty(key, info.getProperty(key));
                }
            }
        }
        Driver real = realDriver(parsed.realUrl);
        RulesDatabase rules = RulesConnections.forDriver(ours, real, parsed.realUrl, theirs);
        Connection raw = real.connect(parsed.realUrl, theirs);
        if (raw == null) {
            throw new SQLException("dualwrite: the driver " + real.getClass().getName() + " did not accept "
                    + JdbcUrl.scrub(parsed.realUrl), "08001");
        }
        String appUrl = JdbcUrl.scrub(url);
        return Connector.wrap(raw, ours, Dialect.ofJdbcUrl(parsed.realUrl), appUrl, JdbcUrl.scrub(parsed.realUrl),
                rules);
    }

    static Driver realDriver(String realUrl) throws SQLException {
        try {
            return DriverManager.getDriver(realUrl);
        } catch (SQLException notRegistered) {
            // The real driver may be visible to the application's class loader only.
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            for (Driver d : ServiceLoader.load(Driver.class, cl)) {
                if (!(d instanceof DualWriteDriver) && d.acceptsURL(realUrl)) {
                    return d;
                }
            }
            throw new SQLException("dualwrite: no JDBC driver for " + JdbcUrl.scrub(realUrl)
                    + "; put the database's driver (pgjdbc or MySQL Connector/J) on the class path", "08001");
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return JdbcUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Properties all = new Properties();
        if (info != null) {
            all.putAll(info);
        }
        List<DriverPropertyInfo> out = new ArrayList<>();
        String realUrl = null;
        if (acceptsURL(url)) {
            JdbcUrl parsed = JdbcUrl.parse(url);
            all.putAll(parsed.dualwrite);
            realUrl = parsed.realUrl;
        }
        for (DriverProperty p : DriverProperty.values()) {
            out.add(p.info(all));
        }
        if (realUrl != null) {
            try {
                Properties theirs = new Properties();
                for (String k : all.stringPropertyNames()) {
                    if (!k.startsWith(DriverProperty.PREFIX)) {
                        theirs.setProperty(k, all.getProperty(k));
                    }
                }
                for (DriverPropertyInfo i : realDriver(realUrl).getPropertyInfo(realUrl, theirs)) {
                    out.add(i);
                }
            } catch (SQLException e) {
                // no real driver: list ours only
            }
        }
        return out.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("dev.dualwrite");
    }
}
