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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a statement corpus through the differential harness on both engines in expand, migrate (reads
 * new) and contract (old side dropped). Each entry must be handled exactly right, or rejected where
 * the corpus allows it; the verdicts are written to {@code target/differential-<name>-verdicts.tsv} and
 * the README's coverage table to {@code target/differential-<name>-coverage.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CorpusTest {
    @TempDir
    Path dir;

    private final Map<String, Differential> harnesses = new ConcurrentHashMap<>();
    /** "engine line" -> the entry and its verdict per phase. */
    private final Map<String, Verdicts> verdicts = new TreeMap<>();

    /** The corpus resource, e.g. {@code /differential/columns.corpus}. */
    abstract String corpus();

    abstract Fixture fixture();

    /** Names the report files. */
    abstract String name();

    private static final class Verdicts {
        final Case entry;
        final Engine engine;
        final Map<Phase, Verdict> byPhase = new TreeMap<>();

        Verdicts(Case entry, Engine engine) {
            this.entry = entry;
            this.engine = engine;
        }

        boolean rejected() {
            return byPhase.containsValue(Verdict.REJECTED);
        }
    }

    @TestFactory
    Stream<DynamicNode> statements() {
        List<Case> cases = Corpus.load(corpus());
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

    private Differential harness(Engine engine, Phase phase) {
        return harnesses.computeIfAbsent(engine + "/" + phase, k -> {
            try {
                return new Differential(engine, phase, dir, fixture());
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the harness for " + k, e);
            }
        });
    }

    private void check(Differential h, Case c) throws Exception {
        Outcome o = h.run(c.sql, c.mode, c.params);
        record(c, h.engine, h.phase, o.verdict);
        String where = h.engine + " " + h.phase + " " + c + "\n  -> ";
        if (o.mismatch != null) {
            fail(where + "the driver diverged from the control: " + o.mismatch
                    + (o.detail == null ? "" : "\n  detail: " + o.detail));
        }
        Corpus.Expect expect = c.expect;
        if (expect == Corpus.Expect.PGMUST) {
            expect = h.engine == Engine.POSTGRESQL ? Corpus.Expect.MUST : Corpus.Expect.ANY;
        } else if (expect == Corpus.Expect.PRECONTRACT) {
            expect = h.phase == Phase.CONTRACT ? Corpus.Expect.ANY : Corpus.Expect.MUST;
        }
        switch (expect) {
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

    private synchronized void record(Case c, Engine engine, Phase phase, Verdict v) {
        verdicts.computeIfAbsent(engine + " " + c.line, k -> new Verdicts(c, engine)).byPhase.put(phase, v);
    }

    /**
     * Writes what happened to every entry ({@code target/differential-verdicts.tsv}) and the coverage
     * table for the README ({@code target/differential-coverage.md}): statement families down, engines
     * across, entries handled in every phase / rejected in some phase.
     */
    @AfterAll
    void report() throws Exception {
        for (Differential h : harnesses.values()) {
            h.close();
        }
        StringBuilder tsv = new StringBuilder("engine\tline\tfamily\texpect\texpand\tmigrate-new\tcontract\tsql\n");
        Map<String, Map<Engine, int[]>> table = new TreeMap<>();
        for (Verdicts v : verdicts.values()) {
            tsv.append(v.engine).append('\t').append(v.entry.line).append('\t').append(v.entry.family).append('\t')
                    .append(v.entry.expect);
            for (Phase p : Phase.values()) {
                tsv.append('\t').append(v.byPhase.get(p));
            }
            tsv.append('\t').append(v.entry.sql).append('\n');
            int[] n = table.computeIfAbsent(v.entry.family, f -> new TreeMap<>()).computeIfAbsent(v.engine,
                    e -> new int[2]);
            n[v.rejected() ? 1 : 0]++;
        }
        StringBuilder md = new StringBuilder("| statement family | PostgreSQL handled / rejected"
                + " | MySQL (MariaDB) handled / rejected |\n| --- | --- | --- |\n");
        int[] total = new int[4];
        for (Map.Entry<String, Map<Engine, int[]>> e : table.entrySet()) {
            md.append("| ").append(e.getKey());
            for (Engine engine : Engine.values()) {
                int[] n = e.getValue().get(engine);
                md.append(" | ").append(n == null ? "-" : n[0] + " / " + n[1]);
                if (n != null) {
                    total[engine.ordinal() * 2] += n[0];
                    total[engine.ordinal() * 2 + 1] += n[1];
                }
            }
            md.append(" |\n");
        }
        md.append("| **all** | **").append(total[0]).append(" / ").append(total[1]).append("** | **").append(total[2])
                .append(" / ").append(total[3]).append("** |\n");
        Path out = Paths.get("target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("differential-" + name() + "-verdicts.tsv"), tsv);
        Files.writeString(out.resolve("differential-" + name() + "-coverage.md"), md);
    }
}
