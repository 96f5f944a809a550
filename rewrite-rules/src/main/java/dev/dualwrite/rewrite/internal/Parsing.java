package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rewrite.Dialect;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * JSqlParser entry points used by the rewriter. {@code CCJSqlParserUtil.parse(String)} starts a thread
 * per call to enforce its time-out, so we drive the parser directly: simple parsing first (fast), complex
 * parsing only when that fails.
 *
 * <p>Parse time is bounded without a thread per parse: running parsers are registered with a deadline,
 * and whoever owns a clock thread (the driver's rule watcher) calls {@link #stopOverdue()} now and then,
 * which raises JSqlParser's own {@code interrupted} flag on the overdue ones; such a parse fails instead of
 * being waited on, and its statement is rejected.
 */
public final class Parsing {
    /** Deeper nesting is rejected rather than risking the parser's stack. */
    private static final int MAX_NESTING = 200;
    /** How long one parse may take before {@link #stopOverdue()} stops it. */
    static volatile long timeoutNanos = TimeUnit.SECONDS.toNanos(2);
    private static final Map<CCJSqlParser, Long> RUNNING = new ConcurrentHashMap<>();

    private Parsing() {
    }

    public static Statement statement(String sql, Dialect dialect) throws Exception {
        CCJSqlParser simple = parser(sql, dialect, false);
        try {
            return run(simple, simple::Statement);
        } catch (TimedOut e) {
            throw e;
        } catch (Exception e) {
            CCJSqlParser complex = parser(sql, dialect, true);
            return run(complex, complex::Statement);
        }
    }

    public static Expression expression(String sql, Dialect dialect) throws Exception {
        CCJSqlParser p = parser(sql, dialect, true);
        return run(p, p::Expression);
    }

    /** Stops every parse that has run longer than the time-out; cheap when none runs. */
    public static void stopOverdue() {
        if (RUNNING.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        RUNNING.forEach((p, deadline) -> {
            if (now - deadline > 0) {
                p.interrupted = true;
            }
        });
    }

    /** A parse stopped for running past the time-out. */
    static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("it took the parser longer than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
    }

    private interface Production<T> {
        T parse() throws Exception;
    }

    private static <T> T run(CCJSqlParser p, Production<T> production) throws Exception {
        RUNNING.put(p, System.nanoTime() + timeoutNanos);
        try {
            T result = production.parse();
            if (p.interrupted) {
                throw new TimedOut(); // an interrupted parser returns what it had: never use it
            }
            return result;
        } catch (Exception e) {
            if (p.interrupted) {
                throw new TimedOut();
            }
            throw e;
        } finally {
            RUNNING.remove(p);
        }
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
