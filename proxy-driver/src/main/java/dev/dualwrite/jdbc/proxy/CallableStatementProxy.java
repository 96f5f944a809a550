package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.rewrite.Rewrite;
import java.sql.CallableStatement;
import java.sql.SQLException;

/**
 * A wrapped {@link CallableStatement}. Procedure calls pass through; a callable statement whose SQL
 * needs its parameters renumbered is rejected, because its out parameters are addressed by index.
 */
public abstract class CallableStatementProxy extends PreparedStatementProxy implements CallableStatement {
    protected CallableStatementProxy(Object delegate) {
        super(delegate);
    }

    @Override
    void checkPlan(Rewrite r) throws SQLException {
        if (r != null && r.parameterMap() != null) {
            throw notSupported("a CallableStatement on a migrated table whose parameters must be bound twice is not"
                    + " supported; use a PreparedStatement: " + r.sql());
        }
    }
}
