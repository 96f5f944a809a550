package dev.dualwrite.rewrite.internal;

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
    public static String toNew(ColumnRule r, String oldSql) {
        if (r.toNew() != null) {
            return ExpressionTemplate.apply(r.toNew(), oldSql);
        }
        if (!r.values().isEmpty()) {
            return caseOf(oldSql, r.values(), false);
        }
        return "(" + oldSql + ")";
    }

    /** The old value computed from the new value {@code newSql} ({@code to_old}, or the value map reversed). */
    static String toOld(ColumnRule r, String newSql) {
        if (r.toOld() != null) {
            return ExpressionTemplate.apply(r.toOld(), newSql);
        }
        if (!r.values().isEmpty()) {
            return caseOf(newSql, r.values(), true);
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

    private static String caseOf(String valueSql, Map<SqlLiteral, SqlLiteral> values, boolean reverse) {
        StringBuilder sb = new StringBuilder("(CASE (").append(valueSql).append(')');
        for (Map.Entry<SqlLiteral, SqlLiteral> e : values.entrySet()) {
            SqlLiteral from = reverse ? e.getValue() : e.getKey();
            SqlLiteral to = reverse ? e.getKey() : e.getValue();
            sb.append(" WHEN ").append(from.sql()).append(" THEN ").append(to.sql());
        }
        return sb.append(" ELSE (").append(valueSql).append(") END)").toString();
    }
}
