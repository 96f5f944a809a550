package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.ExpressionTemplate;
import dev.dualwrite.rules.SqlLiteral;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL that carries a value across a column rule, in either direction: the one mapping that the
 * rewriter and the operator's commands (status, backfill, verify) share.
 */
public final class ColumnSql {
    /** A number literal as JSqlParser deparses one, exactly (the rewriter's markers are not numbers). */
    private static final Pattern NUMBER = Pattern.compile("-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private ColumnSql() {
    }

    /** The new value computed from the old value {@code oldSql} ({@code to_new}, or the value map). */
    public static String toNew(ColumnRule r, String oldSql, Dialect d) {
        if (r.toNew() != null) {
            return ExpressionTemplate.apply(r.toNew(), oldSql);
        }
        if (!r.values().isEmpty()) {
            return caseOf(oldSql, r.values(), false, d);
        }
        return "(" + oldSql + ")";
    }

    /** The old value computed from the new value {@code newSql} ({@code to_old}, or the value map reversed). */
    static String toOld(ColumnRule r, String newSql, Dialect d) {
        if (r.toOld() != null) {
            return ExpressionTemplate.apply(r.toOld(), newSql);
        }
        if (!r.values().isEmpty()) {
            return caseOf(newSql, r.values(), true, d);
        }
        return newSql;
    }

    /** How many times {@link #toNew} or {@link #toOld} repeats its argument. */
    static int repeats(ColumnRule r, boolean towardsNew) {
        String t = towardsNew ? r.toNew() : r.toOld();
        if (t != null) {
            int n = 0;
            for (int i = t.indexOf(ExpressionTemplate.HOLE); i >= 0; i = t.indexOf(ExpressionTemplate.HOLE, i + 1)) {
                n++;
            }
            return n;
        }
        return r.values().isEmpty() ? 1 : 2;
    }

    private static String caseOf(String valueSql, Map<SqlLiteral, SqlLiteral> values, boolean reverse, Dialect d) {
        boolean textKeys = true;
        for (Map.Entry<SqlLiteral, SqlLiteral> e : values.entrySet()) {
            textKeys &= (reverse ? e.getValue() : e.getKey()).isString();
        }
        String operand = textKeys ? asText(valueSql, d) : "(" + valueSql + ")";
        StringBuilder sb = new StringBuilder("(CASE ").append(operand);
        for (Map.Entry<SqlLiteral, SqlLiteral> e : values.entrySet()) {
            SqlLiteral from = reverse ? e.getValue() : e.getKey();
            SqlLiteral to = reverse ? e.getKey() : e.getValue();
            sb.append(" WHEN ").append(from.sql()).append(" THEN ").append(to.sql());
        }
        String rest = d == Dialect.POSTGRESQL ? operand : "(" + valueSql + ")";
        return sb.append(" ELSE ").append(rest).append(" END)").toString();
    }

    /**
     * The value compared as text with a map of text keys, as the text column that stores it would compare it.
     * Why: MySQL compares a number with {@code 'A'} as numbers ({@code 0 = 'A'} holds, so 0 would be mapped
     * while the old column stores '0'), and PostgreSQL refuses to compare them at all, so there a number
     * literal or a parameter (which may be bound as a number) is cast to text, as assigning it would.
     */
    private static String asText(String valueSql, Dialect d) {
        if (d == Dialect.MYSQL) {
            return "CONCAT(" + valueSql + ")";
        }
        return valueSql.equals("?") || NUMBER.matcher(valueSql).matches() ? "CAST(" + valueSql + " AS VARCHAR)"
                : "(" + valueSql + ")";
    }
}
