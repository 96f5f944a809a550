package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
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
                "Prints one line: dualwrite flip rule=<id> phase=<old>-><new> reads=<old>-><new> file=<path>"
                + " sha256=<hex of the new file>"},
        footerHeading = "%n", footer = {"Exit codes: 0 flipped (or nothing to change), 1 refused (unsafe step,"
                + " differences in the data, or an invalid result) with the file unchanged, 2 bad usage, a missing"
                + " file or migration, or a database that cannot be reached."})
final class FlipCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML).")
    private Path file;

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
        RuleFiles.requireReadable(file);
        byte[] before = Files.readAllBytes(file);
        String text = utf8(before);
        RuleSet rules = parse(text, err, "it is already invalid; fix it first (validate lists the problems)");
        Migration m = RuleFiles.migration(rules, file, id);
        RuleFileEdit edit = RuleFileEdit.of(text, id);
        FlipPlan plan = FlipPlan.of(m, phase, reads, edit.hasReads());
        if (!allowed(plan.unsafe(id), err, "unsafe step")) {
            return DualWriteCli.CHECK_FAILED;
        }
        String edited = edit.apply(plan.toPhase == m.phase() ? null : plan.toPhase.yamlName(),
                plan.writeReads == null ? null : plan.writeReads.toString(), plan.removeReads);
        Migration after = parse(edited, err, "the flip would make it invalid").migration(id);
        // the last chances to compare: before reads move to the new side, and before the old side stops being written
        boolean contractNow = after.phase() == Phase.CONTRACT && m.phase() != Phase.CONTRACT;
        if ((readsNewFrom(after) && !readsNewFrom(m)) || contractNow) {
            if (!verified(m, err)) {
                return DualWriteCli.CHECK_FAILED;
            }
        }
        byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
        if (!edited.equals(text)) {
            AtomicFile.replace(file, before, bytes);
        }
        out.println("dualwrite flip rule=" + id + " phase=" + m.phase().yamlName() + "->" + after.phase().yamlName()
                + " reads=" + m.reads() + "->" + after.reads() + " file=" + file + " sha256=" + AtomicFile.sha256(bytes));
        return DualWriteCli.OK;
    }

    /** True when some reads of the migration are served from the new side. */
    private static boolean readsNewFrom(Migration m) {
        ReadFlag.Kind k = m.reads().kind();
        return m.phase() == Phase.CONTRACT
                || (m.phase() == Phase.MIGRATE && (k == ReadFlag.Kind.NEW || k == ReadFlag.Kind.CANARY));
    }

    /**
     * Before the application reads the new side, the new side should hold what the rule implies. With
     * --url it is verified now (all rows, as {@code verify} does, or --sample N); without it the operator
     * is told that nothing was checked. The counts go to standard error: standard output is the flip line.
     */
    private boolean verified(Migration m, PrintWriter err) throws SQLException {
        if (!database.given() || !m.phase().dualWrites()) {
            err.println("warning: nothing was verified: " + (database.given()
                    ? "in phase " + m.phase().yamlName() + " the old side is not written, so there is nothing to compare"
                    : "without --url the data was not compared. Check that the new side holds what the rule implies"
                            + " first: dualwrite verify " + file + " --url JDBC_URL --migration " + m.id()));
            return true;
        }
        try (Database db = database.open()) {
            List<String> missing = new SchemaCheck(db.schema(), file.toString()).problems(m);
            if (!missing.isEmpty()) {
                return allowed(missing, err, "schema incomplete");
            }
            Consistency.Result r = VerifyCommand.compare(db, m, sample, err);
            if (r.differing == 0) {
                err.println("verified: " + r.checked + " rows of " + m.table() + (sample == null ? "" : " (at most "
                        + sample + ")") + " hold what the rule implies");
                return true;
            }
            return allowed(List.of(r.differing + " rows of " + m.table() + (sample == null ? "" : " (of a sample of at"
                    + " most " + sample + ")") + " differ from what the rule implies; backfill them first: dualwrite"
                    + " backfill " + file + " --url ... --migration " + m.id()), err, "data differs");
        }
    }

    /** Prints each reason; false (refused) unless --force. */
    private boolean allowed(List<String> reasons, PrintWriter err, String what) {
        for (String r : reasons) {
            err.println((force ? "warning: forced past " : "refused: ") + what + ": " + r);
        }
        if (!reasons.isEmpty() && !force) {
            err.println("nothing was changed; use --force to do it anyway");
            return false;
        }
        return true;
    }

    private RuleSet parse(String text, PrintWriter err, String context) {
        try {
            return RuleLoader.parse(text, file.toString());
        } catch (RuleFileException e) {
            RuleFiles.printProblems(e, err);
            throw CliFailure.checkFailed(file + " was not changed: " + context);
        }
    }

    private String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CliFailure.badInput(file + " is not valid UTF-8; rule files are UTF-8");
        }
    }
}
