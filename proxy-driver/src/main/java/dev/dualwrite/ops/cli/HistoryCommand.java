package dev.dualwrite.ops.cli;

import dev.dualwrite.jdbc.reload.RulesTable;
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

/** {@code history table:NAME --url ...}: every version of a rules table, newest first: the audit log of flips. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Lists the versions of a rules table, newest first: who changed the rules, when and why.",
        description = {"Prints one line per version: dualwrite history version=<n> at=<ISO-8601 time> by=<who>"
                + " previous_sha256=<hex or none> sha256=<hex> reason=<text or empty>. Rows are never changed, so"
                + " this is the audit log of every publish and flip."},
        footerHeading = "%n", footer = {"Exit codes: 0 listed, 2 bad usage, a missing or empty table, or a database"
                + " that cannot be reached."})
final class HistoryCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "table:NAME", description = "The rules table, table:<schema.table>.")
    private String target;

    @Mixin
    private DatabaseOptions database;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N versions.")
    private Integer limit;

    @Override
    public Integer call() throws SQLException {
        if (!RulesTable.isTable(target)) {
            throw CliFailure.badInput(target + " is not a rules table (table:<schema.table>); a rule file's history"
                    + " is in its version control");
        }
        if (limit != null && limit < 1) {
            throw CliFailure.badInput("--limit must be at least 1");
        }
        if (!database.given()) {
            throw CliFailure.badInput("give --url, the JDBC URL of the database that holds " + target);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RuleTable table = RuleTable.open(target, database)) {
            List<RuleTable.Entry> entries = table.history();
            if (entries.isEmpty()) {
                throw CliFailure.badInput(target + " holds no versions; publish one: dualwrite publish FILE --to "
                        + target + " --url JDBC_URL");
            }
            int n = limit == null ? entries.size() : Math.min(limit, entries.size());
            for (RuleTable.Entry e : entries.subList(0, n)) {
                out.println("dualwrite history version=" + e.version + " at=" + e.publishedAt + " by=" + quoted(e.by)
                        + " previous_sha256=" + (e.previousSha256 == null ? "none" : e.previousSha256.trim())
                        + " sha256=" + e.sha256.trim() + " reason=" + quoted(e.reason == null ? "" : e.reason));
            }
            return DualWriteCli.OK;
        }
    }

    /** Plain words as they are; anything with spaces, quotes or line breaks in double quotes, escaped. */
    private static String quoted(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\\' || c < 0x20)) {
            return s;
        }
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + '"';
    }
}
