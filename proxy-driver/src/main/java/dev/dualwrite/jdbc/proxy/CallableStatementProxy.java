package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.rewrite.Rewrite;
import java.sql.CallableStatement;
import java.sql.SQLException;
import java.sql.SQLType;

/**
 * A wrapped {@link CallableStatement}. Procedure calls pass through. DML sent through {@code prepareCall}
 * is rewritten like a prepared statement; its in parameters are renumbered, but out parameters, which
 * are addressed by index, cannot be once the statement binds a parameter twice.
 */
public abstract class CallableStatementProxy extends PreparedStatementProxy implements CallableStatement {
    private Rewrite plan;

    protected CallableStatementProxy(Object delegate) {
        super(delegate);
    }

    @Override
    void checkPlan(Rewrite r) {
        plan = r;
    }

    private CallableStatement call() {
        return (CallableStatement) delegate;
    }

    private void outParameter(int index) throws SQLException {
        if (plan != null && plan.parameterMap() != null) {
            throw notSupported("out parameter " + index + " on a statement whose parameters the rewrite renumbers"
                    + " is not supported; read the values with RETURNING or a query instead: " + plan.sql());
        }
    }

    @Override
    public void registerOutParameter(int index, int sqlType) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, int sqlType, int scale) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType, scale);
    }

    @Override
    public void registerOutParameter(int index, int sqlType, String typeName) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType, typeName);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, int scale) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType, scale);
    }

    @Override
    public void registerOutParameter(int index, SQLType sqlType, String typeName) throws SQLException {
        outParameter(index);
        call().registerOutParameter(index, sqlType, typeName);
    }
}
