package dev.dualwrite.rewrite.internal;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Decides whether an expression may be evaluated twice with the same result. Mirroring a value by
 * repeating its expression is exact only then: {@code random()} or {@code nextval()} evaluated twice
 * would give the old and the new column different values.
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
            "date_add", "date_sub", "datediff", "timestampdiff", "values", "excluded");

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
        if (!STABLE.contains(dot < 0 ? name : name.substring(dot + 1)) && offender == null) {
            offender = f.toString();
        }
        return super.visit(f, context);
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
        offender = s.toString();
        return null;
    }

    @Override
    public <S> Void visit(Select s, S context) {
        offender = s.toString();
        return null;
    }
}
