package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * explain's output for a fixed rule file and statements on both dialects, compared with a reviewed
 * golden file. When the rewriter changes on purpose, read target/explain-actual.txt line by line and
 * copy it over src/test/resources/cli/explain.golden only if every rewrite in it is right.
 */
class ExplainGoldenTest {
    /** The schema the statements run against, as explain --columns takes it (the new columns included). */
    private static final String[] COLUMNS = {
        "--columns", "users=id,user_name,display_name,score,score_v2,tier,tier_name,team_id",
        "--columns", "orders=id,user_id,status,legacy_flags",
        "--columns", "billing.orders_v2=id,user_id,order_state",
        "--columns", "teams=id,name",
    };

    @Test
    void explainMatchesTheGoldenFile() throws Exception {
        Path rules = resource("explain-rules.yaml");
        StringBuilder actual = new StringBuilder();
        int statements = 0;
        for (String line : Files.readAllLines(resource("explain-statements.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            String[] args = {"explain", rules.toString(), "--dialect", parts[0], "--sql", parts[1]};
            CliRun run = CliRun.of(Stream.concat(Stream.of(args), Stream.of(COLUMNS)).toArray(String[]::new));
            assertEquals(0, run.exitCode, run::toString);
            assertEquals("", run.err);
            actual.append("=== ").append(++statements).append('\n').append(run.out.replace(rules.toString(), "RULES"));
        }
        assertTrue(statements >= 22, "statements: " + statements);
        String expected;
        try (InputStream in = ExplainGoldenTest.class.getResourceAsStream("/cli/explain.golden")) {
            expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!expected.contentEquals(actual)) {
            Path out = Path.of("target", "explain-actual.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
            assertEquals(expected, actual.toString(), "explain output changed; review " + out.toAbsolutePath()
                    + " and, if every rewrite in it is right, copy it to src/test/resources/cli/explain.golden");
        }
    }

    @Test
    void withoutColumnsATableMoveWriteIsExplainedAsNeedingThem() throws Exception {
        CliRun run = CliRun.of("explain", resource("explain-rules.yaml").toString(), "--dialect", "postgresql", "--sql",
                "UPDATE orders SET status = ? WHERE id = ?");
        assertEquals(0, run.exitCode, run::toString);
        assertTrue(run.out.contains("  expand:\n    rejected (0A000): the columns of orders are unknown here\n"), run.out);
        CliRun bad = CliRun.of("explain", resource("explain-rules.yaml").toString(), "--dialect", "postgresql", "--sql",
                "SELECT 1", "--columns", "orders");
        assertEquals(2, bad.exitCode, bad::toString);
        assertTrue(bad.err.contains("must be TABLE=COLUMN,COLUMN,..."), bad.err);
    }

    @Test
    void badDialectOrNoSqlIsBadUsage() throws Exception {
        String rules = resource("explain-rules.yaml").toString();
        CliRun dialect = CliRun.of("explain", rules, "--dialect", "oracle", "--sql", "SELECT 1");
        assertEquals(2, dialect.exitCode, dialect::toString);
        assertTrue(dialect.err.contains("unknown dialect 'oracle'; use postgresql or mysql"), dialect.err);
        CliRun noSql = CliRun.of("explain", rules, "--dialect", "mysql");
        assertEquals(2, noSql.exitCode, noSql::toString);
        assertTrue(noSql.err.contains("--sql"), noSql.err);
    }

    @Test
    void anInvalidRuleFileIsBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "version: 2\n");
        CliRun run = CliRun.of("explain", file.toString(), "--dialect", "mysql", "--sql", "SELECT 1");
        assertEquals(2, run.exitCode, run::toString);
        assertTrue(run.err.contains(file + ":1:10: version: only version 1 is supported"), run.err);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ExplainGoldenTest.class.getResource("/cli/" + name).toURI());
    }
}
