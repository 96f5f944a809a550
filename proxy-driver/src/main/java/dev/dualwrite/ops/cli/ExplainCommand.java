package dev.dualwrite.ops.cli;

import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.ReadChoice;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.Phase;
import dev.dualwrite.rules.ReadFlag;
import dev.dualwrite.rules.RuleSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code explain FILE --dialect D --sql S}: what the driver would send for one statement, in every state
 * of every migration, without a database. The output is stable (the same input always prints the same
 * text), so it can be kept in a review or a test.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpAutoWidth = true, descriptionHeading = "%n",
        header = "Shows how the driver rewrites a statement in each phase, without a database.",
        description = {"For each migration of the rule file in each state (expand; migrate, reads old; migrate,"
                + " reads new; contract), the other migrations staying as the file says, prints the SQL the driver"
                + " sends, which of the application's parameters each ? is bound from (?2<-1: the second ? gets"
                + " the application's first parameter), the extra statements of a script (before/after), or why"
                + " the statement would be rejected (SQLState 0A000).%n",
                "No database is used: statements that need table metadata (table moves while both tables are"
                + " written, SELECT *, INSERT without a column list, unqualified columns in joins) show as rejected"
                + " where the driver, which reads the metadata, would rewrite them, unless --columns gives the"
                + " tables' columns."},
        footerHeading = "%n", footer = {"Exit codes: 0 explained, 2 bad usage (unknown dialect, no --sql) or an"
                + " invalid rule file."})
final class ExplainCommand implements Callable<Integer> {
    /** The states an operator moves a migration through, in order. */
    private enum State {
        EXPAND("expand", Phase.EXPAND, ReadFlag.OLD),
        MIGRATE_OLD("migrate, reads old", Phase.MIGRATE, ReadFlag.OLD),
        MIGRATE_NEW("migrate, reads new", Phase.MIGRATE, ReadFlag.NEW),
        CONTRACT("contract", Phase.CONTRACT, ReadFlag.NEW);

        final String label;
        final Phase phase;
        final ReadFlag reads;

        State(String label, Phase phase, ReadFlag reads) {
            this.label = label;
            this.phase = phase;
            this.reads = reads;
        }
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML).")
    private Path file;

    @Option(names = "--dialect", required = true, paramLabel = "postgresql|mysql", converter = Converters.DialectConverter.class,
            description = "The database's SQL dialect (MariaDB counts as mysql).")
    private Dialect dialect;

    @Option(names = "--sql", required = true, paramLabel = "SQL",
            description = "The statement as the application sends it, with ? for parameters.")
    private String sql;

    @Option(names = "--columns", paramLabel = "TABLE=COL,COL,...", description = "The columns of a table in table"
            + " order, as the database would report them; repeat for each table. Lets explain show what needs"
            + " metadata: table moves, SELECT *, INSERT without a column list. Keys come from the rules' key:.")
    private List<String> columns = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RuleSet rules = RuleFiles.loadValid(file, spec.commandLine().getErr());
        Catalog catalog = new GivenColumns(columns, dialect);
        out.println("statement: " + sql);
        out.println("dialect: " + dialect.name().toLowerCase(java.util.Locale.ROOT));
        out.println();
        // canary and shadow serve (most) reads from old; their new side shows under "migrate, reads new"
        out.println("as the file says" + (rules.migrations().isEmpty() ? " (no migrations)" : "") + ":");
        print(Rewriter.rewrite(sql, rules, dialect, ReadChoice.defaults(rules), catalog), out);
        for (Migration m : rules.migrations()) {
            out.println();
            out.println("migration " + m.id() + " (" + Describe.tables(m) + "; the file says " + Describe.state(m) + ")");
            List<String> shown = new ArrayList<>();
            boolean touched = false;
            for (State s : State.values()) {
                RuleSet variant = withState(rules, m, s);
                Rewrite r = Rewriter.rewrite(sql, variant, dialect, ReadChoice.defaults(variant), catalog);
                touched |= r.touched().stream().anyMatch(t -> t.id().equals(m.id()));
                StringWriter text = new StringWriter();
                print(r, new PrintWriter(text));
                shown.add(text.toString());
            }
            if (!touched) {
                out.println("  not touched by this statement");
                continue;
            }
            // a state that does what the one before it does says so, instead of repeating it
            int sameAs = 0;
            for (State s : State.values()) {
                int i = s.ordinal();
                if (i > 0 && shown.get(i).equals(shown.get(i - 1))) {
                    out.println("  " + s.label + ": same as " + State.values()[sameAs].label);
                } else {
                    sameAs = i;
                    out.println("  " + s.label + ":");
                    out.print(shown.get(i));
                }
            }
        }
        return DualWriteCli.OK;
    }

    /** The rule file with one migration put in another state, the rest as written. */
    private static RuleSet withState(RuleSet rules, Migration m, State s) {
        List<Migration> ms = new ArrayList<>();
        for (Migration x : rules.migrations()) {
            ms.add(x != m ? x : new Migration(x.id(), x.table(), x.toTable(), x.key(), s.phase, s.reads,
                    x.columns(), x.line()));
        }
        return new RuleSet(rules.source(), rules.version(), rules.onUnparseable(), ms);
    }

    private static String outcome(Rewrite r) {
        if (r.kind() == Rewrite.Kind.REJECTED) {
            return "rejected (0A000): " + r.reason();
        }
        if (r.kind() == Rewrite.Kind.PASS_THROUGH) {
            return r.reason() == null ? "passes through unchanged"
                    : "passes through unchanged (on_unparseable: pass) although it cannot be rewritten: " + r.reason();
        }
        return "rewritten";
    }

    private static void print(Rewrite r, PrintWriter out) {
        if (r.kind() != Rewrite.Kind.REWRITTEN) {
            out.println("    " + outcome(r));
            return;
        }
        for (int i = 0; i < r.before().size(); i++) {
            step("before " + (i + 1), r.before().get(i).sql(), r.before().get(i).parameterMap(), out);
        }
        step(r.isScript() ? "statement" : "sql", r.sql(), r.parameterMap(), out);
        for (int i = 0; i < r.after().size(); i++) {
            step("after " + (i + 1), r.after().get(i).sql(), r.after().get(i).parameterMap(), out);
        }
    }

    private static void step(String label, String sql, int[] parameterMap, PrintWriter out) {
        String indent = "    ";
        out.println(indent + label + ": " + sql.replace("\n", "\n" + indent + "  "));
        out.println(indent + "parameters: " + parameters(parameterMap));
    }

    /** {@code ?1<-1 ?2<-1 ?3<-2}: the n-th ? of the SQL sent is bound from the application's parameter m. */
    static String parameters(int[] map) {
        if (map == null) {
            return "as written";
        }
        if (map.length == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < map.length; i++) {
            sb.append(i == 0 ? "" : " ").append('?').append(i + 1).append("<-").append(map[i]);
        }
        return sb.toString();
    }
}
