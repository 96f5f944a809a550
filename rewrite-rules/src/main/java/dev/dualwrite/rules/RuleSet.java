package dev.dualwrite.rules;

import java.util.List;

/**
 * An immutable, validated rule file. Every statement reads one {@code RuleSet} from start to finish,
 * so a reload never mixes two versions inside one statement.
 */
public final class RuleSet {
    private final String source;
    private final long version;
    private final OnUnparseable onUnparseable;
    private final List<Migration> migrations;
    private final TableNameScan scan;

    public RuleSet(String source, long version, OnUnparseable onUnparseable, List<Migration> migrations) {
        this.source = source;
        this.version = version;
        this.onUnparseable = onUnparseable;
        this.migrations = List.copyOf(migrations);
        this.scan = TableNameScan.of(this.migrations);
    }

    /** An empty rule set: everything passes through. */
    public static RuleSet empty(String source) {
        return new RuleSet(source, 0, OnUnparseable.REJECT, List.of());
    }

    /** Where the rules came from (a file name), for messages. */
    public String source() {
        return source;
    }

    /** Increases with every successful load from the same source; part of every cache key. */
    public long version() {
        return version;
    }

    /** Returns a copy carrying another version number (sources number their loads). */
    public RuleSet withVersion(long newVersion) {
        return new RuleSet(source, newVersion, onUnparseable, migrations);
    }

    public OnUnparseable onUnparseable() {
        return onUnparseable;
    }

    public List<Migration> migrations() {
        return migrations;
    }

    public Migration migration(String id) {
        for (Migration m : migrations) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    /**
     * True when the SQL text may name a migrated table. False means it certainly does not, and the
     * statement can pass through without being parsed.
     */
    public boolean mayTouch(String sql) {
        return scan.mayMatch(sql);
    }
}
