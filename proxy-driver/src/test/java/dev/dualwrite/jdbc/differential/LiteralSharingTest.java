package dev.dualwrite.jdbc.differential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.ReadChoice;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.RewriteCache;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rewrite.internal.Literals;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rewrite cache lets statements that differ only in literals share one plan. For every corpus
 * statement with literals, in every phase and dialect, a copy with other literals must get from the cache
 * exactly what the rewriter gives for it directly (the database-level proof is the differential suites,
 * which run through the same cache).
 */
class LiteralSharingTest {
    @Test
    void columnCorpus() throws Exception {
        check(new ColumnFixture(), "/differential/columns.corpus", 800);
    }

    @Test
    void moveCorpus() throws Exception {
        check(new MoveFixture(), "/differential/moves.corpus", 40);
    }

    private static void check(Fixture fixture, String corpus, int minShared) throws Exception {
        List<Corpus.Case> cases = Corpus.load(corpus);
        int shared = 0;
        for (Phase phase : Phase.values()) {
            RuleSet rules = RuleLoader.parse(fixture.ruleFile(phase), "rules.yaml");
            for (Engine engine : Engine.values()) {
                Dialect dialect = engine == Engine.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MYSQL;
                RewriteCache cache = new RewriteCache(10_000_000);
                for (Corpus.Case c : cases) {
                    String sql = c.sql.replace("${schema}", "s1");
                    Literals literals = Literals.lift(sql, dialect == Dialect.MYSQL);
                    if (!c.runsOn(engine) || literals == null) {
                        continue;
                    }
                    String where = corpus + ":" + c.line + " " + phase + " " + engine + ": ";
                    assertSame(where, direct(sql, rules, dialect), cached(cache, sql, rules, dialect));
                    String other = varied(literals, dialect);
                    long before = cache.size();
                    assertSame(where + other, direct(other, rules, dialect), cached(cache, other, rules, dialect));
                    if (cache.size() == before) {
                        shared++;
                    }
                }
            }
        }
        assertTrue(shared >= minShared, corpus + ": only " + shared + " statements shared a plan");
    }

    private static Rewrite direct(String sql, RuleSet rules, Dialect d) {
        return Rewriter.rewrite(sql, rules, d, ReadChoice.defaults(rules), Catalog.NONE);
    }

    private static Rewrite cached(RewriteCache cache, String sql, RuleSet rules, Dialect d) {
        return cache.rewrite(sql, rules, d, ReadChoice.defaults(rules), Catalog.NONE);
    }

    /** The statement with every lifted literal changed: numbers incremented, strings lengthened. */
    private static String varied(Literals literals, Dialect d) {
        String shape = literals.shape();
        String[] values = new String[literals.count()];
        for (int i = 0; i < values.length; i++) {
            String v = literals.value(i);
            if (v.startsWith("'")) {
                values[i] = v.substring(0, v.length() - 1) + "z'";
            } else if (v.matches("[0-9]+")) {
                values[i] = String.valueOf(Long.parseLong(v) + 1);
            } else {
                values[i] = v + "1";
            }
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int j = 0;
        for (int slot : Literals.slots(shape, d == Dialect.MYSQL)) {
            out.append(shape, from, slot).append(values[j++]);
            from = slot + 1;
        }
        return out.append(shape.substring(from)).toString();
    }

    private static void assertSame(String where, Rewrite expected, Rewrite actual) {
        assertEquals(expected.kind(), actual.kind(), where);
        assertEquals(expected.sql(), actual.sql(), where);
        assertArrayEquals(expected.parameterMap(), actual.parameterMap(), where);
        assertEquals(expected.before().toString(), actual.before().toString(), where);
        assertEquals(expected.after().toString(), actual.after().toString(), where);
        assertEquals(expected.touched(), actual.touched(), where);
        assertEquals(expected.dualWrite(), actual.dualWrite(), where);
        assertEquals(expected.readsNew(), actual.readsNew(), where);
        assertEquals(expected.isQuery(), actual.isQuery(), where);
        assertEquals(expected.reason(), actual.reason(), where);
    }
}
