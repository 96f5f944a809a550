package dev.dualwrite.ops.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/** Where replica lag is read from, before each batch. */
interface LagSource extends AutoCloseable {
    /** For messages: what was asked. */
    String describe();

    /** The lag in seconds, or null when it cannot be known now (replication stopped, no heartbeat row). */
    Double seconds() throws SQLException;

    @Override
    default void close() {
    }

    /** {@code --lag-query}: any query whose first column of its first row is the lag in seconds (pt-heartbeat). */
    static LagSource query(Connection c, String sql) {
        return new LagSource() {
            @Override
            public String describe() {
                return "--lag-query";
            }

            @Override
            public Double seconds() throws SQLException {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    Double lag = null;
                    if (rs.next()) {
                        lag = rs.getDouble(1);
                        lag = rs.wasNull() ? null : lag;
                    }
                    return lag;
                } finally {
                    // a REPEATABLE READ snapshot would show the same lag for ever: every read is its own transaction
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
            }
        };
    }

    /**
     * PostgreSQL, asked on the primary: the largest replay lag of its streaming replicas (0 without replicas;
     * NULL there means caught up). A role without pg_read_all_stats (pg_monitor) sees the rows but not their
     * columns, which would look like no lag: that is refused.
     */
    static LagSource postgresReplicas(Connection c) {
        return new LagSource() {
            @Override
            public String describe() {
                return "pg_stat_replication replay_lag";
            }

            @Override
            public Double seconds() throws SQLException {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE"
                        + " state IS NULL), COALESCE(EXTRACT(EPOCH FROM max(replay_lag)), 0) FROM pg_stat_replication")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw CliFailure.badInput("this user cannot read the replicas' lag in pg_stat_replication;"
                                + " grant it pg_monitor, or give --lag-query");
                    }
                    return rs.getDouble(2);
                } finally {
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
            }
        };
    }

    /**
     * MySQL/MariaDB, asked on a replica ({@code --replica-url}): {@code Seconds_Behind_Source} of {@code SHOW
     * REPLICA STATUS}, or {@code Seconds_Behind_Master} of {@code SHOW SLAVE STATUS} on older servers; the largest
     * over the channels. NULL there means the replica's SQL thread is not running.
     */
    static LagSource mysqlReplica(String label, Database replica) {
        return new LagSource() {
            @Override
            public String describe() {
                return "SHOW REPLICA STATUS on " + label;
            }

            @Override
            public Double seconds() throws SQLException {
                try (Statement st = replica.connection().createStatement(); ResultSet rs = status(st)) {
                    Double max = null;
                    boolean any = false;
                    while (rs.next()) {
                        any = true;
                        String behind = column(rs, "Seconds_Behind_Source", "Seconds_Behind_Master");
                        if (behind == null) {
                            return null;
                        }
                        double lag = Double.parseDouble(behind);
                        max = max == null ? lag : Math.max(max, lag);
                    }
                    if (!any) {
                        throw CliFailure.badInput(label + " is not a replica (SHOW REPLICA STATUS returned no row);"
                                + " give the replicas' URLs to --replica-url, or a --lag-query");
                    }
                    return max;
                }
            }

            @Override
            public void close() {
                replica.close();
            }
        };
    }

    private static ResultSet status(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW REPLICA STATUS");
        } catch (SQLException olderServer) {
            return st.executeQuery("SHOW SLAVE STATUS");
        }
    }

    private static String column(ResultSet rs, String... names) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        for (String name : names) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (name.equalsIgnoreCase(md.getColumnLabel(i))) {
                    return rs.getString(i);
                }
            }
        }
        throw CliFailure.badInput("SHOW REPLICA STATUS has no column " + String.join(" or ", names));
    }
}
