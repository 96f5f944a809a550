package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code validate FILE [--url ...]}: the rule file is valid, and with a database, its schema fits the rules. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Checks a rule file, and with --url that the database has what its rules name.",
        description = {"Loads the rule file as the driver does and prints every problem as"
                + " file:line:column: path: reason.%n",
                "With --url, also checks through the database's metadata that every table and column the rules"
                + " name exists where each migration's phase needs it: in expand and migrate the old and the new"
                + " side (for a table move: the old table, its key, the new table and every column it carries);"
                + " in contract the new side; in off nothing. One line per missing table or column."},
        footerHeading = "%n", footer = {"Exit codes: 0 valid (and the schema fits), 1 problems were found,"
                + " 2 bad usage, a missing or unreadable file, or a database that cannot be reached."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML).")
    private Path file;

    @Mixin
    private DatabaseOptions database;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        RuleSet rules;
        try {
            rules = RuleFiles.load(file);
        } catch (RuleFileException e) {
            RuleFiles.printProblems(e, out);
            return DualWriteCli.CHECK_FAILED;
        }
        int count = rules.migrations().size();
        if (!database.given()) {
            out.println("OK: " + file + " is valid (" + count + (count == 1 ? " migration" : " migrations") + ")");
            return DualWriteCli.OK;
        }
        try (Database db = database.open()) {
            SchemaCheck check = new SchemaCheck(db.schema(), file.toString());
            List<String> problems = new ArrayList<>();
            int off = 0;
            for (Migration m : rules.migrations()) {
                problems.addAll(check.problems(m));
                off += m.phase() == Phase.OFF ? 1 : 0;
            }
            problems.forEach(out::println);
            if (!problems.isEmpty()) {
                return DualWriteCli.CHECK_FAILED;
            }
            out.println("OK: " + file + " is valid and its " + (count - off) + " active "
                    + (count - off == 1 ? "migration fits " : "migrations fit ") + db.describe()
                    + (off > 0 ? " (" + off + " off, not checked)" : ""));
            return DualWriteCli.OK;
        }
    }
}
