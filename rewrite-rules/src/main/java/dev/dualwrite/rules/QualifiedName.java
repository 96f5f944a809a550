package dev.dualwrite.rules;

import java.util.Objects;

/**
 * A table name as written in a rule file: an optional schema and a name. Quoting is kept as written,
 * so that each dialect can apply its own case rules when matching SQL against it.
 */
public final class QualifiedName {
    private final String schema;
    private final String name;

    public QualifiedName(String schema, String name) {
        this.schema = schema;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Splits {@code schema.table} on a dot outside quotes. */
    public static QualifiedName parse(String text) {
        int dot = -1;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '`') {
                quote = c;
            } else if (c == '.') {
                if (dot >= 0) {
                    throw new IllegalArgumentException("'" + text + "' has more than one dot; use schema.table");
                }
                dot = i;
            }
        }
        if (dot < 0) {
            return new QualifiedName(null, text);
        }
        return new QualifiedName(text.substring(0, dot), text.substring(dot + 1));
    }

    /** The schema as written, or null. */
    public String schema() {
        return schema;
    }

    /** The table name as written. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualifiedName && Objects.equals(((QualifiedName) o).schema, schema)
                && ((QualifiedName) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name);
    }
}
