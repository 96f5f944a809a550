package dev.dualwrite.examples.rename;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Legacy data access code, as it was written before anyone thought of renaming a column: plain JDBC,
 * it knows only {@code users.user_name}. Nothing here is dualwrite-specific; where its connections come
 * from (DriverManager and a URL, a pool) is the caller's business.
 */
public final class LegacyUserDao {
    /** Where the DAO gets a connection; it closes each one after use. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;

    public LegacyUserDao(Connections connections) {
        this.connections = connections;
    }

    public void insert(long id, String name) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, user_name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    public void rename(long id, String name) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("UPDATE users SET user_name = ? WHERE id = ?")) {
            ps.setString(1, name);
            ps.setLong(2, id);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no user " + id);
            }
        }
    }

    /** The user's name, read by column label as legacy code does; null if there is no such user. */
    public String nameOf(long id) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString("user_name") : null;
            }
        }
    }

    /** The id of the user with that name, or -1. */
    public long idOf(String name) throws SQLException {
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE user_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
