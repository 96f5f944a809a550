package dev.dualwrite.jdbc.proxy;

import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Table metadata for the rewriter, read through the real connection and cached per engine. */
final class JdbcCatalog implements Catalog {
    private static final List<String> UNKNOWN = List.of();

    private final Connection raw;
    private final Dialect dialect;
    private final Map<String, List<String>> cache;
    private final String schema;

    JdbcCatalog(Connection raw, Dialect dialect, Map<String, List<String>> cache, String schema) {
        this.raw = raw;
        this.dialect = dialect;
        this.cache = cache;
        this.schema = schema;
    }

    @Override
    public List<String> columns(String schemaName, String table) {
        String s = schemaName != null ? schemaName : schema;
        List<String> cols = cache.computeIfAbsent(s + "." + table, k -> load(s, table));
        return cols == UNKNOWN ? null : cols;
    }

    private List<String> load(String s, String table) {
        List<String> out = new ArrayList<>();
        try {
            DatabaseMetaData md = raw.getMetaData();
            boolean mysql = dialect == Dialect.MYSQL;
            try (ResultSet rs = mysql ? md.getColumns(s, null, table, "%") : md.getColumns(null, s, table, "%")) {
                while (rs.next()) {
                    out.add(rs.getString("COLUMN_NAME"));
                }
            }
        } catch (SQLException e) {
            return UNKNOWN;
        }
        return out.isEmpty() ? UNKNOWN : List.copyOf(out);
    }

    @Override
    public List<String> primaryKey(String schemaName, String table) {
        String s = schemaName != null ? schemaName : schema;
        List<String> cols = cache.computeIfAbsent("pk:" + s + "." + table, k -> loadKey(s, table));
        return cols == UNKNOWN ? null : cols;
    }

    private List<String> loadKey(String s, String table) {
        java.util.TreeMap<Short, String> byPosition = new java.util.TreeMap<>();
        try {
            DatabaseMetaData md = raw.getMetaData();
            boolean mysql = dialect == Dialect.MYSQL;
            try (ResultSet rs = mysql ? md.getPrimaryKeys(s, null, table) : md.getPrimaryKeys(null, s, table)) {
                while (rs.next()) {
                    byPosition.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
        } catch (SQLException e) {
            return UNKNOWN;
        }
        return byPosition.isEmpty() ? UNKNOWN : List.copyOf(byPosition.values());
    }

    @Override
    public List<List<String>> uniqueKeys(String schemaName, String table) {
        String s = schemaName != null ? schemaName : schema;
        List<String> flat = cache.computeIfAbsent("uk:" + s + "." + table, k -> loadUnique(s, table));
        if (flat == UNKNOWN) {
            return null;
        }
        List<List<String>> out = new ArrayList<>();
        for (String index : flat) {
            out.add(List.of(index.split("\u0000")));
        }
        return out;
    }

    /** Each unique index as its column names joined by NUL, in index order. */
    private List<String> loadUnique(String s, String table) {
        Map<String, java.util.TreeMap<Short, String>> indexes = new java.util.LinkedHashMap<>();
        try {
            DatabaseMetaData md = raw.getMetaData();
            boolean mysql = dialect == Dialect.MYSQL;
            try (ResultSet rs = mysql ? md.getIndexInfo(s, null, table, true, false)
                    : md.getIndexInfo(null, s, table, true, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (name != null && column != null && !rs.getBoolean("NON_UNIQUE")) {
                        indexes.computeIfAbsent(name, n -> new java.util.TreeMap<>())
                                .put(rs.getShort("ORDINAL_POSITION"), column);
                    }
                }
            }
        } catch (SQLException e) {
            return UNKNOWN;
        }
        List<String> out = new ArrayList<>();
        for (java.util.TreeMap<Short, String> cols : indexes.values()) {
            out.add(String.join("\u0000", cols.values()));
        }
        return List.copyOf(out);
    }

    @Override
    public String currentSchema() {
        return schema;
    }
}
