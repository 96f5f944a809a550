package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rules.Migration;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backfill FILE --url ... --migration ID}: fills the new side of old rows under the rule's mapping. */
@Command(name = "backfill", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Fills the new column(s) or table from the old rows, batch by batch in key order.",
        description = {"Walks the old table in key order (the rule's key: or the primary key; composite keys work),"
                + " at most --batch-size rows per batch, each batch its own short transaction: one statement writes"
                + " the batch's key range under the rule's mapping (the driver's own: to_new, the value map, or the"
                + " value itself), reading each row under its row lock, so it is safe while the application writes"
                + " through the driver. Column migration: UPDATE of the rows whose new columns differ. Table move:"
                + " upsert of the range into the new table. Rows that already agree are not written.%n",
                "Progress (last key, rows done, start, rule checksum) is kept in the table dualwrite_backfill_progress,"
                + " updated in each batch's transaction: a run that was stopped resumes after its last batch; a"
                + " changed rule starts over with a warning; a finished one checks again from the start.%n",
                "Throttling: --pause after each batch, --max-rows-per-second, and with --max-lag a wait before each"
                + " batch while the replica lag is above it (PostgreSQL: pg_stat_replication on the primary; MySQL:"
                + " SHOW REPLICA STATUS on each --replica-url; or any --lag-query)."},
        footerHeading = "%n", footer = {"Exit codes: 0 done (or --dry-run), 1 missing tables or columns, or another run"
                + " took over, 2 bad usage, an invalid rule file, a migration not in expand or migrate, or a database"
                + " that cannot be reached or refuses a statement."})
