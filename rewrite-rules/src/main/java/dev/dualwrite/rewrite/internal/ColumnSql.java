package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.ExpressionTemplate;
import dev.dualwrite.rules.SqlLiteral;
import java.util.Map;

/**
 * The SQL that carries a value across a column rule, in either direction: the one mapping that the
 * rewriter and the operator's commands (status, backfill, verify) share.
 */
public final class ColumnSql {
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
            sb.append(" WHEN ").append(textKeys ? textKey(from.sql(), d) : from.sql()).append(" THEN ").append(to.sql());
        }
        String rest = d == Dialect.POSTGRESQL ? operand : "(" + valueSql + ")";
        return sb.append(" ELSE ").append(rest).append(" END)").toString();
    }

    /**
     * The value compared as text with a map of text keys, exactly, as the stored value is kept. Why: MySQL
     * compares a number with {@code 'A'} as numbers ({@code 0 = 'A'} holds) and its usual collations ignore
     * case and trailing spaces, so 0, 'a' or 'A ' would be mapped to the new value of 'A' and come back as
     * 'A' while the old column keeps what was written; its bytes in utf8mb4 compare exactly. PostgreSQL
     * compares text exactly but refuses to compare a number with text, so there the value is cast to text,
     * as assigning it to the text column would (whatever it is: the spelling must not depend on whether a
     * literal is a number, since statements that differ only in literals share one rewrite).
     */
    private static String asText(String valueSql, Dialect d) {
        if (d == Dialect.MYSQL) {
            return "CAST(CONVERT(" + valueSql + " USING utf8mb4) AS BINARY)";
        }
        return "CAST(" + valueSql + " AS VARCHAR)";
    }

    /**
     * A text key as compared with {@link #asText}: on MySQL a key outside ASCII is converted to utf8mb4 too,
     * since the connection's character set (in which the literal arrives) may spell it in other bytes.
     */
    private static String textKey(String keySql, Dialect d) {
        if (d == Dialect.MYSQL && !keySql.chars().allMatch(c -> c < 128)) {
            return "CONVERT(" + keySql + " USING utf8mb4)";
        }
        return keySql;
    }
}
