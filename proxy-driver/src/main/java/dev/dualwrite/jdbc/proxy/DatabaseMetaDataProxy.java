package dev.dualwrite.jdbc.proxy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** A wrapped {@link DatabaseMetaData}: the application's URL (secrets removed) and the wrapped connection. */
public abstract class DatabaseMetaDataProxy implements DatabaseMetaData {
    /** Read by the generated forwarding methods. */
    protected Object delegate;
    private Connection connection;
    private String url;

    protected DatabaseMetaDataProxy(Object delegate) {
        this.delegate = delegate;
    }

    static DatabaseMetaData wrap(DatabaseMetaData raw, Connection connection, Session session) {
        DatabaseMetaDataProxy p = Proxies.METADATA.wrap(raw);
        p.connection = connection;
        p.url = session.appUrl();
        return p;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public String getURL() throws SQLException {
        return url != null ? url : ((DatabaseMetaData) delegate).getURL();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, ((DatabaseMetaData) delegate), iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, ((DatabaseMetaData) delegate), iface);
    }
}
