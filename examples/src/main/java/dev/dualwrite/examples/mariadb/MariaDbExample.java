package dev.dualwrite.examples.mariadb;

import dev.dualwrite.examples.rename.LegacyUserDao;
import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.ExampleLogging;
import dev.dualwrite.examples.support.RuleFile;
import java.io.PrintStream;
import java.sql.DriverManager;
import java.util.List;

/**
 * The plain JDBC rename on MySQL's side: an embedded MariaDB, MySQL Connector/J, and the URL
 * {@code jdbc:dualwrite:mysql://...}. The rule file and the application code are the same as on
 * PostgreSQL; the driver takes the dialect from the wrapped URL.
 */
public final class MariaDbExample {
    private MariaDbExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleLogging.oneLinePerRecord();
        try (EmbeddedDatabase db = EmbeddedDatabase.mariaDb()) {
            run(db, System.out);
        }
    }

    /** Runs the rename on {@code db}; returns the names the application read. */
    public static List<String> run(EmbeddedDatabase db, PrintStream out) throws Exception {
        RuleFile rules = RuleFile.create("mariadb");
        String url = db.dualWriteUrl(rules);
        out.println("MariaDB through MySQL Connector/J, URL " + url);
        LegacyUserDao app = new LegacyUserDao(() -> DriverManager.getConnection(url, db.user(), db.password()));
        // MySQL has no ALTER COLUMN ... DROP NOT NULL: the column is redefined as nullable.
        return new RenameUsersColumn(db, rules, "ALTER TABLE users MODIFY user_name VARCHAR(100) NULL", out).run(app);
    }
}
