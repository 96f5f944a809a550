package dev.dualwrite.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One migrated column: {@code column} as the application names it, {@code to} its new name, and how
 * values translate between the two (a template with {@code {}} for the value, or a value map).
 */
public final class ColumnRule {
    private final String column;
    private final String to;
    private final String toNew;
    private final String toOld;
    private final Map<SqlLiteral, SqlLiteral> values;
    private final boolean drop;

    public ColumnRule(String column, String to, String toNew, String toOld, Map<SqlLiteral, SqlLiteral> values,
            boolean drop) {
        this.column = column;
        this.to = to;
        this.toNew = toNew;
        this.toOld = toOld;
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.drop = drop;
    }

    /** The old column, as the application names it. */
    public String column() {
        return column;
    }

    /** The new column's name; for a dropped column of a table move, {@code null}. */
    public String to() {
        return to;
    }

    /** Template computing the new value from the old one ({@code {}} is the old value), or null. */
    public String toNew() {
        return toNew;
    }

    /** Template computing the old value from the new one, or null. */
    public String toOld() {
        return toOld;
    }

    /** Old value to new value; other values are carried unchanged. Empty when there is no map. */
    public Map<SqlLiteral, SqlLiteral> values() {
        return values;
    }

    public boolean drop() {
        return drop;
    }

    /** True when old and new values are the same, so the mapping is a pure rename. */
    public boolean isRename() {
        return toNew == null && toOld == null && values.isEmpty();
    }
}
