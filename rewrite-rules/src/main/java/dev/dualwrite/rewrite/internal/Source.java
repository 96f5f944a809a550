package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rules.Migration;
import java.util.List;
import net.sf.jsqlparser.schema.Table;

/** One item of a FROM clause (or a write target) as the binder sees it. */
final class Source {
    /** The canonical name a qualifier must equal to refer to this item (alias, else table name). */
    final String exposed;
    /** How to qualify a column of this item in generated SQL (the alias or table as written). */
    String qualifierSql;
    /** The physical table, or null for a derived table, CTE reference or function. */
    final Table table;
    /** Column rules of migrations on this table; empty for other tables. */
    final List<Bound> rules;
    /** Output columns of a derived table (canonical), or null when unknown. */
    final List<String> derivedColumns;
    /** A pseudo-row only reachable through its name (PostgreSQL EXCLUDED, a MySQL 8 row alias). */
    final boolean qualifiedOnly;
    /** The table move this item's table is subject to, or null. */
    Migration move;
    /** For a table move: the old table as the statement named it (without alias). */
    Table oldTable;
    /** For a table move: the FROM item now names the new table. */
    boolean redirected;
    /** Redirected without an alias: qualified references must be requalified. */
    boolean requalify;
    /**
     * While both tables are written, RETURNING reads the old row the write produced: {@code FROM
     * dualwrite_rows WHERE <key matches>}, the tail of a scalar subquery per column; otherwise null.
     */
    String rowsLookup;

    Source(String exposed, String qualifierSql, Table table, List<Bound> rules, List<String> derivedColumns) {
        this(exposed, qualifierSql, table, rules, derivedColumns, false);
    }

    Source(String exposed, String qualifierSql, Table table, List<Bound> rules, List<String> derivedColumns,
            boolean qualifiedOnly) {
        this.exposed = exposed;
        this.qualifierSql = qualifierSql;
        this.table = table;
        this.rules = rules;
        this.derivedColumns = derivedColumns;
        this.qualifiedOnly = qualifiedOnly;
    }

    Bound ruleForOld(String canonicalColumn, dev.dualwrite.rewrite.Dialect d) {
        for (Bound b : rules) {
            if (d.canonical(b.rule.column()).equals(canonicalColumn)) {
                return b;
            }
        }
        return null;
    }

    Bound ruleForNew(String canonicalColumn, dev.dualwrite.rewrite.Dialect d) {
        for (Bound b : rules) {
            if (b.rule.to() != null && d.canonical(b.rule.to()).equals(canonicalColumn)) {
                return b;
            }
        }
        return null;
    }
}
