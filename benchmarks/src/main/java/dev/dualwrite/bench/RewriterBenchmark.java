package dev.dualwrite.bench;

import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.ReadChoice;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rewrite.internal.Parsing;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A cache miss: the pure {@code Rewriter.rewrite} (parse, bind every column to its table, rewrite,
 * print; a DELETE has nothing to mirror and is only parsed and bound) for statements as ORMs send them, next to the parse alone with the same entry the rewriter
 * uses. The JSqlParser version is the build's ({@code -Djsqlparser.version=...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Forks.QUIET_SLF4J)
public class RewriterBenchmark {
    private static final List<String> USERS = columns("id", "user_name", "display_name", "email", "first_name",
            "last_name", "phone", "street", "city", "zip", "country", "created_at", "updated_at", "version",
            "status", "locale", "timezone", "referrer", "plan", "score", "note");
    private static final List<String> ORDERS = columns("id", "user_id", "total", "currency", "state", "created_at");

    static final Map<String, String> STATEMENTS = Map.of(
            "hibernate_select",
            "select u1_0.id,u1_0.email,u1_0.user_name,u1_0.version from users u1_0 where u1_0.id=?",
            "hibernate_insert_10",
            "insert into users (city,country,created_at,email,first_name,last_name,phone,user_name,version,id)"
                    + " values (?,?,?,?,?,?,?,?,?,?)",
            "insert_20",
            "INSERT INTO users (id, user_name, email, first_name, last_name, phone, street, city, zip, country,"
                    + " created_at, updated_at, version, status, locale, timezone, referrer, plan, score, note)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "hibernate_update",
            "update users set email=?,updated_at=?,user_name=?,version=? where id=? and version=?",
            "join_2",
            "select o1_0.id,o1_0.total,u1_0.user_name from orders o1_0 join users u1_0 on u1_0.id=o1_0.user_id"
                    + " where u1_0.user_name=? and o1_0.state=?",
            "delete",
            "delete from users where id=? and version=?");

    @Param({"hibernate_select", "hibernate_insert_10", "insert_20", "hibernate_update", "join_2", "delete"})
    public String statement;

    private String sql;
    private RuleSet rules;
    private ReadChoice reads;
    private final Catalog catalog = new Catalog() {
        @Override
        public List<String> columns(String schema, String table) {
            return table.equals("users") ? USERS : table.equals("orders") ? ORDERS : null;
        }

        @Override
        public String currentSchema() {
            return "public";
        }
    };

    @Setup
    public void setUp() throws Exception {
        sql = STATEMENTS.get(statement);
        rules = RuleLoader.parse(BenchRules.YAML, "rules.yaml");
        reads = ReadChoice.defaults(rules);
        Rewrite r = rewrite();
        if (r.kind() == Rewrite.Kind.REJECTED || r.touched().isEmpty()) {
            throw new IllegalStateException(statement + " was not handled: " + r.kind() + " " + r.reason());
        }
    }

    @Benchmark
    public Rewrite rewrite() {
        return Rewriter.rewrite(sql, rules, Dialect.POSTGRESQL, reads, catalog, false);
    }

    @Benchmark
    public Object parseOnly() throws Exception {
        return Parsing.statement(sql, Dialect.POSTGRESQL);
    }

    private static List<String> columns(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
