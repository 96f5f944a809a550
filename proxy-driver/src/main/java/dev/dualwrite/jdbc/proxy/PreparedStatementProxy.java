package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.rewrite.Rewrite;
import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The intercepted part of a wrapped {@link PreparedStatement}. It keeps the application's parameters by
 * the application's indexes and binds them to the real statement through the rewrite's parameter map.
 * Each execution checks that the plan is still the one the rules in force give; after a reload it
 * re-prepares the real statement and binds the parameters again.
 */
public abstract class PreparedStatementProxy extends StatementProxy implements PreparedStatement {
    /** Prepares the real statement for some SQL, with the options the application asked for. */
    interface Preparer {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    private String appSql;
    private boolean generatedKeys;
    private Preparer preparer;
    private Rewrite plan;
    /** The context the plan was made under: while the session's is the same object, the plan holds. */
    private Session.Context planContext;
    private final ParameterLog params = new ParameterLog();
    private final List<ParameterLog> batch = new ArrayList<>();

    protected PreparedStatementProxy(Object delegate) {
        super(delegate);
    }

    static <P extends PreparedStatementProxy> P prepare(ProxyFactory<P> factory, String sql, Preparer preparer,
            ConnectionProxy connection, Session session) throws SQLException {
        return prepare(factory, sql, false, preparer, connection, session);
    }

    /** @param keys the application asked for generated keys ({@code RETURN_GENERATED_KEYS}) */
    static <P extends PreparedStatementProxy> P prepare(ProxyFactory<P> factory, String sql, boolean keys,
            Preparer preparer, ConnectionProxy connection, Session session) throws SQLException {
        Session.Context context = session.context();
        Rewrite plan = Session.checked(session.rewrite(context, sql, keys));
        PreparedStatement raw = preparer.prepare(plan == null ? sql : plan.sql());
        P p = (session.hasRules() ? factory : factory.forwardingOnly()).wrap(raw);
        ((PreparedStatementProxy) p).init(connection, session, sql, keys, preparer, plan, context);
        return p;
    }

    private void init(ConnectionProxy c, Session s, String sql, boolean keys, Preparer prep, Rewrite r,
            Session.Context context) throws SQLException {
        planContext = context;
        connection = c;
        session = s;
        appSql = sql;
        generatedKeys = keys;
        preparer = prep;
        plan = r;
        checkPlan(r);
    }

    /** Hook for callable statements, whose out parameters cannot be renumbered. */
    void checkPlan(Rewrite r) throws SQLException {
    }

    private PreparedStatement rawPs() {
        return (PreparedStatement) delegate;
    }

    private int[] map() {
        return plan == null ? null : plan.parameterMap();
    }

    /** Every parameter setter comes here (see {@link ParameterSetter}). */
    final void onSet(Method setter, Object[] args) throws SQLException {
        if (session.hasRules()) {
            params.record(setter, args);
        }
        if (map() == null) {
            ParameterLog.invoke(delegate, setter, args, (Integer) args[0]);
        }
    }

    /**
     * Makes the real statement match the rules in force and binds remapped parameters.
     *
     * @return true when the real statement was prepared anew
     */
    private boolean ready() throws SQLException {
        boolean fresh = false;
        // Parameters set directly on the real statement are valid only while the map is the identity
        // and the statement is the one they were set on; otherwise bind them all from the log, once.
        boolean rebind = map() != null;
        if (session.hasRules()) {
            Session.Context context = session.context();
            Rewrite now = session.executed(context == planContext ? plan
                    : session.rewrite(context, appSql, generatedKeys));
            if (now != plan) {
                String oldSql = plan == null ? appSql : plan.sql();
                String newSql = now == null ? appSql : now.sql();
                checkPlan(now);
                if (!oldSql.equals(newSql)) {
                    reprepare(newSql);
                    fresh = true;
                }
                plan = now;
            }
            planContext = context;
        }
        if (fresh || rebind || map() != null) {
            params.bind(rawPs(), map());
        }
        return fresh;
    }

    private void reprepare(String sql) throws SQLException {
        PreparedStatement old = rawPs();
        PreparedStatement ps = preparer.prepare(sql);
        ps.setMaxRows(old.getMaxRows());
        ps.setQueryTimeout(old.getQueryTimeout());
        ps.setFetchSize(old.getFetchSize());
        delegate = ps;
        old.close();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        ready();
        session.shadow(plan, appSql, generatedKeys, params);
        return wrapResult(rawPs().executeQuery());
    }

    @Override
    public int executeUpdate() throws SQLException {
        ready();
        return script(params, () -> rawPs().executeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        ready();
        return script(params, () -> rawPs().executeLargeUpdate());
    }

    @Override
    public boolean execute() throws SQLException {
        ready();
        session.shadow(plan, appSql, generatedKeys, params);
        return script(params, () -> rawPs().execute());
    }

    /** Runs the real statement, inside its script where the plan is one. */
    private <T> T script(ParameterLog values, Script.Main<T> main) throws SQLException {
        if (plan == null || !plan.isScript()) {
            return main.run();
        }
        return Script.run(connection.rawConnection(), plan, values, rawPs().getQueryTimeout(), main);
    }

    @Override
    public void addBatch() throws SQLException {
        if (ready()) {
            replayBatch();
        }
        rawPs().addBatch();
        if (session.hasRules()) {
            batch.add(params.copy());
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            if (session.hasRules() && !batch.isEmpty()) {
                Rewrite now = Session.checked(session.rewrite(appSql, generatedKeys));
                if (now != plan && !(now == null ? appSql : now.sql()).equals(plan == null ? appSql : plan.sql())) {
                    ready();
                    replayBatch();
                }
            }
            if (plan != null && plan.isScript()) {
                return scriptBatch();
            }
            return rawPs().executeBatch();
        } finally {
            batch.clear();
        }
    }

    /** A script cannot ride a JDBC batch: each row runs its own script, and the counts come back as one. */
    private int[] scriptBatch() throws SQLException {
        rawPs().clearBatch();
        int[] counts = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            ParameterLog row = batch.get(i);
            row.bind(rawPs(), map());
            try {
                counts[i] = script(row, () -> rawPs().executeUpdate());
            } catch (SQLException e) {
                throw new java.sql.BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(),
                        java.util.Arrays.copyOf(counts, i), e);
            }
        }
        params.bind(rawPs(), map());
        return counts;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        // The same checks as executeBatch (reload, scripts); counts widened.
        int[] counts = executeBatch();
        long[] out = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    /** After re-preparing, the rows added so far are added again to the new statement. */
    private void replayBatch() throws SQLException {
        for (ParameterLog row : batch) {
            row.bind(rawPs(), map());
            rawPs().addBatch();
        }
        params.bind(rawPs(), map());
    }

    @Override
    public void clearBatch() throws SQLException {
        batch.clear();
        rawPs().clearBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        params.clear();
        rawPs().clearParameters();
    }

    static SQLException notSupported(String what) {
        return new SQLFeatureNotSupportedException("dualwrite: " + what, "0A000");
    }
}
