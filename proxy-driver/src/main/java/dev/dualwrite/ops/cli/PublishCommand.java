package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.reload.RulesTable;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/** {@code publish FILE --to table:NAME --url ...}: a rule file becomes the next version of a rules table. */
@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Publishes a rule file as the next version of a rules table, after validating it.",
        description = {"Validates FILE and inserts it as the next version of the rules table (creating the table,"
                + " and its schema, where missing), with --by (default: the OS user), --reason and the old and new"
                + " checksums, in one transaction that notifies every PostgreSQL driver at commit. Drivers started"
                + " with dualwrite.rules=table:<name> use it for every statement after they see it.%n",
                "Refused without --force, with the table unchanged: an invalid file; a migration whose step from"
                + " the current version is unsafe (as flip refuses it); a migration in use that the file removes;"
                + " before reads come from the new side, differences in the data (verified as flip does it)."
                + " A file identical to the current version publishes nothing.%n",
                "Prints one line: dualwrite publish file=<path> table=table:<name> version=<n> sha256=<hex>"},
        footerHeading = "%n", footer = {"Exit codes: 0 published (or identical), 1 refused (invalid file, unsafe"
                + " step, data differs, or a concurrent publish), 2 bad usage, a missing file, or a database that"
                + " cannot be reached."})
final class PublishCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML) to publish.")
    private Path file;

    @Option(names = "--to", required = true, paramLabel = "table:NAME", description = "The rules table,"
            + " table:<schema.table>, in the database of --url.")
    private String to;

    @Option(names = "--force", description = "Publish even if a step is unsafe or the data differs (each reason is"
            + " still printed). An invalid file is never published.")
    private boolean force;

    @Mixin
    private DatabaseOptions database;

    @Mixin
    private Authorship by;

    @Option(names = "--sample", paramLabel = "N", description = "Verify only the first N rows of each old table"
            + " instead of all of them.")
    private Integer sample;

    @Override
    public Integer call() throws IOException, SQLException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!RulesTable.isTable(to)) {
            throw CliFailure.badInput("--to must name a rules table, table:<schema.table>; a file is changed with flip");
        }
        if (!database.given()) {
            throw CliFailure.badInput("give --url, the JDBC URL of the database that holds " + to);
        }
        RuleStore.Stored doc = new RuleStore.FileStore(file).read();
        RuleSet next;
        try {
            next = RuleLoader.parse(doc.text, file.toString());
        } catch (RuleFileException e) {
            RuleFiles.printProblems(e, err);
            err.println("refused: " + file + " is invalid; " + to + " was not changed");
            return DualWriteCli.CHECK_FAILED;
        }
        try (RuleTable table = RuleTable.open(to, database)) {
            table.create();
            RuleStore.Stored current = table.readIfAny();
            if (current != null && current.text.equals(doc.text)) {
                out.println("dualwrite publish file=" + file + " unchanged " + table.where(current));
                return DualWriteCli.OK;
            }
            if (current != null && !stepsAllowed(current, next, err)) {
                return DualWriteCli.CHECK_FAILED;
            }
            String where = table.store(current, doc.text, by.name(), by.reason());
            out.println("dualwrite publish file=" + file + " " + where);
            return DualWriteCli.OK;
        }
    }

    /** Every migration's step from the current version to the file, as flip checks one. */
    private boolean stepsAllowed(RuleStore.Stored current, RuleSet next, PrintWriter err) throws SQLException {
        RuleSet before;
        try {
            before = RuleLoader.parse(current.text, to + " version " + current.version);
        } catch (RuleFileException e) {
            return true; // nothing valid to step from: drivers still run on an older good version
        }
        StepChecks checks = new StepChecks(force, database, sample, to, err);
        List<String> unsafe = new ArrayList<>();
        for (Migration m : next.migrations()) {
            Migration was = before.migration(m.id());
            Phase from = was == null ? Phase.OFF : was.phase();
            unsafe.addAll(FlipPlan.step(from, m).unsafe(m.id()));
        }
        for (Migration was : before.migrations()) {
            if (next.migration(was.id()) == null && was.phase() != Phase.OFF) {
                unsafe.add(was.id() + " is in phase " + was.phase().yamlName() + " and the file removes it: drivers would"
                        + " stop rewriting its statements at once. Flip it to off first (or to contract, once no"
                        + " application uses the old names, then off)");
            }
        }
        if (!checks.allowed(unsafe, "unsafe step")) {
            return false;
        }
        for (Migration m : next.migrations()) {
            Migration was = before.migration(m.id());
            if (was != null && !checks.dataAllows(was, m)) {
                return false;
            }
        }
        return true;
    }
}
