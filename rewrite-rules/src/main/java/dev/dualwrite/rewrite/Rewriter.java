package dev.dualwrite.rewrite;

import dev.dualwrite.rewrite.internal.IntList;
import dev.dualwrite.rewrite.internal.Parsing;
import dev.dualwrite.rewrite.internal.RewriteRejected;
import dev.dualwrite.rewrite.internal.SqlText;
import dev.dualwrite.rewrite.internal.StatementRewriter;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.OnUnparseable;
import dev.dualwrite.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.update.Update;

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

    /** Rewrites for a caller that will not ask for generated keys. */
    public static Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog) {
        return rewrite(sql, rules, dialect, reads, catalog, false);
    }

    /**
     * Rewrites one statement (or a script of several, each rewritten on its own).
     *
     * @param reads which migrations read the new side (canary and shadow decisions are the caller's)
     * @param catalog table metadata, for unqualified names in joins, {@code SELECT *} and INSERT without
     *     a column list
     * @param generatedKeys the caller will ask for generated keys: on PostgreSQL, whose driver asks for
     *     them with {@code RETURNING *}, the rewrite spells that list out so the keys keep the
     *     application's column names
     */
    public static Rewrite rewrite(String sql, RuleSet rules, Dialect dialect, ReadChoice reads, Catalog catalog,
            boolean generatedKeys) {
        if (!rules.mayTouch(sql)) {
            return Rewrite.passThrough(sql);
        }
        boolean mysql = dialect == Dialect.MYSQL;
        boolean script = SqlText.hasSeveralStatements(sql, mysql);
        if (!script && !isDml(sql, dialect)) {
            return Rewrite.passThrough(sql);
        }
        StatementRewriter rewriter = new StatementRewriter(dialect, rules, reads::readsNew, catalog);
        Rewrite r = rewriteStatement(sql, rules, dialect, generatedKeys, script, rewriter);
        // A query is a single statement the rewriter saw write nothing (a data-modifying CTE writes).
        return r.kind() != Rewrite.Kind.REJECTED && !r.touched().isEmpty() && !script && rewriter.onlyReads()
                ? r.asQuery() : r;
    }

    private static Rewrite rewriteStatement(String sql, RuleSet rules, Dialect dialect, boolean generatedKeys,
            boolean script, StatementRewriter rewriter) {
        boolean mysql = dialect == Dialect.MYSQL;
        try {
            String numbered = SqlText.numberPlaceholders(sql, mysql);
            List<String> pieces = script ? SqlText.splitStatements(numbered, mysql) : List.of(numbered);
            StringBuilder out = new StringBuilder(sql.length() + 64);
            for (int i = 0; i < pieces.size(); i++) {
                String piece = pieces.get(i);
                if (i > 0) {
                    out.append(';');
                }
                if (script && (!rules.mayTouch(piece) || !isDml(piece, dialect))) {
                    out.append(piece);
                    continue;
                }
                String hazard = mysql ? SqlText.mysqlHazard(piece) : null;
                if (hazard != null) {
                    return reject(sql, rules, rules.migrations(), hazard);
                }
                Statement st;
                try {
                    st = Parsing.statement(SqlText.jdbcEscapes(piece, mysql), dialect);
                } catch (Exception | StackOverflowError e) {
                    return reject(sql, rules, rules.migrations(), "the statement could not be parsed ("
                            + firstLine(e.getMessage()) + ")");
                }
                if (generatedKeys && !script && dialect == Dialect.POSTGRESQL) {
                    returnAll(st);
                }
                int before = rewriter.changes();
                rewriter.rewrite(st);
                if (rewriter.changes() == before) {
                    out.append(piece);
                } else {
                    // The parser drops comments; keep the leading ones (often a tag for tracing or a hint).
                    out.append(piece, 0, SqlText.leadingTrivia(piece, mysql))
                            .append(rewriter.render(st));
                    if (!script) {
                        out.append(piece, SqlText.trailingText(piece, mysql), piece.length());
                    }
                }
            }
            List<Migration> touched = rewriter.touched();
            if (touched.isEmpty()) {
                return Rewrite.passThrough(sql);
            }
            if (!rewriter.changed()) {
                return Rewrite.passedUnrewritten(sql, touched, null);
            }
            IntList map = new IntList();
            String text = SqlText.denumber(out.toString(), mysql, map);
            if (!script && (!rewriter.before().isEmpty() || !rewriter.after().isEmpty())) {
                return Rewrite.script(steps(rewriter.before(), mysql), text, identity(map) ? null : map.toArray(),
                        steps(rewriter.after(), mysql), touched, rewriter.readNew());
            }
            if (!rewriter.before().isEmpty() || !rewriter.after().isEmpty()) {
                return reject(sql, rules, touched, "a write to a moved table in a string of several statements is not"
                        + " supported while both tables are written");
            }
            return Rewrite.rewritten(text, identity(map) ? null : map.toArray(), touched, rewriter.dualWrite(),
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

    private static List<Rewrite.Step> steps(List<String> texts, boolean mysql) throws SqlText.Unnumberable {
        List<Rewrite.Step> out = new ArrayList<>();
        for (String t : texts) {
            IntList map = new IntList();
            String sql = SqlText.denumber(t, mysql, map);
            out.add(new Rewrite.Step(sql, map.toArray()));
        }
        return out;
    }

    /** What pgjdbc appends for generated keys, made explicit so that the rewriter can map it. */
    private static void returnAll(Statement st) {
        List<SelectItem<?>> all = new ArrayList<>(List.of(new SelectItem<>(new AllColumns())));
        ReturningClause r = new ReturningClause("RETURNING", all);
        if (st instanceof Insert && ((Insert) st).getReturningClause() == null) {
            ((Insert) st).setReturningClause(r);
        } else if (st instanceof Update && ((Update) st).getReturningClause() == null) {
            ((Update) st).setReturningClause(r);
        } else if (st instanceof Delete && ((Delete) st).getReturningClause() == null) {
            ((Delete) st).setReturningClause(r);
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

    /** The statement's first keyword, lower case, after comments and parentheses. */
    static String firstKeyword(String sql, Dialect dialect) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i) || (dialect == Dialect.MYSQL && c == '#')) {
                int next;
                try {
                    next = SqlText.skipComment(sql, i, dialect == Dialect.MYSQL);
                } catch (SqlText.Unnumberable e) {
                    return "select"; // an unterminated comment: let the parser reject it
                }
                if (next == i) {
                    break;
                }
                i = next;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
    }

    /**
     * True when the statement is DML (or a query) by its first keyword. DDL, CALL, session commands and
     * everything else pass through untouched, so migration tools keep working through the driver.
     */
    static boolean isDml(String sql, Dialect dialect) {
        switch (firstKeyword(sql, dialect)) {
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
            case "explain": // EXPLAIN ANALYZE runs the statement
            case "prepare": // PREPARE p AS <dml> names it for EXECUTE
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
