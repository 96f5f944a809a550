package dev.dualwrite.examples.strangler;

import dev.dualwrite.examples.support.BackfillCommand;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.ExampleLogging;
import dev.dualwrite.examples.support.LegacyApp;
import dev.dualwrite.examples.support.OrdersWorkload;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleCounters;
import dev.dualwrite.examples.support.RuleFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A strangler migration: {@code orders} moves out of the shared database's {@code public} schema into
 * {@code billing.orders_v2}, the table a new billing service will own, while two existing services keep
 * writing and reading {@code orders}. Each service has its own connection pool and worker threads; both
 * point at the same rule file, so one edit moves them together.
 *
 * <p>expand (dual writes) -> backfill, checked row by row while both services write -> migrate, reads
 * new -> contract (writes reach the new table only) -> the old table is renamed away, and both services
 * keep working.
 */
public final class StranglerExample {
    static final int SEED_ORDERS = 1_000;
    static final int THREADS_PER_SERVICE = 2;
    static final String[] SERVICES = {"shop", "support-desk"};

    private StranglerExample() {
    }

    /** What happened, for the caller to check. */
    public record Result(List<Long> differencesWhileBothWritten, Map<String, Long> opsAfterRetire,
            Map<String, Long> errors, List<String> errorSamples, Map<Long, String> expectedStatus) {
    }

    public static void main(String[] args) throws Exception {
        ExampleLogging.oneLinePerRecord();
        Result result;
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            result = run(db, System.out);
        }
        boolean ok = result.errors().values().stream().allMatch(e -> e == 0)
                && result.differencesWhileBothWritten().stream().allMatch(d -> d == 0);
        System.out.println(ok ? "OK: orders moved to billing.orders_v2 under two running services"
                : "FAILED: " + result.errorSamples());
        System.exit(ok ? 0 : 1);
    }

    public static Result run(EmbeddedDatabase db, PrintStream out) throws Exception {
        RawDb raw = db.raw();
        raw.exec(OrdersToBilling.CREATE_OLD_TABLE);
        raw.exec("INSERT INTO orders (id, user_id, status) SELECT g, g % 100, CASE WHEN g % 3 = 0 THEN 'C' ELSE 'A' END"
                + " FROM generate_series(1, " + SEED_ORDERS + ") g");
        RuleFile rules = RuleFile.create("strangler");
        rules.write(RuleFile.yaml(OrdersToBilling.migration("off", null)));
        RuleCounters counters = rules.counters(OrdersToBilling.RULE_ID);

        // Each service owns a share of the orders (so its threads can check every answer); ids of new
        // orders come from one counter, like a sequence.
        AtomicLong nextId = new AtomicLong(SEED_ORDERS + 1);
        int threads = SERVICES.length * THREADS_PER_SERVICE;
        List<OrdersWorkload> workloads = new ArrayList<>();
        List<LegacyApp> services = new ArrayList<>();
        for (int s = 0; s < SERVICES.length; s++) {
            int first = s * THREADS_PER_SERVICE;
            services.add(new LegacyApp(SERVICES[s], db.dualWriteUrl(rules), db.user(), THREADS_PER_SERVICE, i -> {
                OrdersWorkload w = new OrdersWorkload(SEED_ORDERS, first + i, threads, nextId);
                workloads.add(w);
                return w;
            }));
        }
        out.println("two services, two pools, one rule file: " + rules.path());
        List<Long> differences = new ArrayList<>();
        Map<String, Long> opsAtRetire = new HashMap<>();
        try {
            services.forEach(LegacyApp::start);
            Steps steps = new Steps(out, services, counters);
            steps.run("0 off", "both services running, phase off", 500);

            raw.exec(OrdersToBilling.CREATE_NEW_TABLE);
            rules.update(RuleFile.yaml(OrdersToBilling.migration("expand", null)));
            steps.run("1 expand", "CREATE TABLE billing.orders_v2; rules: phase expand (writes reach both tables)", 1_000);

            steps.run("2 backfill", BackfillCommand.run(db, rules, OrdersToBilling.RULE_ID, 200), 0);

            for (int i = 0; i < 5; i++) {
                differences.add(raw.queryLong(OrdersToBilling.COUNT_DIFFERENCES));
                steps.run("3 verify", "rows of billing.orders_v2 that are not the mapping of orders: "
                        + differences.get(differences.size() - 1), 200);
            }

            rules.update(RuleFile.yaml(OrdersToBilling.migration("migrate", "new")));
            steps.run("4 migrate", "rules: reads new (both services now read billing.orders_v2)", 1_000);
            differences.add(raw.queryLong(OrdersToBilling.COUNT_DIFFERENCES));

            rules.update(RuleFile.yaml(OrdersToBilling.migration("contract", null)));
            steps.run("5 contract", "rules: phase contract (writes reach billing.orders_v2 only)", 500);
            raw.exec(OrdersToBilling.RETIRE_OLD_TABLE);
            services.forEach(s -> opsAtRetire.put(s.name(), s.ops()));
            steps.run("6 retire", OrdersToBilling.RETIRE_OLD_TABLE, 1_000);
        } finally {
            services.forEach(LegacyApp::close);
        }
        Map<String, Long> opsAfter = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        List<String> samples = new ArrayList<>();
        for (LegacyApp s : services) {
            opsAfter.put(s.name(), s.ops() - opsAtRetire.get(s.name()));
            errors.put(s.name(), s.errors());
            samples.addAll(s.errorSamples());
            out.println("  " + s.name() + ": " + s.ops() + " operations, " + s.errors() + " errors, "
                    + opsAfter.get(s.name()) + " after the old table was renamed away");
        }
        Map<Long, String> expected = new HashMap<>();
        workloads.forEach(w -> expected.putAll(w.expected()));
        return new Result(differences, opsAfter, errors, samples, expected);
    }

    /** One line per step with both services' counters and the driver's. */
    private static final class Steps {
        private final PrintStream out;
        private final List<LegacyApp> services;
        private final RuleCounters counters;

        Steps(PrintStream out, List<LegacyApp> services, RuleCounters counters) {
            this.out = out;
            this.services = services;
            this.counters = counters;
        }

        void run(String step, String note, long millis) throws InterruptedException {
            Thread.sleep(millis);
            StringBuilder line = new StringBuilder(String.format("[%-10s]", step));
            for (LegacyApp s : services) {
                line.append(String.format(" %s ops=%d errors=%d", s.name(), s.ops(), s.errors()));
            }
            line.append(String.format(" | rewritten=%d dual_writes=%d  %s", counters.rewritten(),
                    counters.dualWrites(), note));
            out.println(line);
        }
    }
}
