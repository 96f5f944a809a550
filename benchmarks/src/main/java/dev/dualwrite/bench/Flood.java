package dev.dualwrite.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The unique-SQL flood: plain Statements whose values are inlined, so every text is new, on the
 * migrated table (as an ORM or a hand-written DAO that concatenates values sends them).
 */
final class Flood {
    private long n;

    /** Runs the next statement of the flood; returns its update count. */
    int next(Connection c) throws SQLException {
        long i = n++;
        try (Statement st = c.createStatement()) {
            return st.executeUpdate("UPDATE users SET user_name = 'name-" + i + "' WHERE id = "
                    + (i % BenchDatabases.ROWS + 1));
        }
    }
}
