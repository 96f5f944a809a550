package dev.dualwrite.examples.plainjdbc;

import dev.dualwrite.examples.rename.LegacyUserDao;
import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.ExampleLogging;
import dev.dualwrite.examples.support.RuleFile;
import java.io.PrintStream;
import java.sql.DriverManager;
import java.util.List;

/**
 * A plain JDBC application (DriverManager, no pool) whose only change is its URL:
 * {@code jdbc:postgresql://...} became {@code jdbc:dualwrite:postgresql://...?dualwrite.rules=...}.
 * The driver registers itself with DriverManager, so no class name is needed either.
 */
public final class PlainJdbcExample {
    private PlainJdbcExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleLogging.oneLinePerRecord();
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            run(db, System.out);
        }
    }

    /** Runs the rename on {@code db}; returns the names the application read. */
    public static List<String> run(EmbeddedDatabase db, PrintStream out) throws Exception {
        RuleFile rules = RuleFile.create("plainjdbc");
        String url = db.dualWriteUrl(rules);
        out.println("plain JDBC, URL " + url);
        LegacyUserDao app = new LegacyUserDao(() -> DriverManager.getConnection(url, db.user(), db.password()));
        return new RenameUsersColumn(db, rules, "ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL", out).run(app);
    }
}
