package dev.dualwrite.rewrite;

import dev.dualwrite.rewrite.internal.IntList;
import dev.dualwrite.rewrite.internal.Parsing;
import dev.dualwrite.rewrite.internal.RewriteRejected;
import dev.dualwrite.rewrite.internal.SqlText;
import dev.dualwrite.rewrite.internal.StatementRewriter;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.OnUnparseable;
import dev.dualwrite.rules.RuleSet;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.Statement;

/**
 * The rewriter: a pure function from an application's SQL, a rule set and a dialect to a {@link Rewrite}.
 * Everything else (the driver, {@code explain}, tests) calls this.
 */
public final class Rewriter {
    private Rewriter() {
    }

    /** Rewrites with the rule file's read flags and no database metadata. */
    public static Rewrite rewrite(String sql, RuleSet rules, Dialect dialect) {
        return rewrite(sql, rules, dialect, ReadChoice.defaults(rules), Catalog.NONE);
    }

    /**
     * Rewrites one statement.
     *
     * @param reads which migrations read the new side (canary and shadow decisions are the caller's)
     * @param catalog table metadata, for unqualified names in joins and {@code SELECT *}
     */
    public static Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog) {
        if (!rules.mayTouch(sql) || !isDml(sql, dialect)) {
            return Rewrite.passThrough(sql);
        }
        boolean mysql = dialect == Dialect.MYSQL;
        StatementRewriter rewriter = new StatementRewriter(dialect, rules, reads::readsNew, catalog);
        try {
            String numbered = SqlText.numberPlaceholders(sql, mysql);
            if (SqlText.hasSeveralStatements(numbered, mysql)) {
                return reject(sql, rules, rules.migrations(), "several statements in one string are not supported"
                        + " when one of them names a migrated table; send them one at a time");
            }
            Statement st;
            try {
                st = Parsing.statement(numbered, dialect);
            } catch (Exception | StackOverflowError e) {
                return reject(sql, rules, rules.migrations(), "the statement could not be parsed ("
                        + firstLine(e.getMessage()) + ")");
            }
            rewriter.rewrite(st);
            List<Migration> touched = rewriter.touched();
            if (touched.isEmpty()) {
                return Rewrite.passThrough(sql);
            }
            if (!rewriter.changed()) {
                return Rewrite.passedUnrewritten(sql, touched, null);
            }
            IntList map = new IntList();
            String out = SqlText.denumber(rewriter.expandMarkers(st.toString()), mysql, map);
            return Rewrite.rewritten(out, identity(map) ? null : map.toArray(), touched, rewriter.dualWrite(),
                    rewriter.readNew());
        } catch (SqlText.Unnumberable e) {
            return reject(sql, rules, rules.migrations(), "its parameters cannot be located: " + e.getMessage());
        } catch (RewriteRejected e) {
            List<Migration> touched = rewriter.touched();
            if (e.migration() != null && !touched.contains(e.migration())) {
                touched.add(0, e.migration());
            }
            return reject(sql, rules, touched, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return reject(sql, rules, rewriter.touched(), "the rewriter failed (" + e + ")");
        }
    }

    private static Rewrite reject(String sql, RuleSet rules, List<Migration> touched, String reason) {
        if (rules.onUnparseable() == OnUnparseable.PASS) {
            return Rewrite.passedUnrewritten(sql, touched, reason);
        }
        return Rewrite.rejected(sql, touched, reason);
    }

    private static boolean identity(IntList map) {
        for (int i = 0; i < map.size(); i++) {
            if (map.get(i) != i + 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the statement is DML (or a query) by its first keyword. DDL, CALL, session commands and
     * everything else pass through untouched, so migration tools keep working through the driver.
     */
    static boolean isDml(String sql, Dialect dialect) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i) || (dialect == Dialect.MYSQL && c == '#')) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        switch (sql.substring(start, i).toLowerCase(Locale.ROOT)) {
            case "select":
            case "with":
            case "insert":
            case "update":
            case "delete":
            case "replace":
            case "merge":
            case "upsert":
            case "values":
            case "table":
                return true;
            default:
                return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
