package dev.dualwrite.jdbc.reload;

import dev.dualwrite.jdbc.ops.Jmx;
import dev.dualwrite.jdbc.ops.Stats;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Rules kept in a database table ({@link RulesTable}), one row per version. A thread of its own checks
 * the newest version every poll interval and, on PostgreSQL, at once when a publish notifies
 * {@link RulesTable#CHANNEL}. Versions only move forward: an older or invalid newest version never
 * replaces the rules in force, and neither does a database that cannot be reached; both are reported
 * in {@link #lastError()} and logged once.
 */
public final class TableRuleSource implements RuleSource {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.rules");
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final int NETWORK_TIMEOUT_MILLIS = 10_000;

    private final RulesTable table;
    private final RulesDatabase database;
    private final long pollMillis;
    private final Stats stats = new Stats();
    private volatile RuleSet current;
    private volatile String invalid = "";
    private volatile String unreachable = "";
    private volatile long lastReload;
    private volatile boolean stopped;
    // the fields below belong to the thread that checks (the connecting thread until open returns)
    private long seen;
    private long olderSeen = -1;
    private Connection connection;
    private Notifications notifications;
    private int failures;
    private Thread thread;

    private TableRuleSource(RulesTable table, RulesDatabase database, long pollMillis) {
        this.table = table;
        this.database = database;
        this.pollMillis = pollMillis;
    }

    /** Reads the newest version; fails when there are no good rules to start from. */
    static TableRuleSource open(RulesTable table, RulesDatabase database, long pollMillis) throws RuleFileException {
        TableRuleSource s = new TableRuleSource(table, database, pollMillis);
        try {
            long v = s.newestVersion();
            if (v == 0) {
                throw problem(table.location(), "holds no rules yet in " + database.describe() + "; publish a rule"
                        + " file first: dualwrite publish FILE --to " + table.location() + " --url JDBC_URL");
            }
            s.seen = v;
            s.install(s.fetch(v));
        } catch (SQLException e) {
            s.disconnect();
            if (RulesTable.isMissing(e)) {
                throw problem(table.location(), "does not exist in " + database.describe() + "; publish a rule file"
                        + " first: dualwrite publish FILE --to " + table.location() + " --url JDBC_URL");
            }
            throw problem(table.location(), "cannot be read in " + database.describe() + ": " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")");
        } finally {
            if (!database.dedicated()) {
                s.disconnect();
            }
        }
        Thread t = new Thread(s::watch, "dualwrite-rules-" + table.location());
        t.setDaemon(true);
        t.setContextClassLoader(null); // never pin an application's class loader
        s.thread = t;
        t.start();
        return s;
    }

    @Override
    public RuleSet current() {
        return current;
    }

    @Override
    public String name() {
        return table.location();
    }

    @Override
    public String location() {
        return table.location() + " in " + database.describe();
    }

    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public String lastError() {
        String u = unreachable;
        String i = invalid;
        return u.isEmpty() ? i : i.isEmpty() ? u : u + "\n" + i;
    }

    @Override
    public long lastReload() {
        return lastReload;
    }

    /** Stops the thread; it closes its connection on the way out. */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void watch() {
        try {
            long due = System.currentTimeMillis() + pollMillis;
            while (!stopped) {
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    if (notifications != null) {
                        try {
                            notifications.await(wait); // returns early when a publish notifies
                        } catch (SQLException e) {
                            disconnect(); // the check below reconnects, or reports the database unreachable
                        }
                    } else {
                        Thread.sleep(wait);
                    }
                }
                if (stopped) {
                    return;
                }
                long now = System.currentTimeMillis();
                if (check()) {
                    failures = 0;
                    due = now >= due ? now + pollMillis : due; // a notification does not move the next poll
                } else {
                    due = now + Math.min(MAX_BACKOFF_MILLIS, pollMillis << Math.min(failures, 10));
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (LinkageError e) {
            // our class loader was closed: the application that loaded us is gone
        } finally {
            disconnect();
        }
    }

    /** One check; false when the database could not be reached. */
    private boolean check() {
        try {
            long v = newestVersion();
            if (v > seen) {
                seen = v;
                try {
                    install(fetch(v));
                } catch (RuleFileException e) {
                    if (!e.getMessage().equals(invalid)) {
                        LOG.log(Level.WARNING, "dualwrite: version " + v + " of " + table.location() + " is invalid;"
                                + " the last good rules (version " + current.version() + ") stay in force:\n"
                                + e.getMessage());
                    }
                    invalid = e.getMessage();
                }
            } else if (v < current.version() && v != olderSeen) {
                olderSeen = v; // a restored backup or a lagging replica: never go back
                LOG.log(Level.WARNING, "dualwrite: the newest version in " + table.location() + " is " + v
                        + ", older than version " + current.version() + " in force; it stays in force");
            }
            if (!unreachable.isEmpty()) {
                LOG.log(Level.INFO, "dualwrite: " + table.location() + " can be read again (version " + v + ")");
                unreachable = "";
            }
            if (!database.dedicated()) {
                disconnect();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            failures++;
            disconnect();
            if (unreachable.isEmpty()) {
                unreachable = table.location() + " cannot be read since " + Instant.now() + ": " + e.getMessage()
                        + (e instanceof SQLException ? " (SQLState " + ((SQLException) e).getSQLState() + ")" : "")
                        + "; the rules of version " + current.version() + " stay in force";
                LOG.log(Level.WARNING, "dualwrite: " + unreachable);
            }
            return false;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = database.connect();
            try {
                c.setAutoCommit(true);
                try {
                    c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS); // a dead peer must not hang the checks
                } catch (SQLException | UnsupportedOperationException e) {
                    // the driver's own timeouts apply
                }
                if (database.dedicated() && table.listenSql() != null) {
                    try (Statement st = c.createStatement()) {
                        st.execute(table.listenSql());
                    }
                    notifications = Notifications.of(c);
                }
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private long newestVersion() throws SQLException {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(table.latestVersion())) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** A version read and checked: its rules, or why it cannot be used. */
    private static final class Fetched {
        final RuleSet rules;
        final String sha256;
        final String by;

        Fetched(RuleSet rules, String sha256, String by) {
            this.rules = rules;
            this.sha256 = sha256;
            this.by = by;
        }
    }

    private Fetched fetch(long version) throws SQLException, RuleFileException {
        String where = table.location() + " version " + version;
        try (PreparedStatement ps = connection().prepareStatement(table.document())) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw problem(where, "disappeared while it was read");
                }
                String text = rs.getString(2);
                String sha = rs.getString(3);
                String by = rs.getString(4);
                byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > RuleLoader.MAX_BYTES) {
                    throw problem(where, "is " + bytes.length + " bytes; rule documents are at most "
                            + RuleLoader.MAX_BYTES);
                }
                String actual = ReloadLog.sha256(bytes);
                if (sha == null || !actual.equals(sha.trim())) {
                    throw problem(where, "does not match its sha256 column: the row was changed after it was published."
                            + " Rows are never edited; publish the document again as a new version");
                }
                return new Fetched(RuleLoader.parse(text, where).withVersion(version), actual, by);
            }
        }
    }

    private void install(Fetched f) {
        RuleSet before = current;
        current = f.rules;
        lastReload = System.currentTimeMillis();
        invalid = "";
        if (before != null) {
            ReloadLog.changes(table.location(), before, current, f.sha256, " by=" + f.by);
            LOG.log(Level.INFO, "dualwrite: loaded " + table.location() + " version " + current.version() + " ("
                    + current.migrations().size() + " migrations)");
        }
        Jmx.sync(this);
    }

    private void disconnect() {
        notifications = null;
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // nothing of ours is lost
            }
        }
    }

    private static RuleFileException problem(String where, String message) {
        return new RuleFileException(List.of(new RuleFileException.Problem(where, 0, 0, "", message)));
    }

    /**
     * pgjdbc's {@code PGConnection.getNotifications(int timeoutMillis)}, which waits on the socket for a
     * notification; reached by reflection so that the driver needs no compile-time tie to pgjdbc.
     */
    private static final class Notifications {
        private final Object pg;
        private final Method get;

        private Notifications(Object pg, Method get) {
            this.pg = pg;
            this.get = get;
        }

        /** Null where the connection is not pgjdbc's: then the poll alone finds new versions. */
        static Notifications of(Connection c) {
            try {
                Class<?> iface = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
                if (c.isWrapperFor(iface)) {
                    return new Notifications(c.unwrap(iface), iface.getMethod("getNotifications", int.class));
                }
            } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
                LOG.log(Level.DEBUG, "dualwrite: no PostgreSQL notifications (" + e + "); polling only");
            }
            return null;
        }

        void await(long millis) throws SQLException {
            try {
                get.invoke(pg, (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException) {
                    throw (SQLException) e.getCause();
                }
                throw new SQLException("waiting for notifications failed: " + e.getCause(), "08006", e.getCause());
            } catch (IllegalAccessException e) {
                throw new SQLException("cannot wait for notifications: " + e, "08006", e);
            }
        }
    }
}
