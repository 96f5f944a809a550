package dev.dualwrite.bench.stub;

import java.sql.SQLWarning;

/** What every stub object does alike: it can be closed, has no warnings and wraps nothing. */
public abstract class StubBase {
    private boolean closed;

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }

    public SQLWarning getWarnings() {
        return null;
    }

    public void clearWarnings() {
    }

    public <T> T unwrap(Class<T> iface) {
        return iface.cast(this);
    }

    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
