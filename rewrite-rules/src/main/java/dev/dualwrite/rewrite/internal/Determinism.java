package dev.dualwrite.rewrite.internal;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.expression.VariableAssignment;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Decides whether an expression may be evaluated twice with the same result. Mirroring a value by
 * repeating its expression is exact only then: {@code random()} or {@code nextval()} evaluated twice
 * would give the old and the new column different values. A subquery repeats exactly when it is
 * deterministic itself, because one statement reads one snapshot.
 */
final class Determinism extends ExpressionVisitorAdapter<Void> {
    /** Functions that return the same result for the same arguments within one statement. */
    private static final Set<String> STABLE = Set.of("lower", "upper", "trim", "ltrim", "rtrim", "btrim", "concat",
            "concat_ws", "coalesce", "ifnull", "nvl", "nullif", "substring", "substr", "left", "right", "length",
            "char_length", "character_length", "octet_length", "replace", "lpad", "rpad", "reverse", "repeat", "round",
            "floor", "ceil", "ceiling", "abs", "mod", "sign", "greatest", "least", "now", "current_timestamp",
            "current_date", "current_time", "localtimestamp", "localtime", "to_char", "to_date", "to_timestamp",
            "to_number", "date_trunc", "date_format", "str_to_date", "md5", "sha1", "sha2", "initcap", "format",
            "if", "date", "cast", "convert", "json_build_object", "json_object", "jsonb_build_object", "hex", "unhex",
            "utc_timestamp", "utc_date", "extract", "position", "strpos", "split_part", "translate", "encode",
            "decode", "to_json", "to_jsonb", "array_to_string", "string_agg", "max", "min", "sum", "count", "avg",
            "trunc", "power", "sqrt", "exp", "ln", "log", "unix_timestamp", "from_unixtime", "timestamp",
            "date_add", "date_sub", "datediff", "timestampdiff", "values", "excluded",
            // JDBC escape functions ({fn ...}), which the drivers translate to the ones above
            "ucase", "lcase", "locate", "ascii", "space", "truncate", "curdate", "curtime", "dayofmonth",
            "dayofweek", "dayofyear", "hour", "minute", "month", "quarter", "second", "week", "year",
            "monthname", "dayname", "timestampadd", "database", "user");

    private String offender;

    private Determinism() {
    }

    /** Returns null when {@code e} is deterministic, else the offending part. */
    static String offender(Expression e) {
        Determinism d = new Determinism();
        e.accept(d, null);
        return d.offender;
    }

    @Override
    public <S> Void visit(Function f, S context) {
        String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        // A schema-qualified name is the built-in only in pg_catalog; app.lower() may be anything.
        boolean builtIn = dot < 0 || name.startsWith("pg_catalog.");
        if ((!builtIn || !STABLE.contains(dot < 0 ? name : name.substring(dot + 1))) && offender == null) {
            offender = f.toString();
        }
        return super.visit(f, context);
    }

    @Override
    public <S> Void visit(UserVariable v, S context) {
        offender = v.toString(); // MySQL @var: another part of the statement may assign it
        return null;
    }

    @Override
    public <S> Void visit(VariableAssignment v, S context) {
        offender = v.toString();
        return null;
    }

    @Override
    public <S> Void visit(NextValExpression e, S context) {
        offender = e.toString();
        return null;
    }

    @Override
    public <S> Void visit(AnalyticExpression e, S context) {
        offender = e.toString();
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect s, S context) {
        query(s);
        return null;
    }

    @Override
    public <S> Void visit(Select s, S context) {
        query(s);
        return null;
    }

    @Override
    public <S> Void visit(AnyComparisonExpression any, S context) {
        query(any.getSelect());
        return null;
    }

    /**
     * A subquery gives the same rows twice within one statement (one snapshot), unless it limits an
     * order that may tie or calls something volatile; anything unusual counts as volatile.
     */
    private void query(Select s) {
        if (offender != null) {
            return;
        }
        if (s.getWithItemsList() != null && !s.getWithItemsList().isEmpty()) {
            offender = s.toString();
        } else if (s instanceof ParenthesedSelect) {
            query(((ParenthesedSelect) s).getSelect());
        } else if (s instanceof SetOperationList) {
            for (Select branch : ((SetOperationList) s).getSelects()) {
                query(branch);
            }
        } else if (s instanceof PlainSelect) {
            PlainSelect ps = (PlainSelect) s;
            if (ps.getLimit() != null || ps.getOffset() != null || ps.getFetch() != null || ps.getTop() != null) {
                offender = ps.toString();
                return;
            }
            for (SelectItem<?> item : ps.getSelectItems()) {
                item.getExpression().accept(this, null);
            }
            from(ps.getFromItem());
            if (ps.getJoins() != null) {
                for (Join j : ps.getJoins()) {
                    from(j.getFromItem());
                    for (Expression on : j.getOnExpressions()) {
                        on.accept(this, null);
                    }
                }
            }
            for (Expression e : new Expression[] {ps.getWhere(), ps.getHaving()}) {
                if (e != null) {
                    e.accept(this, null);
                }
            }
        } else {
            offender = s.toString();
        }
    }

    private void from(FromItem item) {
        if (item == null || item instanceof Table) {
            return;
        }
        if (item instanceof Select) {
            query((Select) item);
        } else {
            offender = item.toString();
        }
    }
}
