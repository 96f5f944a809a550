package dev.dualwrite.jdbc.differential;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dualwrite.jdbc.differential.Differential.Outcome;
import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.differential.Differential.Verdict;
import dev.dualwrite.jdbc.reliability.HostileSql;
import dev.dualwrite.jdbc.testdb.Engine;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile statements ({@link HostileSql}: quoting, comments, unicode aliases, long IN lists, deep nesting,
 * token soup) on the reliability schema in expand, migrate with new reads, and contract, each compared with a
 * control schema that was never migrated: what the application sees and the data left behind are the same,
 * or the driver rejects the statement with 0A000, or both sides fail. Never a silent difference.
 */
class HostileSqlDifferentialTest {
    private static final Map<String, Differential> HARNESSES = new ConcurrentHashMap<>();
    private static final Map<Verdict, AtomicInteger> VERDICTS = new EnumMap<>(Verdict.class);

    static {
        for (Verdict v : Verdict.values()) {
            VERDICTS.put(v, new AtomicInteger());
        }
    }

    /**
     * The build runs the same statements every time, so a red build is reproducible and never depends on
     * luck; {@code -Ddualwrite.hostile.salt=N} (any number) explores other statements.
     */
    private static final long SALT = Long.getLong("dualwrite.hostile.salt", 0L);

    /** Seeds of statements that once diverged; they stay as regression cases. */
    private static final long[] POSTGRESQL_FOUND = {131410L, -3474L};
    private static final long[] MYSQL_FOUND = {-1258L, -1992L, -3827624054742121818L, -4398022354494263976L};

    @Property(tries = 400, seed = "20261207")
    void postgresql(@ForAll long seed) throws Exception {
        check(Engine.POSTGRESQL, seed ^ SALT);
    }

    @Property(tries = 400, seed = "20261207")
    void mysql(@ForAll long seed) throws Exception {
        check(Engine.MYSQL, seed ^ SALT);
    }

    @Example
    void statementsThatOnceDiverged() throws Exception {
        for (long seed : POSTGRESQL_FOUND) {
            check(Engine.POSTGRESQL, seed);
        }
        for (long seed : MYSQL_FOUND) {
            check(Engine.MYSQL, seed);
        }
    }

    private static void check(Engine engine, long seed) throws Exception {
        String sql = new HostileSql(seed, engine).next();
        for (Phase phase : Phase.values()) {
            Outcome o = harness(engine, phase).run(sql, Corpus.Mode.STMT, List.of());
            String shown = sql.length() > 300 ? sql.substring(0, 300) + "..." : sql;
            assertNull(o.mismatch, () -> engine + " " + phase + " (seed " + seed + "): " + shown
                    + "\n  -> the driver diverged from the control: " + o.mismatch);
            VERDICTS.get(o.verdict).incrementAndGet();
            Statistics.label("verdict").collect(o.verdict);
        }
    }

    private static Differential harness(Engine engine, Phase phase) {
        return HARNESSES.computeIfAbsent(engine + "/" + phase, k -> {
            try {
                return new Differential(engine, phase, Files.createTempDirectory("dualwrite-hostile-diff"),
                        new MigratedTablesFixture());
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the harness for " + k, e);
            }
        });
    }

    @AfterContainer
    static void close() throws Exception {
        for (Differential h : HARNESSES.values()) {
            h.close();
        }
        HARNESSES.clear();
        System.out.println("[reliability] hostile SQL against a control: runs=" + VERDICTS.values().stream()
                .mapToInt(AtomicInteger::get).sum() + " handled=" + VERDICTS.get(Verdict.HANDLED) + " rejected 0A000="
                + VERDICTS.get(Verdict.REJECTED) + " both failed=" + VERDICTS.get(Verdict.BOTH_FAILED)
                + " divergences=0");
    }
}
