package dev.dualwrite.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriteCacheTest {
    private static Rewrite cached(RewriteCache c, RuleSet r, Dialect d, String sql) {
        return c.rewrite(sql, r, d, ReadChoice.defaults(r), RewriterTest.USERS);
    }

    private static void assertSameRewrite(Rewrite expected, Rewrite actual) {
        assertEquals(expected.kind(), actual.kind());
        assertEquals(expected.sql(), actual.sql());
        assertNull(actual.parameterMap());
        assertEquals(expected.touched(), actual.touched());
        assertEquals(expected.dualWrite(), actual.dualWrite());
        assertEquals(expected.readsNew(), actual.readsNew());
        assertEquals(expected.isQuery(), actual.isQuery());
    }

    @Test
    void statementsDifferingOnlyInLiteralsShareOnePlan() throws Exception {
        RuleSet r = RewriterTest.rules("migrate", "new", "        to_new: \"upper({})\"\n        to_old: \"lower({})\"\n");
        for (Dialect d : Dialect.values()) {
            RewriteCache c = new RewriteCache(1_000_000);
            for (int i = 0; i < 2_000; i++) {
                String update = "UPDATE users SET user_name = 'n" + i + "' WHERE id = " + i;
                String select = "SELECT id, user_name FROM users u WHERE u.user_name = 'n" + i + "' AND id IN (" + i
                        + ", " + (i + 1) + ")";
                assertSameRewrite(Rewriter.rewrite(update, r, d, ReadChoice.defaults(r), RewriterTest.USERS),
                        cached(c, r, d, update));
                assertSameRewrite(Rewriter.rewrite(select, r, d, ReadChoice.defaults(r), RewriterTest.USERS),
                        cached(c, r, d, select));
            }
            // one shape per statement kind, nothing per text
            assertEquals(2, c.size(), d.toString());
            String x = cached(c, r, d, "UPDATE users SET user_name = 'x' WHERE id = 1").sql();
            assertTrue(x.contains("upper(('x'))") && x.endsWith("WHERE id = 1"), x);
        }
    }

    @Test
    void aPreparedStatementWithTheShapesTextUsesTheSameEntry() throws Exception {
        RuleSet r = RewriterTest.rules("expand", null, "");
        RewriteCache c = new RewriteCache(1_000_000);
        Rewrite literal = cached(c, r, Dialect.POSTGRESQL, "INSERT INTO users (id, user_name) VALUES (1, 'a')");
        assertEquals("INSERT INTO users (id, user_name, display_name) VALUES (1, 'a', ('a'))", literal.sql());
        Rewrite prepared = cached(c, r, Dialect.POSTGRESQL, "INSERT INTO users (id, user_name) VALUES (?, ?)");
        assertEquals("INSERT INTO users (id, user_name, display_name) VALUES (?, ?, (?))", prepared.sql());
        assertEquals(3, prepared.parameterMap().length);
        assertSame(prepared, cached(c, r, Dialect.POSTGRESQL, "INSERT INTO users (id, user_name) VALUES (?, ?)"));
        assertEquals(1, c.size());
    }

    @Test
    void aShapeIsSharedOnlyByLiteralsOfTheSameKinds() throws Exception {
        // a string then a number in the same place: each must get its own rewrite, as if uncached
        RuleSet r = RewriterTest.rules("migrate", "old", "        values: { A: active }\n");
        for (Dialect d : Dialect.values()) {
            RewriteCache c = new RewriteCache(1_000_000);
            for (String sql : List.of("UPDATE users SET user_name = 'x' WHERE id = 1",
                    "UPDATE users SET user_name = 'y' WHERE id = 2", "UPDATE users SET user_name = 7 WHERE id = 3",
                    "UPDATE users SET user_name = 'z' WHERE id = 4", "UPDATE users SET user_name = 8 WHERE id = 5")) {
                assertSameRewrite(Rewriter.rewrite(sql, r, d, ReadChoice.defaults(r), RewriterTest.USERS),
                        cached(c, r, d, sql));
            }
        }
    }

    @Test
    void aShapeThatDoesNotRewriteLikeItsStatementIsNotShared() throws Exception {
        RuleSet r = RewriterTest.rules("expand", null, "");
        RewriteCache c = new RewriteCache(1_000_000);
        // the shape "... = ? 'b'" does not parse, while each statement's own text decides for itself
        for (int i = 0; i < 3; i++) {
            String sql = "UPDATE users SET user_name = 'a" + i + "' 'b' WHERE id = 1";
            Rewrite direct = Rewriter.rewrite(sql, r, Dialect.MYSQL, ReadChoice.defaults(r), RewriterTest.USERS);
            Rewrite viaCache = cached(c, r, Dialect.MYSQL, sql);
            assertEquals(direct.kind(), viaCache.kind());
            assertEquals(direct.sql(), viaCache.sql());
            assertEquals(direct.reason(), viaCache.reason());
        }
    }

    @Test
    void aReloadOrAFlipIsNeverServedAStalePlan() throws Exception {
        RuleSet expand = RewriterTest.rules("expand", null, "");
        RuleSet flipped = RewriterTest.rules("migrate", "new", "");
        RewriteCache c = new RewriteCache(1_000_000);
        String sql = "SELECT user_name FROM users WHERE id = 3";
        assertEquals(sql, cached(c, expand, Dialect.POSTGRESQL, sql).sql());
        assertTrue(cached(c, flipped, Dialect.POSTGRESQL, sql).sql().contains("display_name"));
        assertTrue(cached(c, flipped, Dialect.POSTGRESQL, "SELECT user_name FROM users WHERE id = 4").sql()
                .contains("display_name"));
    }
}
