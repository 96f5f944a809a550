package dev.dualwrite.bench.stub;

import java.lang.invoke.MethodHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;

/** The part of {@link PreparedStatement} the benchmarks use; parameters are kept as a driver would. */
public abstract class StubPreparedStatement extends StubStatement implements PreparedStatement {
    private static final MethodHandle NEW = Stubs.constructor(StubPreparedStatement.class);

    private Object[] parameters = new Object[4];

    static PreparedStatement create(Connection c) {
        StubPreparedStatement s = Stubs.create(NEW);
        s.connection = c;
        return s;
    }

    private void set(int index, Object value) {
        if (index > parameters.length) {
            parameters = Arrays.copyOf(parameters, index * 2);
        }
        parameters[index - 1] = value;
    }

    @Override
    public void setInt(int index, int x) {
        set(index, x);
    }

    @Override
    public void setLong(int index, long x) {
        set(index, x);
    }

    @Override
    public void setString(int index, String x) {
        set(index, x);
    }

    @Override
    public void setObject(int index, Object x) {
        set(index, x);
    }

    @Override
    public void clearParameters() {
        Arrays.fill(parameters, null);
    }

    @Override
    public ResultSet executeQuery() {
        return result();
    }

    @Override
    public int executeUpdate() {
        return 1;
    }

    @Override
    public boolean execute() {
        result();
        return true;
    }
}
