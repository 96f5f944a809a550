package dev.dualwrite.ops.cli;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Loading a rule file for a command. A file that is not there or cannot be read is bad input (exit 2);
 * a file that is there but invalid is what {@code validate} checks for (exit 1).
 */
final class RuleFiles {
    private RuleFiles() {
    }

    /** Checks that the file can be read at all, before anything is parsed. */
    static void requireReadable(Path file) {
        if (!Files.exists(file)) {
            throw CliFailure.badInput(file + " does not exist; give the path of the rule file");
        }
        if (Files.isDirectory(file)) {
            throw CliFailure.badInput(file + " is a directory; give the path of the rule file");
        }
        if (!Files.isReadable(file)) {
            throw CliFailure.badInput(file + " cannot be read; check its permissions");
        }
    }

    /** Loads the file; an invalid one is left to the caller (it is what {@code validate} reports). */
    static RuleSet load(Path file) throws RuleFileException {
        requireReadable(file);
        return RuleLoader.load(file);
    }

    /** Loads a file that a command needs valid: problems are printed and end the command with exit 2. */
    static RuleSet loadValid(Path file, PrintWriter err) {
        try {
            return load(file);
        } catch (RuleFileException e) {
            printProblems(e, err);
            throw CliFailure.badInput(file + " is not a valid rule file; fix the problems above"
                    + " (dualwrite validate " + file + " lists them)");
        }
    }

    /**
     * Loads the document of a file or a rules table ({@link RuleStore}) that a command needs valid: problems
     * are printed and end the command with exit 2.
     */
    static RuleSet loadValid(String target, DatabaseOptions database, PrintWriter err) throws java.sql.SQLException {
        if (!dev.dualwrite.jdbc.reload.RulesTable.isTable(target)) {
            return loadValid(Path.of(target), err);
        }
        try (RuleStore store = RuleStore.open(target, database)) {
            RuleStore.Stored doc = store.read();
            return RuleLoader.parse(doc.text, target + " version " + doc.version).withVersion(doc.version);
        } catch (RuleFileException e) {
            printProblems(e, err);
            throw CliFailure.badInput(target + " holds an invalid document; publish a valid one (dualwrite validate FILE"
                    + " lists the problems of a file)");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // a table is not a file
        }
    }

    /** The migration of that id, or exit 2 with the ids the file has. */
    static Migration migration(RuleSet rules, String file, String id) {
        Migration m = rules.migration(id);
        if (m == null) {
            throw CliFailure.badInput("no migration '" + id + "' in " + file + "; its migrations are: "
                    + rules.migrations().stream().map(Migration::id).collect(Collectors.joining(", ")));
        }
        return m;
    }

    /** One line per problem, {@code file:line:column: path: reason}, as the driver logs them. */
    static void printProblems(RuleFileException e, PrintWriter out) {
        for (RuleFileException.Problem p : e.problems()) {
            out.println(p);
        }
    }
}
