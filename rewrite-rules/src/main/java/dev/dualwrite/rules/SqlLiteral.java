package dev.dualwrite.rules;

import java.util.Objects;

/** A constant from a rule file's value map, rendered as an SQL literal. */
public final class SqlLiteral {
    private final String sql;

    private SqlLiteral(String sql) {
        this.sql = sql;
    }

    /** A string constant: quoted, with embedded quotes doubled. */
    public static SqlLiteral ofString(String value) {
        return new SqlLiteral("'" + value.replace("'", "''") + "'");
    }

    /** A numeric constant, checked to be a plain decimal number. */
    public static SqlLiteral ofNumber(String digits) {
        if (!digits.matches("-?[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException("'" + digits + "' is not a plain number");
        }
        return new SqlLiteral(digits);
    }

    /** True for a string constant, false for a number. */
    public boolean isString() {
        return sql.startsWith("'");
    }

    public String sql() {
        return sql;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlLiteral && ((SqlLiteral) o).sql.equals(sql);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(sql);
    }

    @Override
    public String toString() {
        return sql;
    }
}
