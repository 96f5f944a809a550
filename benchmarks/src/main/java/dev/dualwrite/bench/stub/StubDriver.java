package dev.dualwrite.bench.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:stub:} URLs that talks to no database: statements allocate a result
 * (one row of two columns) and return it. It isolates what a wrapper costs from network and server time,
 * as HikariCP's own benchmarks do.
 */
public final class StubDriver implements Driver {
    public static final String URL = "jdbc:stub:bench";

    static {
        try {
            DriverManager.registerDriver(new StubDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Registers the driver with {@link DriverManager} (idempotent). */
    public static void register() {
        // the static initializer does it
    }

    @Override
    public Connection connect(String url, Properties info) {
        return acceptsURL(url) ? StubConnection.create() : null;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:stub:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
