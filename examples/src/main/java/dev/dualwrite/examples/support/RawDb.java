package dev.dualwrite.examples.support;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The operator's side of a migration: the real driver (pgjdbc, Connector/J), never through the dualwrite
 * driver, so that what it reads is what is really in the tables and its DDL and backfill are not
 * rewritten. Examples and their tests check the database with it.
 */
public final class RawDb {
    private final DataSource dataSource;

    public RawDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    public void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Runs one statement with parameters; returns its update count. */
    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs a query whose first column of its only row is a number. */
    public long queryLong(String sql, Object... params) throws SQLException {
        return queryLongs(sql, params)[0];
    }

    /**
     * Runs a query whose only row is all numbers. Counts that are compared with each other must come
     * from one query: the application keeps writing between two separate ones.
     */
    public long[] queryLongs(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long[] row = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getLong(i + 1);
            }
            return row;
        }
    }

    /** Every row of a query, each value as text ({@code null} stays null). */
    public List<List<String>> rows(String sql, Object... params) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Whether the table (in the connection's current schema or database) has the column. */
    public boolean columnExists(String table, String column) throws SQLException {
        try (Connection c = connect()) {
            DatabaseMetaData md = c.getMetaData();
            // MySQL calls a database a catalog, PostgreSQL a schema; each reports the other as null.
            try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), table, column)) {
                return rs.next();
            }
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
