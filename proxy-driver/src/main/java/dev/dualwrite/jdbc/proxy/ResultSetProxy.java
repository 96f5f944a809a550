package dev.dualwrite.jdbc.proxy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A wrapped {@link ResultSet}, so that {@link #getStatement()} returns the wrapped statement. */
public abstract class ResultSetProxy implements ResultSet {
    /** Read by the generated forwarding methods. */
    protected Object delegate;
    private Statement statement;

    protected ResultSetProxy(Object delegate) {
        this.delegate = delegate;
    }

    static ResultSet wrap(ResultSet raw, Statement statement) {
        if (raw == null) {
            return null;
        }
        ResultSetProxy p = Proxies.RESULT_SET.wrap(raw);
        p.statement = statement;
        return p;
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, ((ResultSet) delegate), iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, ((ResultSet) delegate), iface);
    }
}
