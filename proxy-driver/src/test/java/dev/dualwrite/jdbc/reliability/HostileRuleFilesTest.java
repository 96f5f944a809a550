package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Generated rule files, from random bytes to near-valid files with wrong types, unknown keys, duplicate
 * ids, moves onto each other's table and expressions that try to smuggle a second statement or a comment
 * into the rewritten SQL: each one is accepted, or rejected with a RuleFileException naming the file and
 * the problem; nothing else is ever thrown. An accepted file never lets a smuggled piece into the SQL.
 */
class HostileRuleFilesTest {
    private static final String FILE = "hostile.yaml";
    private static final AtomicInteger GENERATED = new AtomicInteger();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    /** Expressions for to_new / to_old; the ones after the first four try to smuggle something. */
    private static final List<String> EXPRESSIONS = List.of("{}", "lower({})", "{} + 1", "coalesce({}, 'x')",
            "{}; DROP TABLE users", "{} -- rest", "{} /* open", "{}) OR (1 = 1", "'{}'", "{}); DELETE FROM users; --",
            "{} # mysql comment", "$${}$$", "{}\\", "\"{}\"", "", "{}{}", "1", "(SELECT {} FROM users)", "{} ; ",
            "'it''s' || {}", "/* x */ {}", "{}\n-- two lines");

    @AfterContainer
    static void report() {
        System.out.println("[reliability] hostile rule files generated=" + GENERATED + " accepted=" + ACCEPTED
                + " rejected=" + (GENERATED.get() - ACCEPTED.get()) + " other exceptions=0");
    }

    @Property(tries = 300, seed = "20261207")
    void nearValidFilesAreAcceptedOrRejectedWithTheProblem(@ForAll("ruleFiles") String text) {
        check(text);
    }

    @Property(tries = 200, seed = "20261207")
    void randomTextIsRejectedWithTheProblem(@ForAll("junk") String text) {
        check(text);
    }

