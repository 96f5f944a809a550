package dev.dualwrite.examples.springboot;

import dev.dualwrite.examples.rename.RenameUsersColumn;
import dev.dualwrite.examples.support.BackfillCommand;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.ExampleLogging;
import dev.dualwrite.examples.support.RawDb;
import dev.dualwrite.examples.support.RuleFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot with Spring Data JPA / Hibernate, configured with
 * {@code spring.datasource.url=jdbc:dualwrite:postgresql://...?dualwrite.rules=...} and
 * {@code spring.datasource.driver-class-name=dev.dualwrite.jdbc.DualWriteDriver}. The {@link User} entity
 * stays mapped to {@code user_name} throughout; Hibernate's generated SQL is rewritten by the driver,
 * in expand (both columns written) and after contract, when {@code user_name} no longer exists.
 * Hibernate never touches the schema ({@code ddl-auto=none}); the operator does, with plain SQL.
 */
public final class SpringBootExample {
    private SpringBootExample() {
    }

    public static void main(String[] args) throws Exception {
        ExampleLogging.oneLinePerRecord();
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            run(db, System.out);
        }
    }

    /** Runs the app through the rename on {@code db}; returns the names it read, in order. */
    public static List<String> run(EmbeddedDatabase db, PrintStream out) throws Exception {
        RawDb raw = db.raw();
        raw.exec("CREATE TABLE users (id bigint PRIMARY KEY, user_name varchar(100) NOT NULL)",
                "INSERT INTO users (id, user_name) VALUES (1, 'ada')");
        RuleFile rules = RuleFile.create("springboot");
        rules.write(RenameUsersColumn.rules("off", null));
        String url = db.dualWriteUrl(rules);
        out.println("spring.datasource.url=" + url);

        List<String> reads = new ArrayList<>();
        try (ConfigurableApplicationContext spring = start(url, db)) {
            UserRepository users = spring.getBean(UserRepository.class);

            out.println("[expand] ALTER TABLE users ADD COLUMN display_name varchar(100); rules: phase expand");
            raw.exec("ALTER TABLE users ADD COLUMN display_name varchar(100)");
            rules.update(RenameUsersColumn.rules("expand", null));
            users.save(new User(2, "brian"));
            User ada = users.findById(1L).orElseThrow();
            ada.setName("ada.lovelace");
            users.save(ada);
            reads.add(read(out, "findByName('brian')", users.findByName("brian").map(User::getName).orElse(null)));
            print(out, raw, "SELECT id, user_name, display_name FROM users ORDER BY id");

            out.println("[backfill] " + BackfillCommand.run(db, rules, RenameUsersColumn.RULE_ID, 100));

            out.println("[migrate] rules: reads new");
            rules.update(RenameUsersColumn.rules("migrate", "new"));
            reads.add(read(out, "findById(1)", users.findById(1L).map(User::getName).orElse(null)));

            out.println("[contract] ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL; rules: phase contract;"
                    + " ALTER TABLE users DROP COLUMN user_name");
            raw.exec("ALTER TABLE users ALTER COLUMN user_name DROP NOT NULL");
            rules.update(RenameUsersColumn.rules("contract", null));
            raw.exec("ALTER TABLE users DROP COLUMN user_name");
            users.save(new User(3, "chen"));
            User brian = users.findById(2L).orElseThrow();
            brian.setName("brian.k");
            users.save(brian);
            reads.add(read(out, "findByName('brian.k')", users.findByName("brian.k").map(User::getName).orElse(null)));
            reads.add(read(out, "findAll()", users.findAll().stream().map(User::getName).sorted().toList().toString()));
            print(out, raw, "SELECT id, display_name FROM users ORDER BY id");
        }
        out.println("driver counters (JMX): rewritten=" + rules.counters(RenameUsersColumn.RULE_ID).rewritten()
                + " dual_writes=" + rules.counters(RenameUsersColumn.RULE_ID).dualWrites()
                + " rejected=" + rules.counters(RenameUsersColumn.RULE_ID).rejected());
        return reads;
    }

    /** Starts the application as {@code application.properties} would configure it, minus the noise. */
    static ConfigurableApplicationContext start(String url, EmbeddedDatabase db) {
        return new SpringApplicationBuilder(UserApp.class)
                .properties(Map.ofEntries(
                        Map.entry("spring.datasource.url", url),
                        Map.entry("spring.datasource.driver-class-name", "dev.dualwrite.jdbc.DualWriteDriver"),
                        Map.entry("spring.datasource.username", db.user()),
                        Map.entry("spring.datasource.password", db.password()),
                        Map.entry("spring.jpa.hibernate.ddl-auto", "none"),
                        // Prints each statement as Hibernate generated it, before the driver rewrites it.
                        Map.entry("spring.jpa.show-sql", "true"),
                        Map.entry("spring.jpa.open-in-view", "false"),
                        Map.entry("spring.main.banner-mode", "off"),
                        Map.entry("spring.main.log-startup-info", "false"),
                        // Spring and Hibernate at WARN; the driver's reload lines stay, they tell the story.
                        Map.entry("logging.level.root", "warn"),
                        Map.entry("logging.level.dev.dualwrite", "info")))
                .web(WebApplicationType.NONE)
                .run();
    }

    private static String read(PrintStream out, String what, String value) {
        out.println("    app " + what + ": " + value);
        return value;
    }

    private static void print(PrintStream out, RawDb raw, String sql) throws Exception {
        out.println("    real table: " + sql);
        for (List<String> row : raw.rows(sql)) {
            out.println("      " + String.join(" | ", row));
        }
    }
}
