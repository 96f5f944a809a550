package dev.dualwrite.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The operator's side of the migration: plain pgjdbc, never through the dualwrite driver, so that
 * what it reads is what is really in the tables and its DDL and backfill are not rewritten.
 */
final class RawDb {
    private final DataSource dataSource;

    RawDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Runs a query whose first column of its only row is a number. */
    long queryLong(String sql, Object... params) throws SQLException {
        return queryLongs(sql, params)[0];
    }

    /**
     * Runs a query whose only row is all numbers. Counts that are compared with each other must come
     * from one query: the application keeps inserting between two separate ones.
     */
    long[] queryLongs(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] row = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getLong(i + 1);
                }
                return row;
            }
        }
    }

    boolean columnExists(String table, String column) throws SQLException {
        return queryLong("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
                table, column) > 0;
    }

    /**
     * Copies user_name into display_name for rows written before dual writes began. Small batches in
     * their own transactions keep row locks short, so the running application is never blocked for
     * long; the IS DISTINCT FROM guard makes a re-run cheap and skips rows the driver already mirrored.
     *
     * @return rows changed
     */
    long backfill(long fromId, long toId, int batchSize, Runnable afterBatch) throws SQLException {
        long changed = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = user_name"
                        + " WHERE id BETWEEN ? AND ? AND display_name IS DISTINCT FROM user_name")) {
            c.setAutoCommit(true);
            for (long lo = fromId; lo <= toId; lo += batchSize) {
                ps.setLong(1, lo);
                ps.setLong(2, Math.min(toId, lo + batchSize - 1));
                changed += ps.executeUpdate();
                afterBatch.run();
            }
        }
        return changed;
    }
}