    /** Two rules moving to each other's table: a cycle, rejected by name. */
    @Test
    void movesOntoEachOthersTableAreRejected() {
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleLoader.parse("version: 1\nmigrations:\n"
                + "  - { id: a, table: t1, to_table: t2, phase: expand, columns: {} }\n"
                + "  - { id: b, table: t2, to_table: t1, phase: expand, columns: {} }\n", FILE));
        assertTrue(e.getMessage().contains(FILE + ":") && e.getMessage().contains("cycles"), e.getMessage());
    }

    private static void check(String text) {
        GENERATED.incrementAndGet();
        RuleSet rules;
        try {
            rules = RuleLoader.parse(text, FILE);
        } catch (RuleFileException e) {
            assertFalse(e.problems().isEmpty(), "a rejection says why");
            for (RuleFileException.Problem p : e.problems()) {
                assertEquals(FILE, p.file(), e.getMessage());
                assertFalse(p.message().isBlank(), e.getMessage());
                Statistics.label("rejected with a line").collect(p.line() > 0);
            }
            assertTrue(e.getMessage().startsWith(FILE), e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("not a RuleFileException for:\n" + text, e);
        }
        ACCEPTED.incrementAndGet();
        Statistics.label("rejected with a line").collect("accepted");
        // whatever the file's expressions are, the SQL the driver sends is one statement without comments
        for (String sql : List.of("UPDATE users SET user_name = ?, score = ? WHERE id = 1",
                "INSERT INTO orders (id, user_id, amount, status) VALUES (1, 2, 3, 'A')",
                "SELECT user_name, score FROM users")) {
            for (Dialect d : Dialect.values()) {
                Rewrite r = Rewriter.rewrite(sql, rules, d);
                if (r.kind() == Rewrite.Kind.REWRITTEN) {
                    String out = r.sql();
                    assertFalse(out.contains(";") || out.contains("--") || out.contains("/*") || out.contains("#"),
                            "smuggled into " + out + "\nby\n" + text);
                }
            }
        }
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]:-,&*!|>'\"%@` \n\t#?abcv1").ofMaxLength(120),
                Arbitraries.strings().withChars("ver sion:1\nmigrat-[]{}&*").ofMaxLength(80).map(s -> "version: 1\n" + s));
    }

    @Provide
    Arbitrary<String> ruleFiles() {
        Arbitrary<String> scalar = Arbitraries.of("users", "orders", "orders_v2", "\"Users\"", "`orders`", "s.users",
                "1", "true", "null", "[]", "{}", "[a, b]", "{a: 1}", "'x'", "\"\"", "ümlaut", "用户", "a b", "users;");
        Arbitrary<String> id = Arbitraries.of("r1", "r2", "r1", "bad id", "", "r-3_x", "1", "[x]");
        Arbitrary<String> phase = Arbitraries.of("expand", "migrate", "contract", "off", "EXPAND", "flip", "1", "[]");
        Arbitrary<String> reads = Arbitraries.of("old", "new", "shadow", "shadow:0", "shadow:50", "shadow:101",
                "canary:1", "canary:100", "canary:-1", "canary:x", "sideways", "[]");
        Arbitrary<String> expression = Arbitraries.of(EXPRESSIONS).map(HostileRuleFilesTest::quoted);
        Arbitrary<String> column = Combinators.combine(Arbitraries.of("user_name", "score", "status", "amount",
                "user_id", "display_name", "\"Weird\"", "id"), Arbitraries.of("display_name", "points", "state", "cents",
                "user_name", "customer_id", "x y"), expression, expression, Arbitraries.integers().between(0, 7))
                .as((c, to, tn, to2, mode) -> {
                    switch (mode) {
                        case 0: return "      " + c + ": { to: " + to + " }\n";
                        case 1: return "      " + c + ": { to: " + to + ", to_new: " + tn + ", to_old: " + to2 + " }\n";
                        case 2: return "      " + c + ": { to: " + to + ", values: { A: active, C: " + tn + " } }\n";
                        case 3: return "      " + c + ": { drop: true }\n";
                        case 4: return "      " + c + ": " + to + "\n"; // wrong type: a scalar
                        case 5: return "      " + c + ": { to: " + to + ", unknown_key: 1 }\n";
                        case 6: return "      " + c + ": { to_new: " + tn + " }\n";
                        default: return "      " + c + ": [" + to + "]\n";
                    }
                });
        Arbitrary<String> migration = Combinators.combine(id, scalar, Arbitraries.of("", "orders_v2", "users", "orders",
                "s.users"), phase, reads.injectNull(0.4), column.list().ofMaxSize(3), Arbitraries.integers().between(0, 9))
                .as((i, table, toTable, p, r, cols, extra) -> "  - id: " + i + "\n    table: " + table + "\n"
                        + (toTable.isEmpty() ? "" : "    to_table: " + toTable + "\n")
                        + "    phase: " + p + "\n" + (r == null ? "" : "    reads: " + r + "\n")
                        + (extra == 0 ? "    colour: blue\n" : extra == 1 ? "    key: [id]\n" : extra == 2 ? "    key: id\n" : "")
                        + (extra == 3 ? "    columns: 7\n" : "    columns:\n" + String.join("", cols)));
        return Combinators.combine(Arbitraries.of("version: 1\n", "version: 2\n", "", "version: [1]\n", "version: '1'\n"),
                Arbitraries.of("", "on_unparseable: pass\n", "on_unparseable: maybe\n", "extra: 1\n"),
                migration.list().ofMaxSize(3), Arbitraries.integers().between(0, 4))
                .as((v, on, ms, shape) -> v + on + (shape == 0 ? "migrations: {}\n" : shape == 1 ? "migrations:\n"
                        : "migrations:\n" + String.join("", ms)));
    }

    private static String quoted(String expression) {
        return "\"" + expression.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
