package dev.dualwrite.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriterTest {
    static RuleSet rules(String phase, String reads, String extra) throws Exception {
        return RuleLoader.parse("version: 1\nmigrations:\n  - id: users-display-name\n    table: users\n"
                + "    phase: " + phase + "\n" + (reads == null ? "" : "    reads: " + reads + "\n")
                + "    columns:\n      user_name:\n        to: display_name\n" + extra, "rules.yaml");
    }

    static final Catalog USERS = new Catalog() {
        @Override
        public List<String> columns(String schema, String table) {
            switch (table) {
                case "users": return List.of("id", "user_name", "email", "display_name");
                case "orders": return List.of("id", "user_id", "status");
                default: return null;
            }
        }

        @Override
        public String currentSchema() {
            return "public";
        }
    };

    static Rewrite pg(RuleSet r, String sql) {
        return Rewriter.rewrite(sql, r, Dialect.POSTGRESQL, ReadChoice.defaults(r), USERS);
    }

    static Rewrite my(RuleSet r, String sql) {
        return Rewriter.rewrite(sql, r, Dialect.MYSQL, ReadChoice.defaults(r), USERS);
    }

    @Test
    void unrelatedStatementsPassThroughUnparsed() throws Exception {
        RuleSet r = rules("expand", null, "");
        Rewrite w = pg(r, "SELECT * FROM orders WHERE id = ?");
        assertEquals(Rewrite.Kind.PASS_THROUGH, w.kind());
        assertTrue(w.touched().isEmpty());
        assertEquals("ALTER TABLE users ADD COLUMN display_name text",
                pg(r, "ALTER TABLE users ADD COLUMN display_name text").sql());
    }

    @Test
    void insertMirrorsParameterBoundTwice() throws Exception {
        Rewrite w = pg(rules("expand", null, ""), "INSERT INTO users (id, user_name) VALUES (?, ?)");
        assertEquals(Rewrite.Kind.REWRITTEN, w.kind());
        assertEquals("INSERT INTO users (id, user_name, display_name) VALUES (?, ?, (?))", w.sql());
        assertArrayEquals(new int[] {1, 2, 2}, w.parameterMap());
        assertTrue(w.dualWrite());
    }

    @Test
    void mysqlInsertMirrorReadsTheColumnJustSet() throws Exception {
        Rewrite w = my(rules("expand", null, "        to_new: \"lower({})\"\n        to_old: \"{}\"\n"),
                "INSERT INTO users (id, user_name) VALUES (?, ?), (?, ?)");
        assertEquals("INSERT INTO users (id, user_name, display_name) VALUES (?, ?, (lower((user_name)))), "
                + "(?, ?, (lower((user_name))))", w.sql());
        assertNull(w.parameterMap());
    }

    @Test
    void updateMirrorsPerDialect() throws Exception {
        RuleSet r = rules("migrate", "old", "        values: { A: active, C: cancelled }\n");
        Rewrite p = pg(r, "UPDATE users SET user_name = upper(user_name) WHERE id = ?");
        assertEquals("UPDATE users SET display_name = (CASE CAST(upper(user_name) AS VARCHAR) WHEN 'A' THEN 'active'"
                + " WHEN 'C' THEN 'cancelled' ELSE CAST(upper(user_name) AS VARCHAR) END), user_name = upper(user_name)"
                + " WHERE id = ?", p.sql());
        // MySQL too: the mirror goes first and repeats the value, so that it sees the row the original sees
        // whether the engine assigns left to right or (multi-table, or MariaDB with a subquery) from the old row.
        Rewrite m = my(r, "UPDATE users SET user_name = ? WHERE id = ?");
        // compared exactly, as the old column stores it: MySQL would take 0 = 'A' and 'a' = 'A' as true
        assertEquals("UPDATE users SET display_name = (CASE CAST(CONVERT(? USING utf8mb4) AS BINARY) WHEN 'A' THEN 'active' WHEN"
                + " 'C' THEN 'cancelled' ELSE (?) END), user_name = ? WHERE id = ?", m.sql());
        assertArrayEquals(new int[] {1, 1, 1, 2}, m.parameterMap());
        Rewrite q = pg(r, "UPDATE users SET user_name = ? WHERE id = ?");
        assertArrayEquals(new int[] {1, 1, 1, 2}, q.parameterMap());
    }

    @Test
    void aTextKeyOutsideAsciiIsComparedInUtf8mb4OnMysql() throws Exception {
        RuleSet r = rules("migrate", "old", "        values: { 'é': accented, A: active }\n");
        assertEquals("UPDATE users SET display_name = (CASE CAST(CONVERT(? USING utf8mb4) AS BINARY) WHEN"
                + " CONVERT('é' USING utf8mb4) THEN 'accented' WHEN 'A' THEN 'active' ELSE (?) END), user_name = ?"
                + " WHERE id = ?", my(r, "UPDATE users SET user_name = ? WHERE id = ?").sql());
    }

    @Test
    void whatFollowsTheStatementsSemicolonIsKept() throws Exception {
        // the drivers run "; -- c" as a second, empty statement, whose update count the application may read
        RuleSet r = rules("migrate", "old", "");
        assertEquals("UPDATE users SET display_name = (?), user_name = ? WHERE id = 1; -- done",
                my(r, "UPDATE users SET user_name = ? WHERE id = 1 ; -- done").sql());
        assertEquals("/* tag */ UPDATE users SET display_name = (?), user_name = ? WHERE id = 1;",
                my(r, "/* tag */ UPDATE users SET user_name = ? WHERE id = 1;").sql());
    }

    @Test
    void aNumberWrittenToAValueMappedTextColumnIsMappedAsText() throws Exception {
        RuleSet r = rules("migrate", "old", "        values: { A: active, C: cancelled }\n");
        assertEquals("UPDATE users SET display_name = (CASE CAST(0 AS VARCHAR) WHEN 'A' THEN 'active' WHEN"
                + " 'C' THEN 'cancelled' ELSE CAST(0 AS VARCHAR) END), user_name = 0 WHERE id = 1", pg(r, "UPDATE users SET user_name = 0 WHERE id = 1").sql());
        assertEquals("UPDATE users SET display_name = (CASE CAST(CONVERT(0 USING utf8mb4) AS BINARY) WHEN 'A' THEN 'active'"
                + " WHEN 'C' THEN 'cancelled'"
                + " ELSE (0) END), user_name = 0 WHERE id = 1", my(r, "UPDATE users SET user_name = 0 WHERE id = 1").sql());
    }

    @Test
    void aDollarQuoteTheServerWouldNotReadAsOneIsRejected() throws Exception {
        RuleSet r = rules("migrate", "new", "");
        for (Rewrite w : List.of(my(r, "SELECT user_name FROM users $$ ? SET 1 JOIN users"),
                my(r, "UPDATE users SET user_name = 'x' WHERE id = 1 $$"))) {
            assertEquals(Rewrite.Kind.REJECTED, w.kind());
            assertTrue(w.rejectionMessage().contains("dollar quote"), w.rejectionMessage());
        }
        Rewrite p = pg(r, "SELECT user_name FROM users WHERE user_name = $$a$$");
        assertEquals("SELECT users.display_name AS user_name FROM users WHERE users.display_name = $$a$$", p.sql());
        assertEquals(Rewrite.Kind.REJECTED, pg(r, "SELECT user_name FROM users $$ ? SET 1 JOIN users").kind());
    }

    @Test
    void aCommentInsideACommentIsRejectedOnMysqlAndUnterminatedOnPostgresql() throws Exception {
        // MySQL ends the comment at the first */, the parser nests: it would drop the WHERE and delete every row
        RuleSet r = rules("migrate", "old", "");
        Rewrite m = my(r, "DELETE FROM users /* a /* b */ WHERE id = 1");
        assertEquals(Rewrite.Kind.REJECTED, m.kind());
        assertTrue(m.rejectionMessage().contains("inside a comment"), m.rejectionMessage());
        // PostgreSQL nests as the parser does: this comment never ends (the server refuses it too)
        assertEquals(Rewrite.Kind.REJECTED, pg(r, "DELETE FROM users /* a /* b */ WHERE id = 1").kind());
        Rewrite p = pg(r, "UPDATE users /* a /* b */ c */ SET user_name = ? WHERE id = 1");
        assertEquals("UPDATE users SET display_name = (?), user_name = ? WHERE id = 1", p.sql());
    }

    @Test
    void mysqlRejectsATableNameThatDiffersFromTheRuleOnlyByCase() throws Exception {
        RuleSet r = rules("migrate", "old", "");
        Rewrite m = my(r, "UPDATE USERS SET user_name = 'x' WHERE id = 1");
        assertEquals(Rewrite.Kind.REJECTED, m.kind());
        assertTrue(m.rejectionMessage().contains("only by case"), m.rejectionMessage());
        assertEquals(Rewrite.Kind.REWRITTEN, pg(r, "UPDATE USERS SET user_name = 'x' WHERE id = 1").kind());
        assertEquals(Rewrite.Kind.REWRITTEN, my(r, "UPDATE `users` SET user_name = 'x' WHERE id = 1").kind());
    }

    @Test
    void volatileValuesAreRejectedNotDuplicated() throws Exception {
        Rewrite w = pg(rules("expand", null, ""), "UPDATE users SET user_name = md5(random()::text)");
        assertEquals(Rewrite.Kind.REJECTED, w.kind(), w.sql());
        assertTrue(w.reason().contains("random()"), w.reason());
    }

    @Test
    void readsFlipKeepLabels() throws Exception {
        RuleSet r = rules("migrate", "new", "        to_new: \"lower({})\"\n        to_old: \"upper({})\"\n");
        Rewrite w = pg(r, "SELECT u.id, u.user_name FROM users u JOIN orders o ON o.user_id = u.id"
                + " WHERE u.user_name = ? ORDER BY user_name");
        assertEquals("SELECT u.id, (upper((u.display_name))) AS user_name FROM users u JOIN orders o ON o.user_id = u.id"
                + " WHERE (upper((u.display_name))) = ? ORDER BY user_name", w.sql());
        assertTrue(w.readsNew());
        Rewrite star = pg(r, "SELECT * FROM users WHERE id = 1");
        // The column the migration added is left out, so that nothing after it changes position.
        assertEquals("SELECT users.\"id\", (upper((users.display_name))) AS \"user_name\", users.\"email\""
                + " FROM users WHERE id = 1", star.sql());
    }

    @Test
    void unqualifiedNameInJoinUsesMetadata() throws Exception {
        RuleSet r = rules("migrate", "new", "");
        Rewrite w = pg(r, "SELECT user_name, status FROM users JOIN orders ON orders.user_id = users.id");
        assertEquals("SELECT users.display_name AS user_name, status FROM users JOIN orders ON orders.user_id = users.id",
                w.sql());
        Rewrite none = Rewriter.rewrite("SELECT user_name FROM users JOIN other ON other.id = users.id", r,
                Dialect.POSTGRESQL, ReadChoice.defaults(r), USERS);
        assertEquals(Rewrite.Kind.REJECTED, none.kind());
    }

    @Test
    void contractMapsEveryStatement() throws Exception {
        RuleSet r = rules("contract", null, "");
        assertEquals("INSERT INTO users (id, display_name) VALUES (?, (?))",
                pg(r, "INSERT INTO users (id, user_name) VALUES (?, ?)").sql());
        assertEquals("UPDATE users SET display_name = (?) WHERE users.display_name = ?",
                pg(r, "UPDATE users SET user_name = ? WHERE user_name = ?").sql());
        assertEquals("DELETE FROM users WHERE users.display_name = ?",
                pg(r, "DELETE FROM users WHERE user_name = ?").sql());
    }

    @Test
    void subqueriesAndCtesBindToTheirOwnTables() throws Exception {
        RuleSet r = rules("migrate", "new", "");
        Rewrite w = pg(r, "WITH x AS (SELECT id, user_name FROM users) SELECT x.user_name FROM x"
                + " WHERE x.id IN (SELECT id FROM users WHERE user_name LIKE 'a%')");
        assertEquals("WITH x AS (SELECT id, users.display_name AS user_name FROM users) SELECT x.user_name FROM x"
                + " WHERE x.id IN (SELECT id FROM users WHERE users.display_name LIKE 'a%')", w.sql());
    }

    @Test
    void offRulesAndOtherTablesUntouched() throws Exception {
        RuleSet r = rules("off", null, "");
        Rewrite w = pg(r, "UPDATE users SET user_name = ?");
        assertEquals(Rewrite.Kind.PASS_THROUGH, w.kind());
        RuleSet e = rules("expand", null, "");
        String sql = "UPDATE accounts SET user_name = ? WHERE id = ?";
        assertSame(sql, pg(e, sql).sql());
    }

    @Test
    void scriptsRewriteEachStatementAndKeepTheRestVerbatim() throws Exception {
        RuleSet r = rules("contract", null, "");
        Rewrite w = pg(r, "SET search_path = public; UPDATE users SET user_name = ? WHERE id = ?;SELECT 1");
        assertEquals("SET search_path = public; UPDATE users SET display_name = (?) WHERE id = ?;SELECT 1", w.sql());
        assertNull(w.parameterMap());
    }

    @Test
    void dataModifyingCtesAreRewritten() throws Exception {
        RuleSet r = rules("expand", null, "");
        Rewrite w = pg(r, "WITH d AS (UPDATE users SET user_name = ? WHERE id = 1 RETURNING id) SELECT * FROM d");
        assertEquals("WITH d AS (UPDATE users SET display_name = (?), user_name = ? WHERE id = 1 RETURNING id)"
                + " SELECT * FROM d", w.sql());
        assertArrayEquals(new int[] {1, 1}, w.parameterMap());
    }

    @Test
    void replaceAndInsertWithoutColumnListUseTheTablesColumns() throws Exception {
        RuleSet r = rules("expand", null, "");
        assertEquals("REPLACE INTO users (id, user_name, display_name) VALUES (1, 'a', (user_name))",
                my(r, "REPLACE INTO users (id, user_name) VALUES (1, 'a')").sql());
        // display_name is the migration's own column: the application's three values are id, user_name, email.
        assertEquals("INSERT INTO users (\"id\", \"user_name\", \"email\", display_name) VALUES (?, ?, ?, (?))",
                pg(r, "INSERT INTO users VALUES (?, ?, ?)").sql());
        RuleSet c = rules("contract", null, "");
        Catalog dropped = new Catalog() {
            @Override
            public List<String> columns(String schema, String table) {
                return List.of("id", "email", "display_name");
            }

            @Override
            public String currentSchema() {
                return "public";
            }
        };
        // Once the old column is gone, the new one sits where ALTER TABLE put it: positions are unknowable.
        Rewrite gone = Rewriter.rewrite("INSERT INTO users VALUES (1, 'e', 'n')", c, Dialect.POSTGRESQL,
                ReadChoice.defaults(c), dropped);
        assertEquals(Rewrite.Kind.REJECTED, gone.kind());
        assertTrue(gone.reason().contains("list the columns"), gone.reason());
    }

    @Test
    void generatedKeysOnPostgresqlCarryTheApplicationsColumns() throws Exception {
        RuleSet r = rules("contract", null, "");
        Rewrite w = Rewriter.rewrite("INSERT INTO users (user_name) VALUES (?)", r, Dialect.POSTGRESQL,
                ReadChoice.defaults(r), USERS, true);
        assertEquals("INSERT INTO users (display_name) VALUES ((?)) RETURNING users.\"id\","
                + " users.display_name AS \"user_name\", users.\"email\"", w.sql());
    }

    @Test
    void starInAJoinHidesAddedColumnsSoLaterColumnsKeepTheirPlaces() throws Exception {
        RuleSet r = rules("expand", null, "");
        assertEquals("SELECT users.\"id\", users.\"user_name\", users.\"email\", o.* FROM users"
                + " JOIN orders o ON o.user_id = users.id",
                pg(r, "SELECT * FROM users JOIN orders o ON o.user_id = users.id").sql());
        String alone = "SELECT * FROM users";
        assertSame(alone, pg(r, alone).sql());
    }

    @Test
    void leadingCommentsAndHintsSurvive() throws Exception {
        RuleSet r = rules("contract", null, "");
        assertEquals("/* app=billing */\n-- trace\nUPDATE users SET display_name = ('x') WHERE id = 1",
                pg(r, "/* app=billing */\n-- trace\nUPDATE users SET user_name = 'x' WHERE id = 1").sql());
        assertTrue(my(r, "SELECT /*+ MAX_EXECUTION_TIME(1000) */ user_name FROM users").sql()
                .contains("/*+ MAX_EXECUTION_TIME(1000) */"));
    }

    @Test
    void mysqlRowAliasOnDuplicateKey() throws Exception {
        RuleSet r = rules("expand", null, "");
        Rewrite w = my(r, "INSERT INTO users (id, user_name) VALUES (?, ?) AS n ON DUPLICATE KEY UPDATE user_name = n.user_name");
        assertEquals(Rewrite.Kind.REWRITTEN, w.kind(), w.reason());
        assertEquals("INSERT INTO users (id, user_name, display_name) VALUES (?, ?, (user_name)) AS n ON DUPLICATE KEY"
                + " UPDATE display_name = (n.user_name), user_name = n.user_name", w.sql());
    }

    @Test
    void deterministicSubqueriesAreMirroredVolatileOnesRejected() throws Exception {
        RuleSet r = rules("expand", null, "");
        Rewrite w = pg(r, "UPDATE users SET user_name = (SELECT t.name FROM teams t WHERE t.id = users.team_id)");
        assertEquals("UPDATE users SET display_name = ((SELECT t.name FROM teams t WHERE t.id = users.team_id)),"
                + " user_name = (SELECT t.name FROM teams t WHERE t.id = users.team_id)", w.sql());
        assertEquals(Rewrite.Kind.REJECTED,
                pg(r, "UPDATE users SET user_name = (SELECT t.name FROM teams t LIMIT 1)").kind());
        assertEquals(Rewrite.Kind.REJECTED,
                pg(r, "UPDATE users SET user_name = (SELECT max(t.name) || random() FROM teams t)").kind());
    }

    @Test
    void jdbcEscapesAndMysqlStringsInDoubleQuotes() throws Exception {
        RuleSet r = rules("contract", null, "");
        assertEquals("SELECT {fn ucase(u.display_name)} FROM users u LEFT OUTER JOIN orders o ON o.user_id = u.id"
                + " WHERE u.display_name LIKE 'a!_%' ESCAPE '!'",
                pg(r, "SELECT {fn ucase(u.user_name)} FROM {oj users u LEFT OUTER JOIN orders o ON o.user_id = u.id}"
                        + " WHERE u.user_name LIKE 'a!_%' {escape '!'}").sql());
        // Without ANSI_QUOTES, "user_name" is a string in MySQL: it stays one.
        assertEquals("SELECT \"user_name\", users.display_name AS user_name FROM users",
                my(r, "SELECT \"user_name\", user_name FROM users").sql());
    }

    /** Review findings: each of these once produced SQL that silently diverged or lost data. */
    @Test
    void mysqlMirrorPlacementFollowsWhatTheValueReads() throws Exception {
        RuleSet r = rules("expand", null, "");
        // The value reads the mirror's column: the mirror goes after, so the original reads the old value.
        assertEquals("UPDATE users SET display_name = CONCAT(user_name, '!'), user_name = CONCAT(user_name, '!')"
                + " WHERE id = 1", my(r, "UPDATE users SET display_name = CONCAT(user_name, '!') WHERE id = 1").sql());
        // Reading both columns cannot be mirrored under left-to-right assignment.
        assertEquals(Rewrite.Kind.REJECTED, my(r, "UPDATE users SET user_name = concat(user_name, display_name)").kind());
        assertEquals(Rewrite.Kind.REJECTED, my(r, "UPDATE users SET user_name = (@n := @n + 1)").kind());
    }

    @Test
    void hiddenWritesAreRejectedOrRewritten() throws Exception {
        RuleSet r = rules("expand", null, "");
        assertEquals(Rewrite.Kind.REJECTED, my(r, "UPDATE users SET id = id--1 WHERE user_name = 'x'").kind());
        assertEquals(Rewrite.Kind.REJECTED, my(r, "UPDATE users SET id = 1 /*!, user_name = 'x' */").kind());
        assertEquals(Rewrite.Kind.REJECTED, my(r, "REPLACE LOW_PRIORITY INTO users (id, user_name) VALUES (1, 'x')").kind());
        assertEquals(Rewrite.Kind.REWRITTEN, pg(r, "/* a /* nested */ b */ UPDATE users SET user_name = ?").kind());
        assertEquals(Rewrite.Kind.REWRITTEN,
                pg(r, "WITH users AS (SELECT 1 AS x) UPDATE users SET user_name = 'x' WHERE id = 1").kind());
        assertTrue(pg(r, "EXPLAIN ANALYZE UPDATE users SET user_name = 'x'").sql().contains("display_name"));
    }

    @Test
    void readsThatWouldCarryTheNewShapeAreRejected() throws Exception {
        RuleSet r = rules("migrate", "new", "");
        assertEquals(Rewrite.Kind.REJECTED, pg(r, "SELECT row_to_json(u) FROM users u").kind());
        assertEquals(Rewrite.Kind.REJECTED, pg(r, "SELECT to_jsonb(users.*) FROM users").kind());
        assertEquals(Rewrite.Kind.REJECTED, pg(r, "SELECT x.user_name FROM users AS x(a, user_name)").kind());
        // A parenthesised column keeps its label.
        assertEquals("SELECT (users.display_name) AS user_name FROM users", pg(r, "SELECT (user_name) FROM users").sql());
    }

    @Test
    void queriesAreToldFromWritesByWhatWasParsed() throws Exception {
        RuleSet r = rules("migrate", "new", "");
        assertTrue(pg(r, "WITH x AS (SELECT id AS updated FROM users) SELECT * FROM x").isQuery());
        assertTrue(pg(r, "SELECT user_name FROM users WHERE user_name = 'delete me'").isQuery());
        assertFalse(pg(r, "WITH d AS (DELETE FROM users WHERE id = 1 RETURNING id) SELECT * FROM d").isQuery());
        assertFalse(pg(r, "UPDATE users SET user_name = 'x'").isQuery());
    }
}
