package dev.dualwrite.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderTest {
    @TempDir
    Path dir;

    private static String problems(String yaml) {
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleLoader.parse(yaml, "r.yaml"));
        return e.getMessage();
    }

    @Test
    void loadsTheContractExample() throws Exception {
        RuleSet r = RuleLoader.parse("version: 1\non_unparseable: pass\nmigrations:\n"
                + "  - id: users-display-name\n    table: users\n    phase: migrate\n    reads: canary:10\n"
                + "    columns:\n      user_name:\n        to: display_name\n        to_new: \"lower({})\"\n"
                + "        to_old: \"{}\"\n"
                + "  - id: orders-to-billing\n    table: orders\n    to_table: billing.orders_v2\n    key: [id]\n"
                + "    phase: expand\n    columns:\n      status:\n        to: order_state\n"
                + "        values: { A: active, C: cancelled }\n      legacy_flags:\n        drop: true\n", "r.yaml");
        assertEquals(OnUnparseable.PASS, r.onUnparseable());
        Migration m = r.migrations().get(0);
        assertEquals(Phase.MIGRATE, m.phase());
        assertEquals(ReadFlag.Kind.CANARY, m.reads().kind());
        assertEquals(10, m.reads().percent());
        assertEquals(4, m.line());
        Migration move = r.migrations().get(1);
        assertEquals("billing", move.toTable().schema());
        assertEquals(2, move.columns().size());
        assertEquals("'active'", move.columns().get(0).values().get(SqlLiteral.ofString("A")).sql());
        assertTrue(r.mayTouch("select * from ORDERS"));
        assertTrue(!r.mayTouch("select * from orders_archive where x = 'users_x'"));
    }

    @Test
    void everyProblemNamesFileLineAndReason() {
        String m = problems("version: 1\nmigrations:\n  - id: bad id\n    table: users\n    phase: migrat\n"
                + "    colums: {}\n");
        assertTrue(m.contains("r.yaml:3:9: migrations[0].id: 'bad id' may use only letters"), m);
        assertTrue(m.contains("r.yaml:5:12:") && m.contains("'migrat' is not a phase"), m);
        assertTrue(m.contains("r.yaml:6:5:") && m.contains("unknown key 'colums'"), m);
    }

    @Test
    void readsMustAgreeWithThePhase() {
        String m = problems("version: 1\nmigrations:\n  - id: a\n    table: users\n    phase: expand\n"
                + "    reads: new\n    columns:\n      x:\n        to: y\n");
        assertTrue(m.contains("r.yaml:6") && m.contains("contradicts phase expand"), m);
        assertTrue(problems("version: 1\nmigrations:\n  - id: a\n    table: users\n    phase: migrate\n"
                + "    reads: canary:100\n    columns:\n      x:\n        to: y\n").contains("canary:<1-99>"));
    }

    @Test
    void templatesCannotSmuggleStatements() {
        String m = problems("version: 1\nmigrations:\n  - id: a\n    table: users\n    phase: expand\n"
                + "    columns:\n      x:\n        to: y\n        to_new: \"lower({}); DROP TABLE users\"\n"
                + "        to_old: \"{} -- c\"\n");
        assertTrue(m.contains("';' is not allowed"), m);
        assertTrue(m.contains("comments are not allowed"), m);
        assertTrue(problems("version: 1\nmigrations:\n  - id: a\n    table: users\n    phase: expand\n"
                + "    columns:\n      x:\n        to: y\n        to_new: \"lower(?)\"\n        to_old: \"{}\"\n")
                .contains("must contain {}"));
    }

    @Test
    void crossRuleConflictsAreFound() {
        String m = problems("version: 1\nmigrations:\n"
                + "  - id: a\n    table: users\n    phase: expand\n    columns:\n      x:\n        to: y\n"
                + "  - id: a\n    table: users\n    phase: expand\n    columns:\n      y:\n        to: x\n"
                + "  - id: m1\n    table: t1\n    to_table: t2\n    phase: expand\n"
                + "  - id: m2\n    table: t2\n    to_table: t1\n    phase: expand\n");
        assertTrue(m.contains("used by two migrations"), m);
        assertTrue(m.contains("chains and cycles of renames"), m);
        assertTrue(m.contains("chains and cycles of table moves"), m);
    }

    @Test
    void valueMapsMustBeReversible() {
        String m = problems("version: 1\nmigrations:\n  - id: a\n    table: users\n    phase: expand\n"
                + "    columns:\n      s:\n        to: t\n        values: { A: x, B: x }\n");
        assertTrue(m.contains("target of two old values"), m);
    }

    @Test
    void badFilesAreRefusedWithAReason() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.write(bad, new byte[] {'v', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertTrue(assertThrows(RuleFileException.class, () -> RuleLoader.load(bad)).getMessage()
                .contains("not valid UTF-8"));
        Files.write(bad, new byte[RuleLoader.MAX_BYTES + 1]);
        assertTrue(assertThrows(RuleFileException.class, () -> RuleLoader.load(bad)).getMessage()
                .contains("limited to"));
        assertTrue(assertThrows(RuleFileException.class, () -> RuleLoader.load(dir)).getMessage()
                .contains("is a directory"));
        assertTrue(assertThrows(RuleFileException.class, () -> RuleLoader.load(dir.resolve("none.yaml")))
                .getMessage().contains("does not exist"));
        Files.writeString(bad, "version: 1\nmigrations: [\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(RuleFileException.class, () -> RuleLoader.load(bad)).getMessage()
                .contains("not valid YAML"));
    }
}
