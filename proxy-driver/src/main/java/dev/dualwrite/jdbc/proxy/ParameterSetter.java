package dev.dualwrite.jdbc.proxy;

import java.lang.reflect.Method;
import java.sql.SQLException;
import net.bytebuddy.implementation.bind.annotation.AllArguments;
import net.bytebuddy.implementation.bind.annotation.Origin;
import net.bytebuddy.implementation.bind.annotation.This;

/** Where generated proxies send every parameter setter. */
public final class ParameterSetter {
    private ParameterSetter() {
    }

    public static void set(@This PreparedStatementProxy self, @Origin Method method, @AllArguments Object[] args)
            throws SQLException {
        self.onSet(method, args);
    }
}
