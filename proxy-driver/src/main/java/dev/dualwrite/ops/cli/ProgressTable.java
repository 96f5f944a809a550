package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * {@value #NAME}, one row per migration, in the connection's current schema (PostgreSQL) or database
 * (MySQL): where a backfill stands. Each batch advances it in the batch's own transaction, so a crash
 * loses no batch and counts none twice. {@code run_id} names the run that owns the row: a second run
 * of the same migration takes it over, and the first then stops at its next batch.
 */
final class ProgressTable {
    static final String NAME = "dualwrite_backfill_progress";

    /** One migration's row. */
    static final class Row {
        final String checksum;
        final String lastKey;
        final long rowsDone;
        final long rowsWritten;
        final Timestamp startedAt;
        final Timestamp finishedAt;

        Row(String checksum, String lastKey, long rowsDone, long rowsWritten, Timestamp startedAt,
                Timestamp finishedAt) {
            this.checksum = checksum;
            this.lastKey = lastKey;
            this.rowsDone = rowsDone;
            this.rowsWritten = rowsWritten;
            this.startedAt = startedAt;
            this.finishedAt = finishedAt;
        }
    }

    private final Database db;
    private final String now;

    ProgressTable(Database db) {
        this.db = db;
        this.now = db.dialect() == Dialect.MYSQL ? "CURRENT_TIMESTAMP(3)" : "CURRENT_TIMESTAMP";
    }

    boolean exists() throws SQLException {
        return db.schema().table(new QualifiedName(null, NAME)) != null;
    }

    void createIfAbsent() throws SQLException {
        String time = db.dialect() == Dialect.MYSQL ? "DATETIME(3)" : "TIMESTAMP WITH TIME ZONE";
        try (Statement st = db.connection().createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + NAME + " (migration_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                    + " rule_checksum CHAR(64) NOT NULL, run_id CHAR(36) NOT NULL, last_key TEXT,"
                    + " rows_done BIGINT NOT NULL, rows_written BIGINT NOT NULL, started_at " + time + " NOT NULL,"
                    + " updated_at " + time + " NOT NULL, finished_at " + time + " NULL)");
        }
        commit();
    }

    /** The migration's row, or null when it has none (or the table does not exist yet). */
    Row read(String id) throws SQLException {
        if (!exists()) {
            return null;
        }
        try (PreparedStatement ps = db.connection().prepareStatement("SELECT rule_checksum, last_key, rows_done,"
                + " rows_written, started_at, finished_at FROM " + NAME + " WHERE migration_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                Row row = rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getTimestamp(5), rs.getTimestamp(6)) : null;
                commit();
                return row;
            }
        }
    }

    /** Starts the migration from zero under this run. */
    void restart(String id, String checksum, String runId) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("UPDATE " + NAME + " SET rule_checksum = ?,"
                + " run_id = ?, last_key = NULL, rows_done = 0, rows_written = 0, started_at = " + now + ","
                + " updated_at = " + now + ", finished_at = NULL WHERE migration_id = ?")) {
            ps.setString(1, checksum);
            ps.setString(2, runId);
            ps.setString(3, id);
            if (ps.executeUpdate() == 0) {
                try (PreparedStatement insert = db.connection().prepareStatement("INSERT INTO " + NAME
                        + " (migration_id, rule_checksum, run_id, last_key, rows_done, rows_written, started_at,"
                        + " updated_at) VALUES (?, ?, ?, NULL, 0, 0, " + now + ", " + now + ")")) {
                    insert.setString(1, id);
                    insert.setString(2, checksum);
                    insert.setString(3, runId);
                    insert.executeUpdate();
                }
            }
        }
        commit();
    }

    /** Takes the row over for this run, keeping where the last run stopped. */
    void takeOver(String id, String runId) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("UPDATE " + NAME + " SET run_id = ?,"
                + " updated_at = " + now + " WHERE migration_id = ?")) {
            ps.setString(1, runId);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        commit();
    }

    /**
     * Records a batch, in the caller's open transaction. False when another run has taken the row over:
     * the caller must roll back and stop.
     */
    boolean advance(String id, String runId, String lastKey, long rows, long written) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("UPDATE " + NAME + " SET last_key = ?,"
                + " rows_done = rows_done + ?, rows_written = rows_written + ?, updated_at = " + now
                + " WHERE migration_id = ? AND run_id = ?")) {
            ps.setString(1, lastKey);
            ps.setLong(2, rows);
            ps.setLong(3, written);
            ps.setString(4, id);
            ps.setString(5, runId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks the run finished: every key range was done. */
    void finish(String id, String runId) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement("UPDATE " + NAME + " SET finished_at = " + now
                + ", updated_at = " + now + " WHERE migration_id = ? AND run_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, runId);
            ps.executeUpdate();
        }
        commit();
    }

    private void commit() throws SQLException {
        Connection c = db.connection();
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
