package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.Migration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The key a backfill or verify walks in order: the old table's key columns (the rule's {@code key:},
 * else the primary key), their names in the new table of a move, their JDBC types, and the SQL that
 * compares a row's key with bound key values. Key values are always bound, never written into SQL.
 *
 * <p>PostgreSQL compares row values, {@code (a, b) > (?, ?)}, which its B-tree scans use directly; on
 * MySQL/MariaDB the same order is spelled out column by column behind a range on the first column,
 * which its optimizer turns into an index range for sure.
 */
final class KeyColumns {
    /** Conditions over the key: SQL with {@code ?} and, for each {@code ?}, which key value it takes. */
    static final class Condition {
        final String sql;
        private final int[] values;

        Condition(String sql, List<Integer> values) {
            this.sql = sql;
            this.values = values.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Binds the key values from {@code index} on; returns the next free index. */
        int bind(PreparedStatement ps, int index, Object[] key) throws SQLException {
            int i = index;
            for (int v : values) {
                ps.setObject(i++, key[v]);
            }
            return i;
        }
    }

    private final Database db;
    private final Migration m;
    /** Old table key columns as SQL spells them. */
    private final List<String> oldNames;
    /** The same columns in the new table (a move), or the old names (a column migration). */
    private final List<String> newNames;
    private int[] types;

    private KeyColumns(Database db, Migration m, List<String> oldNames, List<String> newNames) {
        this.db = db;
        this.m = m;
        this.oldNames = oldNames;
        this.newNames = newNames;
    }

    /** The migration's key; a move's key must be carried to the new table unchanged or only renamed. */
    static KeyColumns of(Database db, Migration m, SchemaView.Table old, List<MappedColumn> columns) {
        List<String> oldNames = new ArrayList<>();
        List<String> newNames = new ArrayList<>();
        for (String k : written(db.dialect(), m, old)) {
            oldNames.add(db.ident(k));
            if (!m.isTableMove()) {
                newNames.add(db.ident(k));
                continue;
            }
            MappedColumn c = carried(db.dialect(), k, columns);
            if (c == null || !c.unchanged()) {
                throw CliFailure.badInput(m.id() + ": key column " + k + " must be carried to " + m.toTable()
                        + " unchanged or only renamed (no drop, no to_new, no values), so rows can be matched by key");
            }
            newNames.add(db.ident(c.newName()));
        }
        return new KeyColumns(db, m, oldNames, newNames);
    }

    /** The key columns as the rule file or the database names them. */
    static List<String> written(Dialect dialect, Migration m, SchemaView.Table old) {
        if (!m.key().isEmpty()) {
            return m.key();
        }
        if (old.primaryKey().isEmpty()) {
            throw CliFailure.badInput(m.id() + ": table " + old + " has no primary key; name the key columns in the"
                    + " rule (key: [id])");
        }
        List<String> out = new ArrayList<>();
        for (String k : old.primaryKey()) {
            out.add(dialect.quote(k));
        }
        return out;
    }

    /** The mapped column of a key column, or null when the migration does not carry it. */
    static MappedColumn carried(Dialect dialect, String key, List<MappedColumn> columns) {
        for (MappedColumn c : columns) {
            if (dialect.canonical(c.oldName()).equals(dialect.canonical(key))) {
                return c;
            }
        }
        return null;
    }

    /** The key columns in the new table of a move (the old names for a column migration). */
    List<String> newNames() {
        return newNames;
    }

    int size() {
        return oldNames.size();
    }

    /** {@code alias.a, alias.b} over the old table (alias may be null). */
    String list(String alias) {
        return String.join(", ", refs(alias, oldNames));
    }

    /** {@code alias.a, alias.b} over the new table of a move. */
    String newList(String alias) {
        return String.join(", ", refs(alias, newNames));
    }

    /** Equality of the old and the new key, for joins. */
    String joins(String oldAlias, String newAlias) {
        List<String> on = new ArrayList<>();
        for (int i = 0; i < oldNames.size(); i++) {
            on.add(oldAlias + "." + oldNames.get(i) + " = " + newAlias + "." + newNames.get(i));
        }
        return String.join(" AND ", on);
    }

    /** The key is after the bound key, in key order. */
    Condition after(String alias) {
        return compare(alias, ">", true);
    }

    /** The key is at or before the bound key. */
    Condition atMost(String alias) {
        return compare(alias, "<=", false);
    }

    private Condition compare(String alias, String op, boolean greater) {
        List<String> cols = refs(alias, oldNames);
        List<Integer> values = new ArrayList<>();
        if (cols.size() == 1) {
            values.add(0);
            return new Condition(cols.get(0) + " " + op + " ?", values);
        }
        if (db.dialect() == Dialect.POSTGRESQL) {
            for (int i = 0; i < cols.size(); i++) {
                values.add(i);
            }
            return new Condition("(" + String.join(", ", cols) + ") " + op + " (" + String.join(", ",
                    java.util.Collections.nCopies(cols.size(), "?")) + ")", values);
        }
        // a > ? OR (a = ? AND (b > ? OR (b = ? AND c > ?))), behind a >= ? for the index range
        String strict = greater ? ">" : "<";
        values.add(0);
        StringBuilder sql = new StringBuilder(cols.get(0)).append(greater ? " >= ?" : " <= ?").append(" AND ");
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < cols.size() - 1; i++) {
            sql.append('(').append(cols.get(i)).append(' ').append(strict).append(" ? OR (").append(cols.get(i))
                    .append(" = ? AND ");
            values.add(i);
            values.add(i);
            close.append("))");
        }
        sql.append(cols.get(cols.size() - 1)).append(' ').append(op).append(" ?").append(close);
        values.add(cols.size() - 1);
        return new Condition(sql.toString(), values);
    }

    /** The key of the current row, as JDBC returns it. */
    Object[] read(ResultSet rs, int firstColumn) throws SQLException {
        Object[] key = new Object[size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = rs.getObject(firstColumn + i);
        }
        return key;
    }

    /** The key as text, for progress and messages: the values in key order, as a JSON array of strings. */
    static String text(Object[] key) {
        return KeyText.encode(key);
    }

    /** A key read back from {@link #text}, typed by the key columns so it binds as the column's type. */
    Object[] parse(String text) throws SQLException {
        String[] values = KeyText.decode(text);
        if (values.length != size()) {
            throw CliFailure.badInput(m.id() + ": the stored key " + text + " has " + values.length + " values, the key "
                    + list(null) + " has " + size() + "; delete its row from " + ProgressTable.NAME + " to start over");
        }
        int[] t = types();
        Object[] key = new Object[values.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = KeyText.typed(values[i], t[i]);
        }
        return key;
    }

    private int[] types() throws SQLException {
        if (types == null) {
            String sql = "SELECT " + list(null) + " FROM " + db.table(m.table()) + " WHERE 1 = 0";
            try (Statement st = db.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                types = new int[size()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = md.getColumnType(i + 1);
                }
            }
        }
        return types;
    }

    private static List<String> refs(String alias, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(alias == null ? n : alias + "." + n);
        }
        return out;
    }
}
