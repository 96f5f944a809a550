package dev.dualwrite.examples.rename;

import dev.dualwrite.examples.support.BackfillCommand;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleCounters;
import dev.dualwrite.examples.support.RuleFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The column rename {@code users.user_name -> display_name}, step by step, with a legacy DAO that
 * only knows {@code user_name}: expand, backfill, flip reads, contract, drop. The operator's DDL and
 * checks go through the real driver ({@link RawDb}); only the DAO goes through dualwrite.
 *
 * <p>The same walk runs on PostgreSQL and on MariaDB; the one statement that differs is how the old
 * column stops being mandatory.
 */
public final class RenameUsersColumn {
    public static final String RULE_ID = "users-display-name";

    private final EmbeddedDatabase database;
    private final RawDb raw;
    private final RuleFile rules;
    private final String relaxOldColumnDdl;
    private final PrintStream out;

    /**
     * @param relaxOldColumnDdl the engine's statement that makes {@code users.user_name} nullable
     */
    public RenameUsersColumn(EmbeddedDatabase database, RuleFile rules, String relaxOldColumnDdl, PrintStream out) {
        this.database = database;
        this.raw = database.raw();
        this.rules = rules;
        this.relaxOldColumnDdl = relaxOldColumnDdl;
        this.out = out;
    }

    /** The rule file for the rename in one phase; {@code reads} only in migrate. */
    public static String rules(String phase, String reads) {
        return RuleFile.yaml(migration(phase, reads));
    }

    /** The rename's entry in a rule file. */
    public static String migration(String phase, String reads) {
        return "  - id: " + RULE_ID + "\n"
                + "    table: users\n"
                + "    phase: " + phase + "\n"
                + (reads == null ? "" : "    reads: " + reads + "\n")
                + "    columns:\n"
                + "      user_name:\n"
                + "        to: display_name\n";
    }

    /**
     * Runs the migration with the DAO doing its usual work in between.
     *
     * @return every name the DAO read back, in order
     */
    public List<String> run(LegacyUserDao app) throws Exception {
        List<String> reads = new ArrayList<>();
        RuleCounters counters = rules.counters(RULE_ID);
        raw.exec("CREATE TABLE users (id BIGINT PRIMARY KEY, user_name VARCHAR(100) NOT NULL)",
                "INSERT INTO users (id, user_name) VALUES (1, 'ada'), (2, 'brian'), (3, 'chen')");
        rules.write(rules("off", null));

        step("0 off", "the app runs through the driver; phase off passes every statement through");
        app.insert(4, "dora");
        reads.add(show("app reads user 4", app.nameOf(4)));

        step("1 expand", "ALTER TABLE users ADD COLUMN display_name VARCHAR(100); rules: phase expand");
        raw.exec("ALTER TABLE users ADD COLUMN display_name VARCHAR(100)");
        rules.update(rules("expand", null));
        app.insert(5, "emil");
        app.rename(1, "ada.lovelace");
        table("the app inserted user 5 and renamed user 1: both columns written");

        step("2 backfill", "the backfill command copies user_name to display_name for rows written before expand");
        out.println("    " + BackfillCommand.run(database, rules, RULE_ID, 100));
        out.println("    rows where the columns differ: "
                + raw.queryLong("SELECT count(*) FROM users WHERE display_name IS NULL OR display_name <> user_name"));

        step("3 flip", "rules: phase migrate, reads new");
        rules.update(rules("migrate", "new"));
        long readsNewBefore = counters.readsNew();
        reads.add(show("app reads user 2", app.nameOf(2)));
        reads.add(show("app looks up 'ada.lovelace', id", String.valueOf(app.idOf("ada.lovelace"))));
        out.println("    reads the driver sent to display_name: " + (counters.readsNew() - readsNewBefore));

        step("4 contract", relaxOldColumnDdl + "; rules: phase contract");
        raw.exec(relaxOldColumnDdl);
        rules.update(rules("contract", null));
        app.insert(6, "fay");
        table("the app inserted user 6: only display_name written");

        step("5 drop", "ALTER TABLE users DROP COLUMN user_name");
        raw.exec("ALTER TABLE users DROP COLUMN user_name");
        app.rename(5, "emil.k");
        app.insert(7, "gus");
        reads.add(show("app reads user 5", app.nameOf(5)));
        reads.add(show("app reads user 7", app.nameOf(7)));
        table("the app renamed user 5 and inserted user 7, with user_name gone");

        out.println("driver counters (JMX): rewritten=" + counters.rewritten() + " dual_writes="
                + counters.dualWrites() + " reads_new=" + counters.readsNew() + " rejected=" + counters.rejected());
        return reads;
    }

    private void step(String step, String what) {
        out.printf("[%-10s] %s%n", step, what);
    }

    private String show(String what, String value) {
        out.println("    " + what + ": " + value);
        return value;
    }

    /** The table as it really is, through the real driver. */
    private void table(String what) throws Exception {
        out.println("    " + what + " (real table, id | user_name | display_name):");
        boolean oldColumn = raw.columnExists("users", "user_name");
        String sql = oldColumn ? "SELECT id, user_name, display_name FROM users ORDER BY id"
                : "SELECT id, '(dropped)', display_name FROM users ORDER BY id";
        for (List<String> row : raw.rows(sql)) {
            out.println("      " + String.join(" | ", row));
        }
    }
}
