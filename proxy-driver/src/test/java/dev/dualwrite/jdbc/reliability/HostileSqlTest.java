package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile statements on the migrated tables ({@link HostileSql}). The rewriter alone, in every phase that
 * writes both sides and with old and new reads, always answers REWRITTEN, PASS_THROUGH or REJECTED with a
 * reason, never an exception; through the driver on real databases, in auto-commit, the application only
 * ever sees SQLExceptions, and after every statement old and new still agree, read back raw (so whatever
 * was rewritten was rewritten right). Very long IN lists and deep nesting are handled or rejected in
 * bounded time.
 */
class HostileSqlTest {
    private static final AtomicInteger GENERATED = new AtomicInteger();
    private static final AtomicInteger EXECUTED = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final Map<Engine, Target> TARGETS = new EnumMap<>(Engine.class);
    private static final List<RuleSet> RULES = List.of(rules(MigratedTables.expand()),
            rules(MigratedTables.ruleFile("migrate", "new", "migrate", "new")),
            rules(MigratedTables.ruleFile("contract", null, "contract", null)));

    /** One migrated database per engine, shared by the tries. */
    private static final class Target {
        final TestDatabase db;
        final Connection driver;

        Target(Engine engine) throws Exception {
            db = Databases.fresh(engine);
            MigratedTables.create(db);
            Path dir = Files.createTempDirectory("dualwrite-hostile");
            driver = new RuleFile(dir, "hostile-sql", db, MigratedTables.expand()).connect();
        }
    }

    private static RuleSet rules(String text) {
        try {
            return RuleLoader.parse(text, "hostile-sql.yaml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void report() throws SQLException {
        for (Target t : TARGETS.values()) {
            t.driver.close();
        }
        TARGETS.clear();
        System.out.println("[reliability] hostile SQL generated=" + GENERATED + " executed through the driver="
                + EXECUTED + " rejected 0A000=" + REJECTED + " divergences=0");
    }

    @Property(tries = 400, seed = "20261207")
    void theRewriterNeverThrows(@ForAll long seed) {
        for (Engine engine : Engine.values()) {
            String sql = new HostileSql(seed, engine).next();
            GENERATED.incrementAndGet();
            Dialect dialect = engine == Engine.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MYSQL;
            for (RuleSet rules : RULES) {
                Rewrite r;
                try {
                    r = Rewriter.rewrite(sql, rules, dialect);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("the rewriter threw on " + sql, e);
                }
                assertNotNull(r.kind());
                if (r.kind() == Rewrite.Kind.REJECTED) {
                    assertFalse(r.rejectionMessage().isBlank(), sql);
                }
                Statistics.label("rewrite").collect(r.kind());
            }
        }
    }

    @Property(tries = 150, seed = "20261207")
    void postgresqlOnlySqlExceptionsAndNoDivergence(@ForAll long seed) throws Exception {
        throughTheDriver(Engine.POSTGRESQL, seed);
    }

    @Property(tries = 150, seed = "20261207")
    void mysqlOnlySqlExceptionsAndNoDivergence(@ForAll long seed) throws Exception {
        throughTheDriver(Engine.MYSQL, seed);
    }

    private static void throughTheDriver(Engine engine, long seed) throws Exception {
        Target t = target(engine);
        String sql = new HostileSql(seed, engine).next();
        GENERATED.incrementAndGet();
        EXECUTED.incrementAndGet();
        String outcome = execute(t.driver, sql);
        Statistics.label("outcome").collect(outcome);
        assertEquals(List.of(), MigratedTables.divergences(t.db), () -> "old and new diverged after " + sql);
    }

    /** "ok", "0A000" or "database error"; any other exception fails the test. */
    private static String execute(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
            return "ok";
        } catch (SQLException e) {
            if ("0A000".equals(e.getSQLState())) {
                REJECTED.incrementAndGet();
                return "0A000";
            }
            return "database error";
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("not an SQLException for " + sql, e);
        }
    }

    private static synchronized Target target(Engine engine) throws Exception {
        Target t = TARGETS.get(engine);
        if (t == null) {
            t = new Target(engine);
            TARGETS.put(engine, t);
        }
        return t;
    }

    /** 10,000 values in one IN list, hundreds of levels of nesting: handled or 0A000, never a hang. */
    @BothEngines
    void hugeInListsAndDeepNestingAreBounded(Engine engine) throws Exception {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            in.append(i == 0 ? "" : ", ").append(i);
        }
        List<String> statements = List.of(
                "SELECT id, user_name FROM users WHERE id IN (" + in + ")",
                "UPDATE users SET score = score + 1 WHERE id IN (" + in + ")",
                "DELETE FROM orders WHERE id IN (" + in + ") AND amount < 0",
                "SELECT user_name FROM users WHERE " + "(".repeat(500) + "id = 1" + ")".repeat(500),
                "UPDATE orders SET amount = amount + 1 WHERE " + "(".repeat(150) + "id = 2" + ")".repeat(150),
                "SELECT user_name FROM users WHERE id = " + "(SELECT ".repeat(120) + "1" + ")".repeat(120),
                // shapes that send parsers backtracking: a syntax error deep inside, long chains, nested calls
                "SELECT user_name FROM users WHERE " + "(".repeat(190) + "id = 1 +" + ")".repeat(190),
                "SELECT user_name FROM users WHERE " + "(id = 1 AND ".repeat(150) + "1 = 1" + ")".repeat(150),
                "SELECT user_name FROM users WHERE " + "coalesce(".repeat(150) + "1" + ", 2)".repeat(150) + " = 1",
                "UPDATE users SET user_name = " + "(".repeat(150) + "'x'" + ")".repeat(150) + " WHERE id = 3");
        Target t = target(engine);
        for (String sql : statements) {
            GENERATED.incrementAndGet();
            EXECUTED.incrementAndGet();
            // a guard against a hang, not a performance assertion
            String outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> execute(t.driver, sql),
                    () -> "no answer within 60 s for " + sql.substring(0, 80));
            assertFalse(outcome.equals("database error") && !sql.contains("(SELECT "), outcome + ": " + sql.substring(0, 80));
            // and the rewriter alone in every phase, reads new included
            Dialect dialect = engine == Engine.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MYSQL;
            StringBuilder kinds = new StringBuilder();
            for (RuleSet rules : RULES) {
                Rewrite r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Rewriter.rewrite(sql, rules, dialect));
                kinds.append(' ').append(r.kind());
            }
            System.out.println("[reliability] " + engine + " " + sql.length() + " chars, " + sql.substring(0, 40)
                    + "...: through the driver " + outcome + "; rewriter (expand, migrate/new, contract)" + kinds);
            assertEquals(List.of(), MigratedTables.divergences(t.db));
        }
    }
}
