package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.reload.RulesTable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A rules table seen from the command line: the newest version is the document in force, and storing a
 * document inserts the next version in one transaction (with a PostgreSQL notification that reaches
 * every driver at commit). Rows are never updated, so the table is the audit log {@code history} prints.
 */
final class RuleTable extends RuleStore {
    private static final int MAX_BY = 200;
    private static final int MAX_REASON = 2000;

    private final Database db;
    private final RulesTable table;

    private RuleTable(Database db, RulesTable table) {
        this.db = db;
        this.table = table;
    }

    static RuleTable open(String target, DatabaseOptions database) {
        Database db = database.openWritable();
        try {
            return new RuleTable(db, RulesTable.of(target, db.dialect()));
        } catch (IllegalArgumentException e) {
            db.close();
            throw CliFailure.badInput(e.getMessage());
        }
    }

    @Override
    String name() {
        return table.location();
    }

    /** One published version, without its document. */
    static final class Entry {
        final long version;
        final String publishedAt;
        final String by;
        final String previousSha256;
        final String sha256;
        final String reason;

        Entry(ResultSet rs) throws SQLException {
            version = rs.getLong(1);
            publishedAt = String.valueOf(rs.getTimestamp(2).toInstant());
            by = rs.getString(3);
            previousSha256 = rs.getString(4);
            sha256 = rs.getString(5);
            reason = rs.getString(6);
        }
    }

    @Override
    Stored read() throws SQLException {
        Stored s = readIfAny();
        if (s == null) {
            throw CliFailure.badInput(name() + " holds no rules yet in " + db.describe() + "; publish a rule file"
                    + " first: dualwrite publish FILE --to " + name() + " --url JDBC_URL");
        }
        return s;
    }

    /** The newest document, or null when the table is missing or empty. */
    Stored readIfAny() throws SQLException {
        long v;
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery(table.latestVersion())) {
            v = rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            if (missingTable(e)) {
                return null;
            }
            throw e;
        }
        if (v == 0) {
            return null;
        }
        try (PreparedStatement ps = db.connection().prepareStatement(table.document())) {
            ps.setLong(1, v);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw CliFailure.checkFailed(name() + " version " + v + " disappeared while it was read; run it again");
                }
                String text = rs.getString(2);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                String sha = rs.getString(3);
                if (sha == null || !AtomicFile.sha256(bytes).equals(sha.trim())) {
                    throw CliFailure.checkFailed(name() + " version " + v + " does not match its sha256 column: the row"
                            + " was edited after it was published, and drivers refuse it. Publish a good document as a"
                            + " new version: dualwrite publish FILE --to " + name() + " --url ...");
                }
                return new Stored(text, bytes, v);
            }
        }
    }

    /** Creates the table (and its schema) where they are missing. */
    void create() throws SQLException {
        try (Statement st = db.connection().createStatement()) {
            for (String ddl : table.create()) {
                st.execute(ddl);
            }
        }
    }

    @Override
    String store(Stored base, String text, String by, String reason) throws SQLException {
        if (by == null || by.isBlank() || by.length() > MAX_BY) {
            throw CliFailure.badInput("--by must be a name of 1 to " + MAX_BY + " characters");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw CliFailure.badInput("--reason is longer than " + MAX_REASON + " characters");
        }
        long baseVersion = base == null ? 0 : base.version;
        long next = baseVersion + 1;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String sha = AtomicFile.sha256(bytes);
        Connection c = db.connection();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(table.insert())) {
                ps.setLong(1, next);
                ps.setString(2, by);
                ps.setString(3, base == null ? null : base.sha256());
                ps.setString(4, sha);
                ps.setString(5, reason);
                ps.setString(6, text);
                ps.executeUpdate();
            }
            if (table.notifySql() != null) {
                try (PreparedStatement ps = c.prepareStatement(table.notifySql())) {
                    ps.setString(1, table.name() + " " + next);
                    ps.execute();
                }
            }
            c.commit(); // two publishers of the same next version: the primary key lets only one commit
        } catch (SQLException e) {
            rollbackQuietly(c);
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw CliFailure.checkFailed(name() + " got a version after " + baseVersion + " from someone else"
                        + " meanwhile; nothing was written: run it again (it starts from the newest version)");
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return "table=" + name() + " version=" + next + " sha256=" + sha;
    }

    @Override
    String where(Stored stored) {
        return "table=" + name() + " version=" + stored.version + " sha256=" + stored.sha256();
    }

    /** Every version, newest first; empty when the table is missing or empty. */
    List<Entry> history() throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery(table.history())) {
            while (rs.next()) {
                out.add(new Entry(rs));
            }
        } catch (SQLException e) {
            if (!missingTable(e)) {
                throw e;
            }
        }
        return out;
    }

    /** See {@link RulesTable#isMissing}; a failed statement aborts a PostgreSQL transaction, so it is rolled back. */
    private boolean missingTable(SQLException e) throws SQLException {
        boolean missing = RulesTable.isMissing(e);
        if (missing && !db.connection().getAutoCommit()) {
            db.connection().rollback();
        }
        return missing;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the insert is not committed either way
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
