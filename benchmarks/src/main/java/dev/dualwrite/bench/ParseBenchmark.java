package dev.dualwrite.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parse time of typical DML statements with JSqlParser.
 *
 * <p>The JSqlParser version on the classpath is the Maven property {@code jsqlparser.version}
 * (build with {@code -Djsqlparser.version=5.3} to switch). Every call builds a fresh parser on
 * the calling thread; {@code CCJSqlParserUtil.parse(String)} is deliberately not used because it
 * runs each parse on a new executor thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseBenchmark {

    /** Statement key to SQL text; the keys are the {@code @Param} values. */
    static final Map<String, String> STATEMENTS = Map.of(
            "pk_select",
            "SELECT id, user_name, email, created_at FROM users WHERE id = ?",
            "hibernate_select",
            "select u1_0.id,u1_0.user_name from users u1_0 where u1_0.id=?",
            "insert_10",
            "INSERT INTO orders (id, customer_id, status, total, currency, created_at, updated_at,"
                    + " shipping_address, billing_address, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "update_3",
            "UPDATE users SET user_name = ?, email = ?, updated_at = ? WHERE id = ? AND version = ?",
            "delete",
            "DELETE FROM sessions WHERE user_id = ? AND expires_at < ?",
            "join_2",
            "SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON o.customer_id = c.id"
                    + " WHERE c.id = ? AND o.status = ?");

    @Param({"pk_select", "hibernate_select", "insert_10", "update_3", "delete", "join_2"})
    public String statement;

    private String sql;

    @Setup
    public void setup() throws ParseException {
        sql = STATEMENTS.get(statement);
        if (sql == null) {
            throw new IllegalArgumentException("unknown statement key: " + statement);
        }
        // Sanity checks, outside the measured code: the statement parses to the expected type,
        // and (reported, not enforced) whether the fast, non-complex path accepts it.
        Statement parsed = parse(sql);
        Class<?> expected = statement.startsWith("insert") ? Insert.class
                : statement.startsWith("update") ? Update.class
                : statement.startsWith("delete") ? Delete.class
                : Select.class;
        if (!expected.isInstance(parsed)) {
            throw new IllegalStateException(statement + " parsed as " + parsed.getClass().getName()
                    + ", expected " + expected.getName());
        }
        try {
            CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement();
        } catch (ParseException e) {
            System.err.println("NOTE: " + statement + " needs the complex-parsing fallback: " + e.getMessage());
        }
    }

    /**
     * The parse path the driver uses: simple parsing first, complex parsing only if that fails.
     */
    static Statement parse(String sql) throws ParseException {
        try {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement();
        } catch (ParseException simpleFailed) {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true).Statement();
        }
    }

    @Benchmark
    public Statement parse() throws ParseException {
        return parse(sql);
    }
}
