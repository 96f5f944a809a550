package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.Migration;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one backfill batch over the key range (last, upper]. First a key-ordered read of at most
 * N keys after the last one finds the upper end; then one statement writes the range, so every row is
 * read under its row lock in the same statement that writes it and a concurrent dual write is never
 * overwritten with an older value:
 *
 * <ul>
 *   <li>a column migration: {@code UPDATE t SET new = <mapped old> WHERE <range> AND new IS DISTINCT FROM
 *       <mapped old>} (rows that already agree are not written);
 *   <li>a table move on PostgreSQL: {@code INSERT INTO new SELECT <mapped> FROM old WHERE <range> FOR SHARE
 *       ON CONFLICT (key) DO UPDATE ... WHERE <differs>}: the share locks hold off the application's writes
 *       of those rows until the batch commits, and its DELETE locks first, so a row copied meanwhile is
 *       deleted too;
 *   <li>a table move on MySQL: {@code INSERT INTO new SELECT ... FROM old WHERE <range> ON DUPLICATE KEY
 *       UPDATE ...}, which under REPEATABLE READ takes shared locks on the rows it reads.
 * </ul>
 *
 * The values come from {@link MappedColumn#expected}, the rewriter's own mapping.
 */
final class BackfillStatements {
    static final String OLD = "dw_old";
    static final String NEW = "dw_new";

    private final Database db;
    private final Migration m;
    private final KeyColumns key;
    private final List<MappedColumn> columns;
    private final int batchSize;

    private BackfillStatements(Database db, Migration m, KeyColumns key, List<MappedColumn> columns, int batchSize) {
        this.db = db;
        this.m = m;
        this.key = key;
        this.columns = columns;
        this.batchSize = batchSize;
    }

    /** The statements for a migration whose tables and columns exist (checked with {@link SchemaCheck} first). */
    static BackfillStatements of(Database db, Migration m, int batchSize) throws SQLException {
        SchemaView.Table old = db.schema().table(m.table());
        List<MappedColumn> columns = MappedColumn.of(m, old.columns(), db.dialect());
        return new BackfillStatements(db, m, KeyColumns.of(db, m, old, columns), columns, batchSize);
    }

    KeyColumns key() {
        return key;
    }

    /** The keys of the next batch, in key order: {@code first} when no range is done yet. */
    String nextKeys(boolean first) {
        return "SELECT " + key.list(OLD) + " FROM " + db.table(m.table()) + " " + OLD
                + (first ? "" : " WHERE " + key.after(OLD).sql) + " ORDER BY " + key.list(OLD) + " LIMIT " + batchSize;
    }

    int bindNextKeys(PreparedStatement ps, Object[] last) throws SQLException {
        return last == null ? 1 : key.after(OLD).bind(ps, 1, last);
    }

    /** The statement that writes the range (last, upper], or (-inf, upper] when {@code first}. */
    String batch(boolean first) {
        String range = (first ? "" : key.after(OLD).sql + " AND ") + key.atMost(OLD).sql;
        return m.isTableMove() ? move(range) : update(range);
    }

    void bindBatch(PreparedStatement ps, Object[] last, Object[] upper) throws SQLException {
        int i = last == null ? 1 : key.after(OLD).bind(ps, 1, last);
        key.atMost(OLD).bind(ps, i, upper);
    }

    private String update(String range) {
        List<String> sets = new ArrayList<>();
        List<String> differs = new ArrayList<>();
        for (MappedColumn c : columns) {
            String expected = c.expected(ref(OLD, c.oldName()), db.dialect());
            String actual = ref(OLD, c.newName());
            sets.add(db.ident(c.newName()) + " = " + expected);
            differs.add(db.distinct(actual, expected));
        }
        // MySQL's UPDATE takes no alias in SET; the alias in WHERE is fine on both
        return "UPDATE " + db.table(m.table()) + " " + OLD + " SET " + String.join(", ", sets) + " WHERE " + range
                + " AND (" + String.join(" OR ", differs) + ")";
    }

    private String move(String range) {
        List<String> targets = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> nonKey = new ArrayList<>();
        String newKeys = key.newList(null);
        for (MappedColumn c : columns) {
            String target = db.ident(c.newName());
            targets.add(target);
            values.add(c.expected(ref(OLD, c.oldName()), db.dialect()));
            if (!isNewKey(target)) {
                nonKey.add(target);
            }
        }
        String insert = "INSERT INTO " + db.table(m.toTable()) + (db.dialect() == Dialect.POSTGRESQL ? " AS " + NEW : "")
                + " (" + String.join(", ", targets) + ") SELECT " + String.join(", ", values) + " FROM "
                + db.table(m.table()) + " " + OLD + " WHERE " + range + " ORDER BY " + key.list(OLD);
        if (db.dialect() == Dialect.POSTGRESQL) {
            if (nonKey.isEmpty()) {
                return insert + " FOR SHARE ON CONFLICT (" + newKeys + ") DO NOTHING";
            }
            List<String> sets = new ArrayList<>();
            List<String> mine = new ArrayList<>();
            List<String> theirs = new ArrayList<>();
            for (String c : nonKey) {
                sets.add(c + " = EXCLUDED." + c);
                mine.add(NEW + "." + c);
                theirs.add("EXCLUDED." + c);
            }
            return insert + " FOR SHARE ON CONFLICT (" + newKeys + ") DO UPDATE SET " + String.join(", ", sets)
                    + " WHERE ROW(" + String.join(", ", mine) + ") IS DISTINCT FROM ROW(" + String.join(", ", theirs) + ")";
        }
        List<String> sets = new ArrayList<>();
        for (String c : nonKey.isEmpty() ? List.of(targets.get(0)) : nonKey) {
            sets.add(c + " = VALUES(" + c + ")");
        }
        return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
    }

    private boolean isNewKey(String column) {
        for (String k : key.newNames()) {
            if (db.dialect().canonical(k).equals(db.dialect().canonical(column))) {
                return true;
            }
        }
        return false;
    }

    private String ref(String alias, String column) {
        return alias + "." + db.ident(column);
    }
}
