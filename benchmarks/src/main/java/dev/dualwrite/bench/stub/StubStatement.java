package dev.dualwrite.bench.stub;

import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The part of {@link Statement} the benchmarks use: every query returns a fresh one-row result. */
public abstract class StubStatement extends StubBase implements Statement {
    private static final MethodHandle NEW = Stubs.constructor(StubStatement.class);

    Connection connection;
    private ResultSet last;
    private int maxRows;
    private int queryTimeout;
    private int fetchSize;

    static Statement create(Connection c) {
        StubStatement s = Stubs.create(NEW);
        s.connection = c;
        return s;
    }

    final ResultSet result() {
        last = StubResultSet.create(this);
        return last;
    }

    @Override
    public ResultSet executeQuery(String sql) {
        return result();
    }

    @Override
    public int executeUpdate(String sql) {
        return 1;
    }

    @Override
    public boolean execute(String sql) {
        result();
        return true;
    }

    @Override
    public ResultSet getResultSet() {
        return last;
    }

    @Override
    public int getUpdateCount() {
        return -1;
    }

    @Override
    public boolean getMoreResults() {
        return false;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public int getMaxRows() {
        return maxRows;
    }

    @Override
    public void setMaxRows(int max) {
        maxRows = max;
    }

    @Override
    public int getQueryTimeout() {
        return queryTimeout;
    }

    @Override
    public void setQueryTimeout(int seconds) {
        queryTimeout = seconds;
    }

    @Override
    public int getFetchSize() {
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) {
        fetchSize = rows;
    }
}
