package dev.dualwrite.rules;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * A {@code to_new} / {@code to_old} template: one SQL expression in which {@code {}} stands for the
 * value. Templates are pasted into the application's statements, so they are held to a single
 * expression: no statement separators, no comments, no parameters.
 */
public final class ExpressionTemplate {
    public static final String HOLE = "{}";

    private ExpressionTemplate() {
    }

    /** Returns null when the template is usable, else why not. */
    public static String check(String template) {
        if (!template.contains(HOLE)) {
            return "'" + template + "' must contain {} where the value goes";
        }
        if (template.contains(";")) {
            return "a template is one expression; ';' is not allowed";
        }
        if (template.contains("--") || template.contains("/*") || template.contains("#")) {
            return "comments are not allowed in a template";
        }
        if (template.contains("?")) {
            return "parameters ('?') are not allowed in a template";
        }
        String probe = template.replace(HOLE, "dualwrite_value");
        try {
            Expression e = CCJSqlParserUtil.parseExpression(probe, false);
            if (e == null) {
                return "'" + template + "' is not an SQL expression";
            }
        } catch (Exception e) {
            return "'" + template + "' is not an SQL expression: " + firstLine(e.getMessage());
        }
        return null;
    }

    /** Fills the hole with an SQL expression, parenthesised so precedence cannot change. */
    public static String apply(String template, String valueSql) {
        return "(" + template.replace(HOLE, "(" + valueSql + ")") + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
