package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * JSqlParser entry points used by the rewriter. {@code CCJSqlParserUtil.parse(String)} starts a thread
 * per call to enforce its time-out, so we drive the parser directly: simple parsing first (fast), complex
 * parsing only when that fails.
 */
public final class Parsing {
    /** Deeper nesting is rejected rather than risking the parser's stack. */
    private static final int MAX_NESTING = 200;

    private Parsing() {
    }

    public static Statement statement(String sql, Dialect dialect) throws Exception {
        try {
            return parser(sql, dialect, false).Statement();
        } catch (Exception e) {
            return parser(sql, dialect, true).Statement();
        }
    }

    public static Expression expression(String sql, Dialect dialect) throws Exception {
        return parser(sql, dialect, true).Expression();
    }

    private static CCJSqlParser parser(String sql, Dialect dialect, boolean complex) {
        CCJSqlParser p = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(complex)
                .withAllowedNestingDepth(MAX_NESTING);
        if (dialect == Dialect.MYSQL) {
            p.withBackslashEscapeCharacter(true).withHashLineComments(true);
        }
        return p;
    }
}
