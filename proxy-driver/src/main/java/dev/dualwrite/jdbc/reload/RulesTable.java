package dev.dualwrite.jdbc.reload;

import dev.dualwrite.rewrite.Dialect;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table that keeps rule documents ({@code dualwrite.rules=table:<schema.table>}): one row per
 * published version, never updated, so the table is also the audit log of every flip. The driver reads
 * it and the command line writes it; both take their SQL from here. The name is restricted to plain
 * identifiers because it is spelled into SQL.
 */
public final class RulesTable {
    /** The location prefix of a table source. */
    public static final String PREFIX = "table:";
    /** PostgreSQL notification channel: a publish notifies it, every driver listens on it. */
    public static final String CHANNEL = "dualwrite_rules";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

    private final String name;
    private final Dialect dialect;

    private RulesTable(String name, Dialect dialect) {
        this.name = name;
        this.dialect = dialect;
    }

    public static boolean isTable(String location) {
        return location.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * The table a {@code table:<schema.table>} location names.
     *
     * @throws IllegalArgumentException naming what is wrong with the location
     */
    public static RulesTable of(String location, Dialect dialect) {
        String n = location.substring(PREFIX.length()).trim();
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException(location + " does not name a table: write table:<schema>.<table> or"
                    + " table:<table>, with plain (unquoted) names of letters, digits, _ and $");
        }
        return new RulesTable(n, dialect);
    }

    /** The location as operators write it, {@code table:<schema.table>}. */
    public String location() {
        return PREFIX + name;
    }

    public String name() {
        return name;
    }

    /** The schema part, or null when the name is unqualified (the connection's current schema). */
    String schema() {
        int dot = name.indexOf('.');
        return dot < 0 ? null : name.substring(0, dot);
    }

    /** DDL that creates the table (and its schema) where they are missing. */
    public List<String> create() {
        boolean pg = dialect == Dialect.POSTGRESQL;
        String schema = schema();
        String ddl = "CREATE TABLE IF NOT EXISTS " + name + " ("
                + "version BIGINT NOT NULL PRIMARY KEY, "
                + "published_at " + (pg ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP(3)") + " NOT NULL, "
                + "published_by VARCHAR(200) NOT NULL, "
                + "previous_sha256 CHAR(64), "
                + "sha256 CHAR(64) NOT NULL, "
                + "reason VARCHAR(2000), "
                + "document " + (pg ? "TEXT" : "MEDIUMTEXT") + " NOT NULL)";
        if (schema == null) {
            return List.of(ddl);
        }
        return List.of((pg ? "CREATE SCHEMA IF NOT EXISTS " : "CREATE DATABASE IF NOT EXISTS ") + schema, ddl);
    }

    /** True when {@code e} says the table (or its schema) does not exist: PostgreSQL 42P01 / 3F000, MySQL 42S02 / 1049. */
    public static boolean isMissing(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return state.equals("42P01") || state.equals("42S02") || state.equals("3F000") || e.getErrorCode() == 1049;
    }

    /** The newest version: one index lookup, cheap enough to poll. */
    public String latestVersion() {
        return "SELECT max(version) FROM " + name;
    }

    /** One version's document and audit columns; parameter: the version. */
    public String document() {
        return "SELECT version, document, sha256, published_by, reason FROM " + name + " WHERE version = ?";
    }

    /** Parameters: version, published_by, previous_sha256, sha256, reason, document. */
    public String insert() {
        return "INSERT INTO " + name + " (version, published_at, published_by, previous_sha256, sha256, reason, document)"
                + " VALUES (?, " + (dialect == Dialect.POSTGRESQL ? "CURRENT_TIMESTAMP" : "CURRENT_TIMESTAMP(3)")
                + ", ?, ?, ?, ?, ?)";
    }

    /** When a version was published, in seconds since the epoch (before its commit, at most a few ms). */
    public String publishedAtEpoch() {
        return "SELECT " + (dialect == Dialect.POSTGRESQL ? "extract(epoch FROM published_at)" : "UNIX_TIMESTAMP(published_at)")
                + " FROM " + name + " WHERE version = ?";
    }

    /** Every version, newest first, without the documents. */
    public String history() {
        return "SELECT version, published_at, published_by, previous_sha256, sha256, reason FROM " + name
                + " ORDER BY version DESC";
    }

    /** Null on MySQL, which has no notifications; parameter: the payload. Delivered at commit. */
    public String notifySql() {
        return dialect == Dialect.POSTGRESQL ? "SELECT pg_notify('" + CHANNEL + "', ?)" : null;
    }

    /** Null on MySQL. */
    public String listenSql() {
        return dialect == Dialect.POSTGRESQL ? "LISTEN " + CHANNEL : null;
    }
}
