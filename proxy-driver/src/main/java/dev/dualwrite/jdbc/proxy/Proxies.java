package dev.dualwrite.jdbc.proxy;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.not;

/** The proxy factories, one per JDBC type we wrap. */
final class Proxies {
    static final ProxyFactory<ConnectionProxy> CONNECTION = new ProxyFactory<>(ConnectionProxy.class);
    static final ProxyFactory<StatementProxy> STATEMENT = new ProxyFactory<>(StatementProxy.class);
    /** Parameter setters: {@code setXxx(int index, value, ...)}, every variant, vendor ones included. */
    static final ProxyFactory<PreparedStatementProxy> PREPARED = new ProxyFactory<>(PreparedStatementProxy.class,
            isPublic().and(nameStartsWith("set")).and(takesArgument(0, int.class))
                    .and(not(takesArguments(0))).and(not(takesArguments(1))),
            ParameterSetter.class);
    static final ProxyFactory<CallableStatementProxy> CALLABLE = new ProxyFactory<>(CallableStatementProxy.class,
            isPublic().and(nameStartsWith("set")).and(takesArgument(0, int.class))
                    .and(not(takesArguments(0))).and(not(takesArguments(1))),
            ParameterSetter.class);
    static final ProxyFactory<ResultSetProxy> RESULT_SET = new ProxyFactory<>(ResultSetProxy.class);
    static final ProxyFactory<DatabaseMetaDataProxy> METADATA = new ProxyFactory<>(DatabaseMetaDataProxy.class);

    private Proxies() {
    }
}
