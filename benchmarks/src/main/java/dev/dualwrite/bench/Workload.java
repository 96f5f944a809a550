package dev.dualwrite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One statement as an application runs it: prepared (prepare, bind, execute, read, close) or plain
 * (create, execute the SQL with its values inlined, read, close). Under {@link BenchRules} the
 * {@code users} statements are rewritten; {@link #UNRELATED_SELECT} names no migrated table.
 */
public enum Workload {
    /** A point select on a table no rule names: the driver's name-scan fast path. */
    UNRELATED_SELECT("unrelated_select", "SELECT id, name FROM accounts WHERE id = ?",
            "SELECT id, name FROM accounts WHERE id = 42"),
    /** A point select by primary key of the migrated column: rewritten to read the new column. */
    SELECT_PK("select_pk", "SELECT id, user_name FROM users WHERE id = ?",
            "SELECT id, user_name FROM users WHERE id = 42"),
    /** An update of the migrated column: mirrored, the parameter bound twice. */
    UPDATE("update", "UPDATE users SET user_name = ? WHERE id = ?",
            "UPDATE users SET user_name = 'name-42' WHERE id = 42"),
    /** A single-row insert naming the migrated column: mirrored. */
    INSERT("insert", "INSERT INTO users (user_name, email) VALUES (?, ?)",
            "INSERT INTO users (user_name, email) VALUES ('name-42', 'u42@example.com')");

    private final String label;
    final String preparedSql;
    final String plainSql;

    Workload(String label, String preparedSql, String plainSql) {
        this.label = label;
        this.preparedSql = preparedSql;
        this.plainSql = plainSql;
    }

    public static Workload of(String label) {
        for (Workload w : values()) {
            if (w.label.equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + label);
    }

    private boolean query() {
        return this == UNRELATED_SELECT || this == SELECT_PK;
    }

    /** Runs the statement once as a PreparedStatement. */
    public void prepared(Connection c, Blackhole bh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(preparedSql)) {
            switch (this) {
                case UPDATE:
                    ps.setString(1, "name-42");
                    ps.setInt(2, 42);
                    break;
                case INSERT:
                    ps.setString(1, "name-42");
                    ps.setString(2, "u42@example.com");
                    break;
                default:
                    ps.setInt(1, 42);
            }
            if (query()) {
                try (ResultSet rs = ps.executeQuery()) {
                    read(rs, bh);
                }
            } else {
                bh.consume(ps.executeUpdate());
            }
        }
    }

    /** Runs the statement once as a plain Statement. */
    public void plain(Connection c, Blackhole bh) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (query()) {
                try (ResultSet rs = st.executeQuery(plainSql)) {
                    read(rs, bh);
                }
            } else {
                bh.consume(st.executeUpdate(plainSql));
            }
        }
    }

    private static void read(ResultSet rs, Blackhole bh) throws SQLException {
        while (rs.next()) {
            bh.consume(rs.getLong(1));
            bh.consume(rs.getString(2));
        }
    }
}
