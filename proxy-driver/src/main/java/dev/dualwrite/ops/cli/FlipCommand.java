package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flip FILE --migration ID [--reads R] [--phase P] [--force]}: one step of a migration, as an atomic edit. */
@Command(name = "flip", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Changes the phase or reads of one migration, as an atomic edit that keeps comments.",
        description = {"Changes the phase: and/or reads: line of one migration and nothing else: comments and"
                + " formatting stay byte for byte. A reads: line is added after phase: when missing, and removed"
                + " when it would contradict the new phase. The edited text is validated, written to a temporary"
                + " file in the same directory and renamed over the old file, so running drivers load either the"
                + " old or the new file, never half of one.%n",
                "Refused without --force: a step that skips a phase (expand -> contract, off -> migrate or"
                + " contract), going back from contract (to migrate or expand), and reads other than old outside"
                + " migrate.%n",
                "Before reads come from the new side (reads new, canary:N, or phase contract), --url runs verify"
                + " (every row, or the first --sample N) and refuses on differences without --force; without --url"
                + " nothing is verified and a warning says so.%n",
                "With table:<schema.table> the rules live in a table of the --url database: the edit is inserted"
                + " as the next version, with --by (default: the OS user), --reason and the old and new checksums,"
                + " in one transaction that notifies every PostgreSQL driver at commit; history lists them. --url"
                + " is then also the database that is verified.%n",
                "Prints one line: dualwrite flip rule=<id> phase=<old>-><new> reads=<old>-><new> file=<path>"
                + " sha256=<hex of the new file> (for a table: table=table:<name> version=<n> sha256=<hex>)"},
        footerHeading = "%n", footer = {"Exit codes: 0 flipped (or nothing to change), 1 refused (unsafe step,"
                + " differences in the data, or an invalid result) with the file unchanged, 2 bad usage, a missing"
                + " file or migration, or a database that cannot be reached."})
final class FlipCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|table:NAME", description = "The rule file (YAML), or the rules table"
            + " table:<schema.table> in the database of --url.")
    private String file;

    @Option(names = "--migration", required = true, paramLabel = "ID", description = "The id of the migration to flip.")
    private String id;

    @Option(names = "--reads", paramLabel = "old|new|shadow|shadow:N|canary:N", converter = Converters.ReadFlagConverter.class,
            description = "Where reads come from (phase migrate).")
    private ReadFlag reads;

    @Option(names = "--phase", paramLabel = "expand|migrate|contract|off", converter = Converters.PhaseConverter.class,
            description = "The new phase.")
    private Phase phase;

    @Option(names = "--force", description = "Do it even if the step is unsafe or the data differs (each reason is"
            + " still printed).")
    private boolean force;

    @Mixin
    private DatabaseOptions database;

    @Mixin
    private Authorship by;

    @Option(names = "--sample", paramLabel = "N", description = "With --url, verify only the first N rows of the old"
            + " table instead of all of them.")
    private Integer sample;

    @Override
    public Integer call() throws IOException, SQLException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (reads == null && phase == null) {
            throw CliFailure.badInput("nothing to flip: give --reads, --phase or both");
        }
        if (sample != null && sample < 1) {
            throw CliFailure.badInput("--sample must be at least 1");
        }
        try (RuleStore store = RuleStore.open(file, database)) {
            RuleStore.Stored before = store.read();
            String text = before.text;
            RuleSet rules = parse(text, err, "it is already invalid; fix it first (validate lists the problems)");
            Migration m = RuleFiles.migration(rules, file, id);
            RuleFileEdit edit = RuleFileEdit.of(text, id);
            FlipPlan plan = FlipPlan.of(m, phase, reads, edit.hasReads());
            StepChecks checks = new StepChecks(force, database, sample, file, err);
            if (!checks.allowed(plan.unsafe(id), "unsafe step")) {
                return DualWriteCli.CHECK_FAILED;
            }
            String edited = edit.apply(plan.toPhase == m.phase() ? null : plan.toPhase.yamlName(),
                    plan.writeReads == null ? null : plan.writeReads.toString(), plan.removeReads);
            Migration after = parse(edited, err, "the flip would make it invalid").migration(id);
            if (!checks.dataAllows(m, after)) {
                return DualWriteCli.CHECK_FAILED;
            }
            String where = edited.equals(text) ? store.where(before) : store.store(before, edited, by.name(), by.reason());
            out.println("dualwrite flip rule=" + id + " phase=" + m.phase().yamlName() + "->" + after.phase().yamlName()
                    + " reads=" + m.reads() + "->" + after.reads() + " " + where);
            return DualWriteCli.OK;
        }
    }

    private RuleSet parse(String text, PrintWriter err, String context) {
        try {
            return RuleLoader.parse(text, file);
        } catch (RuleFileException e) {
            RuleFiles.printProblems(e, err);
            throw CliFailure.checkFailed(file + " was not changed: " + context);
        }
    }
}
