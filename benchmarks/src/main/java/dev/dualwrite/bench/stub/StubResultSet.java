package dev.dualwrite.bench.stub;

import java.lang.invoke.MethodHandle;
import java.sql.ResultSet;
import java.sql.Statement;

/** One row, {@code (42, 'stub-name')}, allocated per query as a driver allocates its rows. */
public abstract class StubResultSet extends StubBase implements ResultSet {
    private static final MethodHandle NEW = Stubs.constructor(StubResultSet.class);

    private Statement statement;
    private Object[] row;
    private int position;
    private boolean wasNull;

    static ResultSet create(Statement s) {
        StubResultSet r = Stubs.create(NEW);
        r.statement = s;
        r.row = new Object[] {42L, "stub-name"};
        return r;
    }

    @Override
    public boolean next() {
        return ++position == 1;
    }

    private Object value(int column) {
        Object v = row[column - 1];
        wasNull = v == null;
        return v;
    }

    @Override
    public long getLong(int column) {
        Object v = value(column);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    @Override
    public int getInt(int column) {
        return (int) getLong(column);
    }

    @Override
    public String getString(int column) {
        Object v = value(column);
        return v == null ? null : v.toString();
    }

    @Override
    public Object getObject(int column) {
        return value(column);
    }

    @Override
    public boolean wasNull() {
        return wasNull;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }
}
