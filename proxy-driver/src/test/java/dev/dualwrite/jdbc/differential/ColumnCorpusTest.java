package dev.dualwrite.jdbc.differential;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dualwrite.jdbc.differential.Corpus.Case;
import dev.dualwrite.jdbc.differential.Differential.Outcome;
import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.differential.Differential.Verdict;
import dev.dualwrite.jdbc.testdb.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the column corpus through the differential harness on both engines in expand, migrate (reads
 * new) and contract (old columns dropped). Each entry must be handled exactly right, or rejected where
 * the corpus allows it; the verdicts are written to {@code target/differential-coverage.md}.
 */
class ColumnCorpusTest {
    static final String CORPUS = System.getProperty("differential.corpus", "/differential/columns.corpus");

    @TempDir
    static Path dir;

    private static final Map<String, Differential> HARNESSES = new ConcurrentHashMap<>();
    /** family -> engine -> [handled, rejected] per phase run. */
    private static final Map<String, Map<Engine, int[]>> COVERAGE = new TreeMap<>();

    @TestFactory
    Stream<DynamicNode> corpus() {
        List<Case> cases = Corpus.load(CORPUS);
        List<DynamicNode> engines = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            List<DynamicNode> phases = new ArrayList<>();
            for (Phase phase : Phase.values()) {
                List<DynamicNode> tests = new ArrayList<>();
                for (Case c : cases) {
                    if (c.runsOn(engine)) {
                        tests.add(DynamicTest.dynamicTest(c.family + " line " + c.line + ": " + c.sql,
                                () -> check(harness(engine, phase), c)));
                    }
                }
                phases.add(DynamicContainer.dynamicContainer(phase.toString(), tests));
            }
            engines.add(DynamicContainer.dynamicContainer(engine.toString(), phases));
        }
        return engines.stream();
    }

    private static Differential harness(Engine engine, Phase phase) {
        return HARNESSES.computeIfAbsent(engine + "/" + phase, k -> {
            try {
                return new Differential(engine, phase, dir);
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the harness for " + k, e);
            }
        });
    }

    private static void check(Differential h, Case c) throws Exception {
        Outcome o = h.run(c.sql, c.mode, c.params);
        record(c.family, h.engine, o.verdict);
        String where = h.engine + " " + h.phase + " " + c + "\n  -> ";
        if (o.mismatch != null) {
            fail(where + "the driver diverged from the control: " + o.mismatch
                    + (o.detail == null ? "" : "\n  detail: " + o.detail));
        }
        switch (c.expect) {
            case MUST:
                if (o.verdict != Verdict.HANDLED) {
                    fail(where + (o.verdict == Verdict.REJECTED ? "rejected a statement that must be handled: "
                            : "the control failed, so the corpus entry is wrong: ") + o.detail);
                }
                break;
            case ANY:
                if (o.verdict == Verdict.BOTH_FAILED) {
                    fail(where + "the control failed, so the corpus entry is wrong: " + o.detail);
                }
                break;
            case REJECT:
                if (o.verdict != Verdict.REJECTED) {
                    fail(where + "expected a 0A000 rejection, got " + o);
                }
                break;
            case ERROR:
                if (o.verdict == Verdict.HANDLED) {
                    fail(where + "expected both sides to fail, got " + o);
                }
                break;
            default:
                throw new AssertionError(c.expect);
        }
    }

    private static synchronized void record(String family, Engine engine, Verdict v) {
        int[] counts = COVERAGE.computeIfAbsent(family, f -> new TreeMap<>()).computeIfAbsent(engine, e -> new int[3]);
        counts[v.ordinal()]++;
    }

    @AfterAll
    static void report() throws Exception {
        for (Differential h : HARNESSES.values()) {
            h.close();
        }
        StringBuilder md = new StringBuilder("| statement family | PostgreSQL handled / rejected"
                + " | MySQL (MariaDB) handled / rejected |\n| --- | --- | --- |\n");
        for (Map.Entry<String, Map<Engine, int[]>> e : COVERAGE.entrySet()) {
            md.append("| ").append(e.getKey());
            for (Engine engine : Engine.values()) {
                int[] n = e.getValue().get(engine);
                md.append(" | ").append(n == null ? "n/a" : (n[0] + n[2]) + " / " + n[1]);
            }
            md.append(" |\n");
        }
        Path out = Paths.get("target", "differential-coverage.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
    }
}
