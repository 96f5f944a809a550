package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.QualifiedName;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tables and columns as {@link DatabaseMetaData} reports them, looked up by the names the rule file
 * uses. Names are matched with the dialect's rules (PostgreSQL folds unquoted names to lower case,
 * MySQL ignores case), never by a metadata pattern: {@code _} is a wildcard there.
 */
final class SchemaView {
    /** A table that exists, with its columns in table order and its primary key. */
    static final class Table {
        private final String schema;
        private final String name;
        private final List<String> columns;
        private final List<String> primaryKey;
        private final Dialect dialect;

        Table(String schema, String name, List<String> columns, List<String> primaryKey, Dialect dialect) {
            this.schema = schema;
            this.name = name;
            this.columns = columns;
            this.primaryKey = primaryKey;
            this.dialect = dialect;
        }

        /** The column as the database spells it, or null when the table has no such column. */
        String column(String written) {
            return find(dialect, written, columns);
        }

        /** The schema (PostgreSQL) or database (MySQL) as the database spells it. */
        String schema() {
            return schema;
        }

        /** The table's name as the database spells it. */
        String name() {
            return name;
        }

        List<String> columns() {
            return columns;
        }

        /** Primary key columns in key order; empty when the table has none. */
        List<String> primaryKey() {
            return primaryKey;
        }

        @Override
        public String toString() {
            return schema + "." + name;
        }
    }

    private final Database db;
    private final Map<String, Table> cache = new HashMap<>();

    SchemaView(Database db) {
        this.db = db;
    }

    Dialect dialect() {
        return db.dialect();
    }

    /** Where a table name would be looked up, for messages: {@code schema t_1} or {@code database app}. */
    String where(QualifiedName name) {
        return (db.dialect() == Dialect.MYSQL ? "database " : "schema ")
                + (name.schema() == null ? db.currentSchema() : name.schema());
    }

    /** The table, or null when it does not exist. */
    Table table(QualifiedName name) throws SQLException {
        String key = name.toString();
        if (!cache.containsKey(key)) {
            cache.put(key, load(name));
        }
        return cache.get(key);
    }

    private Table load(QualifiedName name) throws SQLException {
        DatabaseMetaData md = db.connection().getMetaData();
        boolean mysql = db.dialect() == Dialect.MYSQL;
        String schema = db.currentSchema();
        if (name.schema() != null) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = mysql ? md.getCatalogs() : md.getSchemas()) {
                while (rs.next()) {
                    schemas.add(rs.getString(mysql ? "TABLE_CAT" : "TABLE_SCHEM"));
                }
            }
            schema = find(db.dialect(), name.schema(), schemas);
            if (schema == null) {
                return null;
            }
        }
        String catalogArg = mysql ? schema : null;
        String schemaArg = mysql ? null : schema;
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalogArg, schemaArg, "%", null)) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        String table = find(db.dialect(), name.name(), tables);
        if (table == null) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = md.getColumns(catalogArg, schemaArg, escape(md, table), "%")) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        TreeMap<Short, String> key = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalogArg, schemaArg, table)) {
            while (rs.next()) {
                key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new Table(schema, table, List.copyOf(columns), List.copyOf(key.values()), db.dialect());
    }

    /** The entry of {@code names} (as the database spells them) that a name written in SQL refers to. */
    static String find(Dialect dialect, String written, List<String> names) {
        String wanted = dialect.canonical(written);
        for (String n : names) {
            if (n != null && dialect.canonical(dialect.quote(n)).equals(wanted)) {
                return n;
            }
        }
        return null;
    }

    private static String escape(DatabaseMetaData md, String name) throws SQLException {
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
