package dev.dualwrite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the module once, with one pair of embedded servers for all forks, and writes
 * JMH's JSON per benchmark plus {@code summary.md}: medians with JMH's 99.9% error, and each wrapper as a
 * ratio to the raw driver measured in the same run. Pin it to one CPU, so that the servers, the
 * benchmark thread and the JIT share it and loopback timings stop swinging:
 * {@code taskset -c 1 java -cp benchmarks/target/benchmarks.jar dev.dualwrite.bench.RunAll [OUT_DIR] [--quick]
 * [--only=stub,real,rewriter,flood,heap]}.
 */
public final class RunAll {
    private final Path out;
    private final boolean quick;
    private final String[] forkOptions;
    private final StringBuilder summary = new StringBuilder();

    /** One part of the run. */
    private interface Section {
        void run() throws Exception;
    }

    private RunAll(Path out, boolean quick, String[] forkOptions) {
        this.out = out;
        this.quick = quick;
        this.forkOptions = forkOptions;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "benchmarks/target/results");
        Files.createDirectories(out);
        String[] forkOptions = {Forks.P6SPY_WRAPPING_ONLY, Forks.QUIET_SLF4J,
            "-Dbench.postgresql.url=" + BenchDatabases.url("postgresql"),
            "-Dbench.mysql.url=" + BenchDatabases.url("mysql")};
        List<String> only = List.of(args).stream().filter(a -> a.startsWith("--only="))
                .flatMap(a -> List.of(a.substring("--only=".length()).split(",")).stream()).collect(Collectors.toList());
        RunAll run = new RunAll(out, quick, forkOptions);
        run.header();
        Map<String, Section> sections = new LinkedHashMap<>();
        sections.put("stub", run::stub);
        sections.put("real", run::realDatabases);
        sections.put("rewriter", run::rewriter);
        sections.put("flood", run::flood);
        sections.put("heap", run::floodHeap);
        for (Map.Entry<String, Section> s : sections.entrySet()) {
            if (only.isEmpty() || only.contains(s.getKey())) {
                s.getValue().run();
            }
        }
        Files.writeString(out.resolve("summary.md"), run.summary.toString());
        System.out.println(run.summary);
        System.exit(0); // the servers' shutdown hooks stop them
    }

    private void header() {
        Runtime rt = Runtime.getRuntime();
        line("Run %s on %s %s, %d CPU(s) visible to the JVM, %s (%s); mode %s.",
                java.time.Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC",
                System.getProperty("os.name"), System.getProperty("os.arch"), rt.availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), quick ? "quick" : "full");
        line("");
    }

    private Collection<RunResult> run(Class<?> benchmark, boolean gc, int forks, int warmups, int iterations,
            long millis) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(benchmark.getName())
                .forks(quick ? 1 : forks)
                .warmupIterations(quick ? 1 : warmups)
                .warmupTime(TimeValue.milliseconds(quick ? 200 : millis))
                .measurementIterations(quick ? 2 : iterations)
                .measurementTime(TimeValue.milliseconds(quick ? 200 : millis))
                .jvmArgsAppend(forkOptions)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve(benchmark.getSimpleName() + ".json").toString())
                .shouldFailOnError(true);
        if (gc) {
            o = o.addProfiler(GCProfiler.class);
        }
        return new Runner(o.build()).run();
    }

    private void stub() throws Exception {
        Collection<RunResult> results = run(StubBenchmark.class, true, 2, 3, 5, 1000);
        line("### No I/O: the stub driver (ns per statement)");
        line("");
        line("Each cell: median ± JMH's 99.9%% error, then bytes allocated per statement. Overhead is the");
        line("difference to `raw` in the same row.");
        line("");
        wrapperTable(results, "statement", true);
    }

    private void realDatabases() throws Exception {
        Collection<RunResult> results = run(RealDbBenchmark.class, false, 1, 10, 5, 1000);
        line("### Embedded PostgreSQL and MariaDB over loopback (µs per statement)");
        line("");
        line("Each cell: median ± JMH's 99.9%% error, and the ratio to `raw` in the same row.");
        line("");
        wrapperTable(results, "engine,statement", false);
    }

    /** Rows: the given parameters and the API (prepared/plain); columns: the wrappers. */
    private void wrapperTable(Collection<RunResult> results, String rowParams, boolean overheadAndBytes) {
        Map<String, Map<String, RunResult>> rows = new TreeMap<>();
        for (RunResult r : results) {
            StringBuilder key = new StringBuilder();
            for (String p : rowParams.split(",")) {
                key.append(r.getParams().getParam(p)).append(' ');
            }
            key.append(api(r));
            rows.computeIfAbsent(key.toString(), k -> new LinkedHashMap<>()).put(r.getParams().getParam("wrapper"), r);
        }
        List<String> wrappers = new ArrayList<>();
        for (Wrapper w : Wrapper.values()) {
            wrappers.add(w.label());
        }
        StringBuilder head = new StringBuilder("| " + rowParams.replace(",", " / ") + " / api |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String w : wrappers) {
            head.append(' ').append(w).append(" |");
            rule.append(" ---: |");
        }
        line(head.toString());
        line(rule.toString());
        for (Map.Entry<String, Map<String, RunResult>> row : rows.entrySet()) {
            RunResult raw = row.getValue().get("raw");
            double base = median(raw);
            StringBuilder cells = new StringBuilder("| " + row.getKey() + " |");
            for (String w : wrappers) {
                RunResult r = row.getValue().get(w);
                if (r == null) {
                    cells.append(" - |");
                    continue;
                }
                cells.append(' ').append(fmt(median(r))).append(" ± ").append(fmt(r.getPrimaryResult().getScoreError()));
                if (overheadAndBytes) {
                    if (!w.equals("raw")) {
                        cells.append(" (+").append(fmt(median(r) - base)).append(')');
                    }
                    Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                    if (alloc != null) {
                        cells.append(", ").append(String.format(Locale.ROOT, "%.0f B", alloc.getScore()));
                    }
                } else if (!w.equals("raw")) {
                    cells.append(String.format(Locale.ROOT, " (%.3fx)", median(r) / base));
                }
                cells.append(" |");
            }
            line(cells.toString());
        }
        line("");
    }

    private void rewriter() throws Exception {
        Collection<RunResult> results = run(RewriterBenchmark.class, true, 1, 15, 5, 1000);
        line("### A cache miss: parse + bind + rewrite, and the parse alone (µs per statement)");
        line("");
        line("| statement | rewrite | parse only | rewrite B/op |");
        line("| --- | ---: | ---: | ---: |");
        Map<String, Map<String, RunResult>> rows = new TreeMap<>();
        for (RunResult r : results) {
            rows.computeIfAbsent(r.getParams().getParam("statement"), k -> new TreeMap<>())
                    .put(r.getParams().getBenchmark().replaceAll(".*\\.", ""), r);
        }
        for (Map.Entry<String, Map<String, RunResult>> row : rows.entrySet()) {
            RunResult rw = row.getValue().get("rewrite");
            RunResult parse = row.getValue().get("parseOnly");
            Result alloc = rw.getSecondaryResults().get("gc.alloc.rate.norm");
            line("| %s | %s ± %s | %s ± %s | %s |", row.getKey(), fmt(median(rw)), fmt(rw.getPrimaryResult().getScoreError()),
                    fmt(median(parse)), fmt(parse.getPrimaryResult().getScoreError()),
                    alloc == null ? "-" : String.format(Locale.ROOT, "%.0f", alloc.getScore()));
        }
        line("");
    }

    private void flood() throws Exception {
        Collection<RunResult> results = run(FloodBenchmark.class, false, 1, 3, 5, 1000);
        line("### The unique-SQL flood (statements per second, every text distinct)");
        line("");
        line("| target | raw | dualwrite-no-rules | dualwrite | dualwrite / no rules |");
        line("| --- | ---: | ---: | ---: | ---: |");
        Map<String, Map<String, RunResult>> rows = new TreeMap<>();
        for (RunResult r : results) {
            rows.computeIfAbsent(r.getParams().getParam("target"), k -> new TreeMap<>())
                    .put(r.getParams().getParam("wrapper"), r);
        }
        for (Map.Entry<String, Map<String, RunResult>> row : rows.entrySet()) {
            Map<String, RunResult> m = row.getValue();
            line("| %s | %s | %s | %s | %.3f |", row.getKey(), ops(m.get("raw")), ops(m.get("dualwrite-no-rules")),
                    ops(m.get("dualwrite")), median(m.get("dualwrite")) / median(m.get("dualwrite-no-rules")));
        }
        line("");
    }

    /** The heap check runs in a JVM of its own with a small fixed heap. */
    private void floodHeap() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", Forks.QUIET_SLF4J, "-cp", System.getProperty("java.class.path"),
                FloodHeap.class.getName(), quick ? "200000" : "1000000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("FloodHeap failed:\n" + text);
        }
        Files.writeString(out.resolve("flood-heap.tsv"), text);
        line("### Heap during the flood (stub driver, -Xmx256m, used heap after a full GC)");
        line("");
        line("| statements | heap used (MB) | seconds |");
        line("| ---: | ---: | ---: |");
        for (String l : text.split("\n")) {
            if (!l.isBlank() && Character.isDigit(l.charAt(0))) {
                line("| " + l.replace("\t", " | ") + " |");
            }
        }
        line("");
    }

    private static String api(RunResult r) {
        return r.getParams().getBenchmark().replaceAll(".*\\.", "");
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50.0);
    }

    private static String ops(RunResult r) {
        return String.format(Locale.ROOT, "%,.0f ± %,.0f", median(r), r.getPrimaryResult().getScoreError());
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    private void line(String format, Object... args) {
        summary.append(args.length == 0 ? format.replace("%%", "%") : String.format(Locale.ROOT, format, args))
                .append('\n');
    }
}
