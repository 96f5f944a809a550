package dev.dualwrite.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * What sits between the benchmark and the real (or stub) driver. Every benchmark runs each of these in
 * the same run, so results are ratios to {@link #RAW} on the same machine and day.
 */
public enum Wrapper {
    /** The real driver, unwrapped. */
    RAW("raw") {
        @Override
        public Connection open(String url, Properties props, Path rules) throws SQLException {
            return DriverManager.getConnection(url, props);
        }
    },
    /**
     * P6Spy 3.9 with only its wrapping module ({@code p6spy.config.modulelist=...P6SpyFactory}, set by the
     * benchmarks' fork options): its proxies and event listener chain, no log formatting or file I/O.
     */
    P6SPY("p6spy") {
        @Override
        public Connection open(String url, Properties props, Path rules) throws SQLException {
            return DriverManager.getConnection("jdbc:p6spy:" + url.substring("jdbc:".length()), props);
        }
    },
    /** datasource-proxy 1.11 around a DataSource, with one listener that does nothing. */
    DATASOURCE_PROXY("datasource-proxy") {
        @Override
        public Connection open(String url, Properties props, Path rules) throws SQLException {
            DataSource ds = ProxyDataSourceBuilder.create(new UrlDataSource(url, props))
                    .listener(new QueryExecutionListener() {
                        @Override
                        public void beforeQuery(ExecutionInfo execInfo, java.util.List<QueryInfo> queryInfoList) {
                        }

                        @Override
                        public void afterQuery(ExecutionInfo execInfo, java.util.List<QueryInfo> queryInfoList) {
                        }
                    })
                    .build();
            return ds.getConnection();
        }
    },
    /** This driver without a rule file: a pure pass-through. */
    DUALWRITE_NO_RULES("dualwrite-no-rules") {
        @Override
        public Connection open(String url, Properties props, Path rules) throws SQLException {
            return DriverManager.getConnection(dualwrite(url), props);
        }
    },
    /** This driver with a rule file in force (a column migration on {@code users}). */
    DUALWRITE("dualwrite") {
        @Override
        public Connection open(String url, Properties props, Path rules) throws SQLException {
            Properties p = new Properties();
            p.putAll(props);
            p.setProperty("dualwrite.rules", rules.toString());
            return DriverManager.getConnection(dualwrite(url), p);
        }
    };

    private final String label;

    Wrapper(String label) {
        this.label = label;
    }

    /** The name used in {@code @Param} values. */
    public String label() {
        return label;
    }

    public static Wrapper of(String label) {
        for (Wrapper w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no wrapper " + label);
    }

    /**
     * A connection to {@code url} (a real driver's {@code jdbc:...} URL) through this wrapper.
     *
     * @param rules the rule file for {@link #DUALWRITE}
     */
    public abstract Connection open(String url, Properties props, Path rules) throws SQLException;

    private static String dualwrite(String url) {
        // The stub driver's URL does not tell the dialect; real URLs do.
        String real = url.startsWith("jdbc:stub:") ? url + "?dualwrite.dialect=postgresql" : url;
        return "jdbc:dualwrite:" + real.substring("jdbc:".length());
    }

    /** The minimal DataSource datasource-proxy wraps: DriverManager with fixed properties. */
    private static final class UrlDataSource implements DataSource {
        private final String url;
        private final Properties props;

        UrlDataSource(String url, Properties props) {
            this.url = url;
            this.props = props;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, props);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
