package dev.dualwrite.rewrite;

import java.util.List;

/**
 * What the rewriter may ask the database: the columns of a table and the current schema. Binding
 * unqualified column names and expanding {@code *} need it; without it such statements are rejected
 * rather than guessed.
 */
public interface Catalog {
    /** A catalog that knows nothing. */
    Catalog NONE = new Catalog() {
        @Override
        public List<String> columns(String schema, String table) {
            return null;
        }

        @Override
        public String currentSchema() {
            return null;
        }
    };

    /**
     * The columns of a table in table order, spelled as the database reports them, or null when the
     * table is unknown. {@code schema} and {@code table} are canonical names; schema may be null.
     */
    List<String> columns(String schema, String table);

    /** The connection's current schema (PostgreSQL) or database (MySQL), canonical, or null. */
    String currentSchema();

    /** The unique indexes of a table (the primary key included), each as its columns; null when unknown. */
    default List<List<String>> uniqueKeys(String schema, String table) {
        return null;
    }

    /** The primary key columns of a table, in key order, or null when unknown. */
    default List<String> primaryKey(String schema, String table) {
        return null;
    }
}
