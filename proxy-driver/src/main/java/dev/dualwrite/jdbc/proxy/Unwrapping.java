package dev.dualwrite.jdbc.proxy;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper} for every wrapper of ours: the wrapper itself answers for the interfaces it implements
 * (vendor ones included, so SQL through it is still rewritten), the wrapped object for the rest.
 */
public final class Unwrapping {
    private Unwrapping() {
    }

    public static <T> T unwrap(Object self, Wrapper wrapped, Class<T> iface) throws SQLException {
        return iface.isInstance(self) ? iface.cast(self) : wrapped.unwrap(iface);
    }

    public static boolean isWrapperFor(Object self, Wrapper wrapped, Class<?> iface) throws SQLException {
        return iface.isInstance(self) || wrapped.isWrapperFor(iface);
    }
}
