package dev.dualwrite.examples.hikari;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.examples.rename.LegacyUserDao;
import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.ExampleLogging;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleFile;
import dev.dualwrite.jdbc.DualWriteDataSource;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HikariCP, configured the two ways an application can be:
 *
 * <ul>
 * <li>{@code jdbcUrl} + {@code driverClassName}: the pool opens connections through the dualwrite
 * driver, so only configuration changes;</li>
 * <li>{@link DualWriteDataSource} around an existing {@code HikariDataSource}: the pool keeps talking to
 * the real driver and the application is handed the wrapper, for code that is given a DataSource.</li>
 * </ul>
 *
 * Both pools write through the same rule file; in expand every write reaches both columns, and after the
 * flip both read {@code display_name} under the label {@code user_name}.
 */
public final class HikariExample {
    private HikariExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleLogging.oneLinePerRecord();
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            run(db, System.out);
        }
    }

    /** Runs both pools on {@code db}; returns what each read after the flip, by pool name. */
    public static Map<String, String> run(EmbeddedDatabase db, PrintStream out) throws Exception {
        RawDb raw = db.raw();
        raw.exec("CREATE TABLE users (id BIGINT PRIMARY KEY, user_name VARCHAR(100) NOT NULL,"
                + " display_name VARCHAR(100))");
        RuleFile rules = RuleFile.create("hikari");
        rules.write(RenameUsersColumn.rules("expand", null));

        // Way 1: the pool is given the dualwrite URL and driver class.
        HikariConfig byUrl = new HikariConfig();
        byUrl.setPoolName("by-url");
        byUrl.setDriverClassName("dev.dualwrite.jdbc.DualWriteDriver");
        byUrl.setJdbcUrl(db.dualWriteUrl(rules));
        byUrl.setUsername(db.user());
        byUrl.setPassword(db.password());
        byUrl.setMaximumPoolSize(2);

        // Way 2: an existing pool on the real driver, unchanged, wrapped for the application.
        HikariConfig existing = new HikariConfig();
        existing.setPoolName("existing");
        existing.setJdbcUrl(db.jdbcUrl());
        existing.setUsername(db.user());
        existing.setPassword(db.password());
        existing.setMaximumPoolSize(2);

        Map<String, String> readsAfterFlip = new LinkedHashMap<>();
        try (HikariDataSource urlPool = new HikariDataSource(byUrl);
                HikariDataSource existingPool = new HikariDataSource(existing)) {
            DualWriteDataSource wrapped = new DualWriteDataSource(existingPool, rules.path().toString());
            LegacyUserDao viaUrl = new LegacyUserDao(urlPool::getConnection);
            LegacyUserDao viaWrapper = new LegacyUserDao(wrapped::getConnection);
            out.println("pool 'by-url':   jdbcUrl=" + byUrl.getJdbcUrl());
            out.println("pool 'existing': jdbcUrl=" + existing.getJdbcUrl() + ", handed out as DualWriteDataSource");

            out.println("[expand] each pool inserts a user and renames the other's");
            viaUrl.insert(1, "ada");
            viaWrapper.insert(2, "brian");
            viaUrl.rename(2, "brian.k");
            viaWrapper.rename(1, "ada.l");
            printTable(raw, out);

            out.println("[migrate, reads new] each pool reads both users");
            rules.update(RenameUsersColumn.rules("migrate", "new"));
            readsAfterFlip.put("by-url", viaUrl.nameOf(1) + "," + viaUrl.nameOf(2));
            readsAfterFlip.put("existing", viaWrapper.nameOf(1) + "," + viaWrapper.nameOf(2));
            readsAfterFlip.forEach((pool, names) -> out.println("    " + pool + " read: " + names));
            out.println("driver counters (JMX): dual_writes=" + rules.counters(RenameUsersColumn.RULE_ID).dualWrites()
                    + " reads_new=" + rules.counters(RenameUsersColumn.RULE_ID).readsNew());
        }
        return readsAfterFlip;
    }

    private static void printTable(RawDb raw, PrintStream out) throws Exception {
        out.println("    real table (id | user_name | display_name):");
        for (var row : raw.rows("SELECT id, user_name, display_name FROM users ORDER BY id")) {
            out.println("      " + String.join(" | ", row));
        }
    }
}
