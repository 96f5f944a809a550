package dev.dualwrite.rewrite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LiteralsTest {
    private static String shape(String sql) {
        Literals l = Literals.lift(sql, false);
        return l == null ? null : l.shape();
    }

    private static String shapeMy(String sql) {
        Literals l = Literals.lift(sql, true);
        return l == null ? null : l.shape();
    }

    @Test
    void liftsValuesAfterComparisonsAndInRowsAndLists() {
        assertEquals("SELECT id FROM users WHERE id = ? AND name <> ? AND score >= ?",
                shape("SELECT id FROM users WHERE id = 17 AND name <> 'x''y' AND score >= 1.5e3"));
        assertEquals("INSERT INTO users (id, name) VALUES (?, ?), (?, ?)",
                shape("INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b')"));
        assertEquals("DELETE FROM users WHERE id IN (?, ?, ?) OR name LIKE ?",
                shape("DELETE FROM users WHERE id IN (1, 2, 3) OR name LIKE 'a%'"));
        assertEquals("UPDATE users SET name = ?, score = ? WHERE id = ?",
                shape("UPDATE users SET name = 'n', score = 3 WHERE id = 4"));
        assertEquals("SELECT * FROM t WHERE d = ?::date", shape("SELECT * FROM t WHERE d = '2020-01-01'::date"));
    }

    @Test
    void leavesLiteralsWhoseMeaningIsNotAValue() {
        // ordinals, limits, typed and prefixed literals, signs, arguments, select items
        assertNull(shape("SELECT a, b FROM t ORDER BY 2, 1 LIMIT 10 OFFSET 5"));
        assertNull(shape("SELECT a FROM t GROUP BY 1 HAVING count(*) > 2"));
        assertNull(shape("SELECT 1, 'x' FROM t WHERE d = DATE '2020-01-01' AND e = E'a\\\\b' AND f = -3"));
        assertNull(shape("SELECT substring(a, 1, 2) FROM t WHERE b = lower('X') AND c = ANY('{1,2}')"));
        assertNull(shape("SELECT a FROM t1 WHERE t1.x = t2.y AND z = x1"));
        assertNull(shapeMy("SELECT a FROM t WHERE b = 0x1F AND c = 1abc AND @v := 5"));
        assertNull(shape("SELECT a FROM t FETCH FIRST 5 ROWS ONLY"));
        // in ORDER BY of a subquery, but a value again outside it
        assertEquals("SELECT * FROM (SELECT a FROM t ORDER BY 1 LIMIT 3) s WHERE a = ?",
                shape("SELECT * FROM (SELECT a FROM t ORDER BY 1 LIMIT 3) s WHERE a = 5"));
    }

    @Test
    void leavesTextWithPlaceholdersCommentsAndQuotedNamesAlone() {
        assertNull(shape("SELECT a FROM t WHERE b = ? AND c = 5"));
        assertEquals("SELECT \"x = 1\" FROM t /* = 2 */ WHERE a = ? -- = 3\n",
                shape("SELECT \"x = 1\" FROM t /* = 2 */ WHERE a = '?' -- = 3\n"));
        assertEquals("SELECT a FROM t WHERE b = $$ = 1 $$ AND c = ?", shape("SELECT a FROM t WHERE b = $$ = 1 $$ AND c = 2"));
        assertNull(shape("SELECT a FROM t WHERE b = 'unterminated"));
    }

    @Test
    void mysqlStringsKeepTheirBackslashes() {
        Literals l = Literals.lift("UPDATE t SET a = 'it\\'s', b = \"dq\" WHERE id = 3", true);
        assertEquals("UPDATE t SET a = ?, b = \"dq\" WHERE id = ?", l.shape());
        assertEquals("x 'it\\'s' y 3", l.fill("x ? y ?", new int[] {2, 6}, null));
    }

    @Test
    void fillsPlaceholdersFromTheMap() {
        Literals l = Literals.lift("UPDATE users SET user_name = 'n' WHERE id = 4", false);
        String template = "UPDATE users SET display_name = (?), user_name = ? WHERE id = ?";
        int[] slots = Literals.slots(template, false);
        assertArrayEquals(new int[] {33, 49, 62}, slots);
        assertEquals("UPDATE users SET display_name = ('n'), user_name = 'n' WHERE id = 4",
                l.fill(template, slots, new int[] {1, 1, 2}));
        assertArrayEquals(new int[] {}, Literals.slots("SELECT '?' \"?\" /* ? */", false));
    }
}
