package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that mirrors a write on a moved table into the new table within the application's own
 * statement (PostgreSQL data-modifying CTEs): the rows the statement wrote are upserted by key under the
 * column map, so a row the backfill has not reached yet arrives whole; deleted keys are deleted.
 */
final class MoveWrite {
    static final String ROWS = "dualwrite_rows";
    static final String KEYS = "dualwrite_keys";

    private final Migration m;
    private final Dialect d;
    private final List<String> newColumns = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final List<String> newKey = new ArrayList<>();
    private final List<String> oldKey = new ArrayList<>();

    /**
     * @param oldColumns the old table's columns as the database spells them
     * @param key the key columns (old names)
     */
    MoveWrite(Migration m, Dialect d, List<String> oldColumns, List<String> key) throws RewriteRejected {
        this.m = m;
        this.d = d;
        for (String c : oldColumns) {
            ColumnRule r = rule(c);
            if (r != null && r.drop()) {
                continue;
            }
            String source = ROWS + "." + d.quote(c);
            newColumns.add(r == null ? d.quote(c) : r.to());
            values.add(r == null ? source : ColumnSql.toNew(r, source, d));
        }
        for (String k : key) {
            ColumnRule r = rule(k);
            if (r != null && (r.drop() || !r.isRename())) {
                throw new RewriteRejected(m, "key column " + k + " must be carried unchanged (or only renamed) to "
                        + m.toTable());
            }
            newKey.add(r == null ? d.quote(k) : r.to());
            oldKey.add(d.quote(k));
        }
    }

    /** The rule for a column the database reports, or null when the column is carried unchanged. */
    private ColumnRule rule(String reportedName) {
        String c = d.reported(reportedName);
        for (ColumnRule r : m.columns()) {
            if (d.canonical(r.column()).equals(c)) {
                return r;
            }
        }
        return null;
    }

    /**
     * {@code WITH dualwrite_rows AS (<write> RETURNING <rows>) INSERT INTO <new> ... ON CONFLICT (<key>) DO
     * UPDATE ...}: its count is the number of rows the write touched, and {@code returning} (already mapped
     * to the new table, addressed by {@code alias}) stands in for the write's own RETURNING.
     */
    String upsert(String write, String rowsReturned, String alias, String returning) {
        StringBuilder sb = new StringBuilder("WITH ").append(ROWS).append(" AS (").append(write).append(" RETURNING ")
                .append(rowsReturned).append(") INSERT INTO ").append(m.toTable()).append(" AS ").append(alias)
                .append(" (").append(String.join(", ", newColumns)).append(") SELECT ")
                .append(String.join(", ", values)).append(" FROM ").append(ROWS).append(" ON CONFLICT (")
                .append(String.join(", ", newKey)).append(") DO UPDATE SET ");
        List<String> sets = new ArrayList<>();
        for (String c : newColumns) {
            if (!newKey.contains(c)) {
                sets.add(c + " = EXCLUDED." + c);
            }
        }
        if (sets.isEmpty()) {
            sets.add(newKey.get(0) + " = EXCLUDED." + newKey.get(0)); // still counts the row
        }
        sb.append(String.join(", ", sets));
        if (returning != null) {
            sb.append(' ').append(returning);
        }
        return sb.toString();
    }

    // --- MySQL: a script in one transaction, the keys kept in a temporary table ----------------------

    /**
     * Before the write: lock the rows it will touch and keep their keys ({@code lockingSelect}). IGNORE, because
     * strict mode turns the warnings of a CREATE ... SELECT's WHERE (comparing 'A' with 1e3) into errors where
     * the application's own DELETE or UPDATE only warns; an error that fails that statement fails the script anyway.
     */
    List<String> lockKeys(String lockingSelect) {
        return List.of("DROP TEMPORARY TABLE IF EXISTS " + KEYS, "CREATE TEMPORARY TABLE " + KEYS + " IGNORE AS "
                + lockingSelect);
    }

    /** After an UPDATE: upsert the locked rows, as they now are, into the new table. */
    String upsertLocked(String oldTable) {
        List<String> on = new ArrayList<>();
        for (String k : oldKey) {
            on.add(ROWS + "." + k + " = " + KEYS + "." + k);
        }
        return mysqlUpsert(oldTable + " " + ROWS + " JOIN " + KEYS + " ON " + String.join(" AND ", on));
    }

    /** After an INSERT: upsert the rows {@code condition} (over {@code dualwrite_rows}) selects. */
    String upsertWhere(String oldTable, String condition) {
        return mysqlUpsert(oldTable + " " + ROWS + " WHERE " + condition);
    }

    private String mysqlUpsert(String from) {
        List<String> sets = new ArrayList<>();
        for (String c : newColumns) {
            if (!newKey.contains(c)) {
                sets.add(c + " = VALUES(" + c + ")");
            }
        }
        if (sets.isEmpty()) {
            sets.add(newKey.get(0) + " = VALUES(" + newKey.get(0) + ")");
        }
        return "INSERT INTO " + m.toTable() + " (" + String.join(", ", newColumns) + ") SELECT "
                + String.join(", ", values) + " FROM " + from + " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
    }

    /** After a DELETE: delete the locked keys from the new table. */
    String deleteLocked() {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < newKey.size(); i++) {
            on.add("dualwrite_new." + newKey.get(i) + " = " + KEYS + "." + oldKey.get(i));
        }
        return "DELETE dualwrite_new FROM " + m.toTable() + " dualwrite_new JOIN " + KEYS + " ON "
                + String.join(" AND ", on);
    }

    static String dropKeys() {
        return "DROP TEMPORARY TABLE " + KEYS;
    }

    /**
     * The CTEs in front of a DELETE: lock the rows it will delete, and delete their keys from the new table.
     *
     * @param lockingSelect {@code SELECT <key> FROM ... WHERE ... FOR UPDATE OF ...} over the old table
     */
    String deleteCtes(String lockingSelect) {
        return "WITH " + KEYS + " AS (" + lockingSelect + "), dualwrite_gone AS (DELETE FROM " + m.toTable()
                + " WHERE (" + String.join(", ", newKey) + ") IN (SELECT * FROM " + KEYS + ")) ";
    }
}
