package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.reload.RulesTable;
import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.RuleSet;
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

/** {@code status FILE [--url ...] [--sample N]}: where each migration stands, and with a database, whether the data agrees. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Lists the migrations, and with --url counts rows whose new side differs from the rule.",
        description = {"Lists each migration: id, table (-> new table), phase, reads and columns.%n",
                "With --url, for each migration in expand or migrate, counts over a sample of the old table's rows"
                + " those whose new side is missing (NULL where the rule implies a value) or differs from what the"
                + " rule implies (to_new, the value map, or equality for a rename), and for a table move the old"
                + " rows with no row of the same key in the new table. The sample is the first N rows the database"
                + " returns, not a random one. On MySQL the columns' collations apply: a difference in case only"
                + " is not counted under a case-insensitive collation."},
        footerHeading = "%n", footer = {"Exit codes: 0 no differences (or no --url), 1 differences or missing"
                + " tables/columns, 2 bad usage, an invalid or missing rule file, or a database that cannot be reached."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|table:NAME", description = "The rule file (YAML), or the rules table"
            + " table:<schema.table> in the database of --url.")
    private String file;

    @Mixin
    private DatabaseOptions database;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "10000",
            description = "Check at most N rows of each old table (default: ${DEFAULT-VALUE}).")
    private int sample;

    @Override
    public Integer call() throws SQLException {
        if (sample < 1) {
            throw CliFailure.badInput("--sample must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        RuleSet rules = RuleFiles.loadValid(file, database, spec.commandLine().getErr());
        String name = RulesTable.isTable(file) ? file + " version " + rules.version() : file;
        out.println(name + ": " + rules.migrations().size() + (rules.migrations().size() == 1 ? " migration" : " migrations"));
        if (!database.given()) {
            rules.migrations().forEach(m -> describe(m, out));
            return DualWriteCli.OK;
        }
        boolean clean = true;
        try (Database db = database.open()) {
            SchemaCheck schema = new SchemaCheck(db.schema(), file);
            Consistency consistency = new Consistency(db);
            for (Migration m : rules.migrations()) {
                describe(m, out);
                clean &= check(m, schema, consistency, out);
            }
        }
        return clean ? DualWriteCli.OK : DualWriteCli.CHECK_FAILED;
    }

    private static void describe(Migration m, PrintWriter out) {
        out.println(m.id() + ": " + Describe.tables(m) + (m.key().isEmpty() ? "" : " key " + m.key()) + "; "
                + Describe.state(m));
        for (ColumnRule c : m.columns()) {
            out.println("  " + Describe.column(c));
        }
    }

    /** Prints the counts of one migration; true when there is nothing to fix. */
    private boolean check(Migration m, SchemaCheck schema, Consistency consistency, PrintWriter out)
            throws SQLException {
        if (!m.phase().dualWrites()) {
            out.println("  not checked: in phase " + m.phase().yamlName() + " the old side is not written");
            return true;
        }
        List<String> problems = schema.problems(m);
        if (!problems.isEmpty()) {
            problems.forEach(p -> out.println("  " + p));
            return false;
        }
        Consistency.Result r = consistency.check(m, sample);
        out.println("  sample: " + r.checked + " rows of " + m.table() + " checked (at most " + sample + "), "
                + r.differing + " differing from the rule"
                + (r.absent > 0 ? " (" + r.absent + " without a row in " + m.toTable() + ")" : ""));
        r.columns.forEach(c -> out.println("    " + c));
        return r.differing == 0;
    }
}
