package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify FILE --url ... --migration ID [--sample N]}: does the new side hold what the rule implies? */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Counts the rows whose new side is missing or differs from what the rule implies.",
        description = {"Compares every row of the old table, in key-ordered chunks, with its new side: the new"
                + " columns (column migration) or the row of the same key in the new table (table move) must hold"
                + " what the rule implies (to_new, the value map, or the value itself); NULL where the rule implies a"
                + " value counts as missing. For a table move, rows of the new table whose key has no old row count"
                + " as differences too. With --sample N only the first N rows the database returns are compared.%n",
                "Prints the counts and the first differing keys (keys only, never other values)."},
        footerHeading = "%n", footer = {"Exit codes: 0 no differences, 1 differences or missing tables/columns, 2 bad"
                + " usage, an invalid rule file, an unknown migration, or a database that cannot be reached."})
final class VerifyCommand implements Callable<Integer> {
    /** Old rows per chunk of a full scan. */
    static final int CHUNK = 10_000;
    /** Differing keys printed. */
    static final int KEYS_SHOWN = 10;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|table:NAME", description = "The rule file (YAML), or the rules table"
            + " table:<schema.table> in the database of --url.")
    private String file;

    @Mixin
    private DatabaseOptions database;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration to verify.")
    private String id;

    @Option(names = "--sample", paramLabel = "N",
            description = "Compare only the first N rows of the old table (default: all of them, in chunks).")
    private Integer sample;

    @Override
    public Integer call() throws SQLException {
        if (!database.given()) {
            throw CliFailure.badInput("--url is required: the database to verify");
        }
        if (sample != null && sample < 1) {
            throw CliFailure.badInput("--sample must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Migration m = RuleFiles.migration(RuleFiles.loadValid(file, database, err), file, id);
        if (!m.phase().dualWrites()) {
            err.println("warning: " + m.id() + " is in phase " + m.phase().yamlName() + ": the driver does not write"
                    + " both sides, so differences may be expected");
        }
        try (Database db = database.open()) {
            return check(db, m, sample, file, out) ? DualWriteCli.OK : DualWriteCli.CHECK_FAILED;
        }
    }

    /** Prints the comparison of one migration; true when nothing differs. */
    static boolean check(Database db, Migration m, Integer sample, String file, PrintWriter out) throws SQLException {
        List<String> missing = new SchemaCheck(db.schema(), file).problems(m);
        if (!missing.isEmpty()) {
            missing.forEach(out::println);
            return false;
        }
        return compare(db, m, sample, out).differing == 0;
    }

    /**
     * Compares (all rows in chunks, or the first {@code sample}) and prints the counts and first keys; the
     * tables and columns must exist. Shared with {@code flip}.
     */
    static Consistency.Result compare(Database db, Migration m, Integer sample, PrintWriter out) throws SQLException {
        Verify verify = new Verify(db);
        Consistency.Result r = sample == null ? verify.full(m, CHUNK, KEYS_SHOWN) : verify.sample(m, sample, KEYS_SHOWN);
        String what = sample == null ? "all " + r.checked + " rows of " + m.table()
                : r.checked + " rows of " + m.table() + " (sample of at most " + sample + ")";
        out.println("verify " + m.id() + ": " + what + " compared, " + r.differing + " differing from the rule"
                + (r.absent > 0 ? " (" + r.absent + " without a row in " + m.toTable() + ")" : "")
                + (r.extra > 0 ? " (" + r.extra + " rows of " + m.toTable() + " without a row in " + m.table() + ")" : ""));
        r.columns.forEach(c -> out.println("  " + c));
        if (!r.keys.isEmpty()) {
            out.println("  first differing keys: " + String.join(" ", r.keys));
        }
        return r;
    }
}