final class BackfillCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|table:NAME", description = "The rule file (YAML), or the rules table"
            + " table:<schema.table> in the database of --url.")
    private String file;

    @Mixin
    private DatabaseOptions database;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration to backfill.")
    private String id;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Rows per batch (transaction), default ${DEFAULT-VALUE}.")
    private int batchSize;

    @Option(names = "--pause", paramLabel = "MS", defaultValue = "0",
            description = "Milliseconds to sleep after each batch, default ${DEFAULT-VALUE}.")
    private long pause;

    @Option(names = "--max-rows-per-second", paramLabel = "N", defaultValue = "0",
            description = "Sleep as needed to stay at or under N rows per second over the run; 0 (default): no cap.")
    private long maxRowsPerSecond;

    @Option(names = "--max-lag", paramLabel = "SECONDS",
            description = "Before each batch, wait while the replica lag is above this.")
    private Double maxLag;

    @Option(names = "--replica-url", paramLabel = "JDBC_URL",
            description = "MySQL/MariaDB: a replica whose SHOW REPLICA STATUS gives the lag (repeatable; same --user"
                    + " and --password).")
    private List<String> replicaUrls = new ArrayList<>();

    @Option(names = "--lag-query", paramLabel = "SQL",
            description = "A query on the primary whose first column is the lag in seconds (e.g. a pt-heartbeat table);"
                    + " used instead of the engine's own.")
    private String lagQuery;

    @Option(names = "--progress-every", paramLabel = "N", defaultValue = "10",
            description = "Without a terminal, one progress line every N batches, default ${DEFAULT-VALUE}.")
    private int progressEvery;

    @Option(names = "--dry-run", description = "Print the plan and the SQL of a batch; write nothing.")
    private boolean dryRun;

    private final Clock clock;
    private final Backfill.BatchHook hook;
    private final Boolean terminal;

    BackfillCommand() {
        this(Clock.SYSTEM, Backfill.BatchHook.NONE, null);
    }

    /** For tests: a clock that need not wait, a hook into each batch, and whether output is a terminal. */
    BackfillCommand(Clock clock, Backfill.BatchHook hook, Boolean terminal) {
        this.clock = clock;
        this.hook = hook;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws SQLException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        Migration m = RuleFiles.migration(RuleFiles.loadValid(file, database, err), file, id);
        if (!m.phase().dualWrites()) {
            throw CliFailure.badInput(m.id() + " is in phase " + m.phase().yamlName() + "; backfill runs while the"
                    + " driver writes both sides (expand or migrate), else rows written meanwhile are missed");
        }
        try (Database db = dryRun ? database.open() : database.openWritable()) {
            List<String> missing = new SchemaCheck(db.schema(), file).problems(m);
            if (!missing.isEmpty()) {
                missing.forEach(out::println);
                return DualWriteCli.CHECK_FAILED;
            }
            BackfillStatements sql = BackfillStatements.of(db, m, batchSize);
            Long estimate = Backfill.estimate(db, m);
            List<LagSource> lag = lagSources(db);
            try {
                Throttle throttle = new Throttle(clock, pause, maxRowsPerSecond, maxLag, lag, err);
                Backfill backfill = new Backfill(db, m, sql, throttle, clock, hook, out, err);
                if (dryRun) {
                    plan(backfill, db, m, sql, estimate, out);
                    return DualWriteCli.OK;
                }
                boolean onTerminal = terminal != null ? terminal : System.console() != null;
                ProgressReport report = new ProgressReport(out, onTerminal, progressEvery, clock, m.id(), estimate);
                Backfill.Summary s = backfill.run(report);
                out.println("backfill " + m.id() + ": done: " + s.rows + " rows in " + s.batches + " batches this run ("
                        + s.written + " written), " + s.rowsDone + " rows in all; "
                        + String.format(java.util.Locale.ROOT, "%.1f s, ", s.seconds) + Backfill.rate(s) + " rows/s"
                        + (throttle.waitedMillis() > 0 ? ", " + throttle.waitedMillis() + " ms of it throttled" : ""));
                return DualWriteCli.OK;
            } finally {
                lag.forEach(LagSource::close);
            }
        }
    }

    private void checkOptions() {
        if (!database.given()) {
            throw CliFailure.badInput("--url is required: the database to backfill");
        }
        if (batchSize < 1) {
            throw CliFailure.badInput("--batch-size must be at least 1");
        }
        if (pause < 0 || maxRowsPerSecond < 0) {
            throw CliFailure.badInput("--pause and --max-rows-per-second cannot be negative");
        }
        if (progressEvery < 1) {
            throw CliFailure.badInput("--progress-every must be at least 1");
        }
        if (maxLag != null && maxLag < 0) {
            throw CliFailure.badInput("--max-lag cannot be negative");
        }
    }

    private List<LagSource> lagSources(Database db) {
        List<LagSource> out = new ArrayList<>();
        if (lagQuery != null) {
            out.add(LagSource.query(db.connection(), lagQuery));
        }
        for (String url : replicaUrls) {
            if (db.dialect() != Dialect.MYSQL) {
                throw CliFailure.badInput("--replica-url is for MySQL/MariaDB replicas; on PostgreSQL the lag is read"
                        + " from pg_stat_replication on the primary (or give --lag-query)");
            }
            out.add(LagSource.mysqlReplica("replica " + (out.size() + 1), database.openOther(url)));
        }
        if (out.isEmpty() && maxLag != null) {
            if (db.dialect() == Dialect.MYSQL) {
                throw CliFailure.badInput("--max-lag on MySQL/MariaDB needs the replicas: give --replica-url for each"
                        + " (or a --lag-query)");
            }
            out.add(LagSource.postgresReplicas(db.connection()));
        }
        return out;
    }

    private void plan(Backfill backfill, Database db, Migration m, BackfillStatements sql, Long estimate,
            PrintWriter out) throws SQLException {
        ProgressTable progress = new ProgressTable(db);
        Backfill.Start start = backfill.start(progress.read(m.id()));
        out.println("backfill " + m.id() + " (dry run, nothing is written): " + Describe.tables(m) + ", key ("
                + sql.key().list(null) + "), " + (estimate == null ? "row count unknown" : "about " + estimate + " rows")
                + ", batches of " + batchSize + (estimate == null ? "" : " (about " + ((estimate + batchSize - 1)
                / batchSize) + ")"));
        out.println("  progress: " + start.why + (progress.exists() ? "" : "; " + ProgressTable.NAME
                + " would be created"));
        out.println("  each batch, in one transaction:");
        out.println("    " + sql.nextKeys(start.after == null));
        out.println("    " + sql.batch(start.after == null));
        out.println("    UPDATE " + ProgressTable.NAME + " SET last_key = ?, rows_done = rows_done + ?, ...");
    }
}
