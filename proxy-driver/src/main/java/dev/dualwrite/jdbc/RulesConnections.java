package dev.dualwrite.jdbc;

import dev.dualwrite.jdbc.reload.RulesDatabase;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where a {@code table:} rule source gets its connections: from the real driver (its own connection,
 * kept open to LISTEN on), from the application's DataSource (borrowed for each check and returned, so a
 * pool never loses a connection to it), or from {@code dualwrite.rules.url} when the rules live elsewhere.
 */
final class RulesConnections {
    private RulesConnections() {
    }

    /** For the driver: {@code dualwrite.rules.url} if set, else the application's own database. */
    static RulesDatabase forDriver(Properties ours, Driver real, String realUrl, Properties theirs) throws SQLException {
        String other = DriverProperty.RULES_URL.get(ours);
        return other == null ? viaDriver(real, realUrl, theirs) : elsewhere(other, theirs);
    }

    /** For the DataSource: {@code dualwrite.rules.url} if set, else connections borrowed from it. */
    static RulesDatabase forDataSource(Properties ours, DataSource target, String describe) throws SQLException {
        String other = DriverProperty.RULES_URL.get(ours);
        if (other != null) {
            return elsewhere(other, new Properties());
        }
        return new RulesDatabase() {
            @Override
            public Connection connect() throws SQLException {
                return target.getConnection();
            }

            @Override
            public boolean dedicated() {
                return false;
            }

            @Override
            public String describe() {
                return describe;
            }
        };
    }

    private static RulesDatabase elsewhere(String url, Properties theirs) throws SQLException {
        String real = JdbcUrl.accepts(url) ? JdbcUrl.parse(url).realUrl : url;
        if (!real.startsWith("jdbc:")) {
            throw new SQLException(DriverProperty.RULES_URL.key() + " must be a JDBC URL (jdbc:postgresql:...,"
                    + " jdbc:mysql:...), not " + JdbcUrl.scrub(url), "08001");
        }
        return viaDriver(DualWriteDriver.realDriver(real), real, theirs);
    }

    /** The driver is found now, in the application's thread: the source's own thread sees no class loader of it. */
    private static RulesDatabase viaDriver(Driver driver, String realUrl, Properties theirs) {
        Properties props = new Properties();
        props.putAll(theirs);
        String describe = JdbcUrl.scrub(realUrl);
        return new RulesDatabase() {
            @Override
            public Connection connect() throws SQLException {
                Connection c = driver.connect(realUrl, props);
                if (c == null) {
                    throw new SQLException("no driver accepted " + describe, "08001");
                }
                return c;
            }

            @Override
            public boolean dedicated() {
                return true;
            }

            @Override
            public String describe() {
                return describe;
            }
        };
    }
}
