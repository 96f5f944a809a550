package dev.dualwrite.ops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The operator's command line: {@code java -jar proxy-driver-<version>-all.jar <command> ...}
 * (contract section 6). Exit codes: {@value #OK} success, {@value #CHECK_FAILED} a check failed,
 * {@value #BAD_INPUT} bad usage or bad input.
 */
@Command(name = "dualwrite", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Checks, explains and flips the rules of the dualwrite JDBC driver (a file or a rules table), and backfills and verifies the data.",
        subcommands = {ValidateCommand.class, ExplainCommand.class, FlipCommand.class, StatusCommand.class,
                BackfillCommand.class, VerifyCommand.class, PublishCommand.class, HistoryCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = {
                "Commands given --url need the database's JDBC driver, which the -all jar does not contain:",
                "  java -cp proxy-driver-<version>-all.jar:postgresql.jar \\",
                "      dev.dualwrite.ops.cli.DualWriteCli validate FILE --url ...",
                "",
                "Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input."})
public final class DualWriteCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line and returns its exit code; everything it prints goes to {@code out} and {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(CommandLine.defaultFactory(), out, err, args);
    }

    /** As {@link #execute(PrintWriter, PrintWriter, String...)}, with commands made by {@code factory} (tests). */
    static int execute(CommandLine.IFactory factory, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new DualWriteCli(), factory);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(DualWriteCli::failed);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Without a command there is nothing to do: that is a usage error, not a success. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("dualwrite: name a command (validate, explain, flip, status, backfill, verify, publish or history)");
        spec.commandLine().usage(err);
        return BAD_INPUT;
    }

    /**
     * Expected failures carry their exit code and a message that says what to do; they are printed
     * without a stack trace. Anything else is a bug and keeps its stack trace.
     */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        if (e instanceof CliFailure) {
            err.println(name + ": " + e.getMessage());
            return ((CliFailure) e).exitCode();
        }
        if (e instanceof SQLException) {
            // The database refused a query: the URL, the credentials or the schema are not what the rule file needs.
            err.println(name + ": the database reported: " + e.getMessage() + " (SQLState " + ((SQLException) e).getSQLState()
                    + "); check --url, --user and the schema");
            return BAD_INPUT;
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        err.println(name + ": internal error, please report it with this trace:");
        err.print(trace);
        return CHECK_FAILED;
    }
}
