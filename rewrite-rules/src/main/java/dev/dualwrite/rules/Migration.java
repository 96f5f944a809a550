package dev.dualwrite.rules;

import java.util.List;

/**
 * One entry of a rule file's {@code migrations}: a table whose columns (and, with {@code to_table},
 * the table itself) move from an old to a new place.
 */
public final class Migration {
    private final String id;
    private final QualifiedName table;
    private final QualifiedName toTable;
    private final List<String> key;
    private final Phase phase;
    private final ReadFlag reads;
    private final List<ColumnRule> columns;
    private final int line;

    public Migration(String id, QualifiedName table, QualifiedName toTable, List<String> key, Phase phase,
            ReadFlag reads, List<ColumnRule> columns, int line) {
        this.id = id;
        this.table = table;
        this.toTable = toTable;
        this.key = List.copyOf(key);
        this.phase = phase;
        this.reads = reads;
        this.columns = List.copyOf(columns);
        this.line = line;
    }

    public String id() {
        return id;
    }

    public QualifiedName table() {
        return table;
    }

    /** The new table of a table move, or null for a column migration. */
    public QualifiedName toTable() {
        return toTable;
    }

    public boolean isTableMove() {
        return toTable != null;
    }

    /** Key columns for a table move; empty means the old table's primary key. */
    public List<String> key() {
        return key;
    }

    public Phase phase() {
        return phase;
    }

    /** The read flag; meaningful in {@code migrate}, implied by the phase elsewhere. */
    public ReadFlag reads() {
        return reads;
    }

    public List<ColumnRule> columns() {
        return columns;
    }

    /** The line of the rule file where this migration starts (1-based), or 0 when not from a file. */
    public int line() {
        return line;
    }

    @Override
    public String toString() {
        return id + " (" + table + ", " + phase.yamlName() + ", reads " + reads + ")";
    }
}
