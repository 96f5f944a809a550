package dev.dualwrite.jdbc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.jdbc.testdb.BothEngines;
import dev.dualwrite.jdbc.testdb.Databases;
import dev.dualwrite.jdbc.testdb.Engine;
import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule file goes bad while connections are open: it vanishes, becomes a directory, a named pipe, a
 * dangling symlink, a file over the 1 MiB limit, invalid UTF-8, invalid YAML or invalid rules. Each time
 * the driver keeps the last good rules (an open and a new connection still dual-write, read back raw), the
 * reason is in JMX {@code LastError}, and a good file afterwards is loaded again.
 */
class RuleFileFaultsTest {
    private static int faults;

    @TempDir
    Path dir;

    interface Fault {
        void apply(Path rules) throws Exception;
    }

    @AfterAll
    static void report() {
        System.out.println("[reliability] rule file faults injected=" + faults);
    }

    /** Fault name to (how to cause it, a fragment LastError must contain). */
    private Map<String, Object[]> faults(Path other) {
        String good = MigratedTables.expand();
        Map<String, Object[]> f = new LinkedHashMap<>();
        f.put("vanishes", new Object[] {(Fault) Files::delete, "does not exist"});
        f.put("replaced by a directory", new Object[] {(Fault) p -> {
            Files.delete(p);
            Files.createDirectory(p);
        }, "is a directory"});
        f.put("replaced by a named pipe", new Object[] {(Fault) p -> {
            Files.delete(p);
            Process mkfifo = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
            assertEquals(0, mkfifo.waitFor());
        }, "not a regular file"});
        f.put("a dangling symlink", new Object[] {(Fault) p -> {
            Files.delete(p);
            Files.createSymbolicLink(p, other.resolve("nowhere.yaml"));
        }, "does not exist"});
        f.put("over 1 MiB", new Object[] {(Fault) p -> replace(p, good + "#" + "x".repeat(1 << 20) + "\n"),
            "limited to"});
        f.put("invalid UTF-8", new Object[] {(Fault) p -> {
            byte[] text = (good + "# caf").getBytes(StandardCharsets.UTF_8);
            byte[] bad = Arrays.copyOf(text, text.length + 2);
            bad[text.length] = (byte) 0xC3; // a lead byte without its continuation
            bad[text.length + 1] = '\n';
            replace(p, bad);
        }, "not valid UTF-8"});
        f.put("invalid YAML", new Object[] {(Fault) p -> replace(p, "version: 1\nmigrations: [\n"),
            "not valid YAML"});
        f.put("a rule that contradicts its phase", new Object[] {(Fault) p -> replace(p,
                MigratedTables.ruleFile("expand", "new", "expand", null)), "reads"});
        return f;
    }

    @BothEngines
    void badRuleFilesKeepTheLastGoodRules(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MigratedTables.create(db);
        RuleFile rules = new RuleFile(dir, "file-faults", db, MigratedTables.expand());
        int n = 0;
        try (Connection open = rules.connect()) {
            for (Map.Entry<String, Object[]> fault : faults(dir).entrySet()) {
                n++;
                long good = rules.version();
                ((Fault) fault.getValue()[0]).apply(rules.path);
                faults++;
                String expected = (String) fault.getValue()[1];
                RuleFile.await("LastError for a rule file " + fault.getKey(),
                        () -> rules.errorQuietly().contains(expected));
                String error = rules.lastError();
                assertTrue(error.contains(rules.path.toString()), "LastError names the file: " + error);
                assertEquals(good, rules.version(), "the last good rules stay in force");
                try (Connection fresh = rules.connect()) {
                    for (Connection c : List.of(open, fresh)) {
                        writeBoth(c, n, c == open ? 0 : 1);
                    }
                }
                assertEquals(List.of(), MigratedTables.divergences(db), "after a rule file " + fault.getKey());
                // an operator repairs the file: the driver picks it up
                if (Files.isDirectory(rules.path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(rules.path);
                }
                rules.reload(n % 2 == 0 ? MigratedTables.expand() : MigratedTables.ruleFile("migrate", "old", "migrate", "new"));
            }
        }
    }

    /**
     * chmod 000 is what "unreadable" usually means, but these tests run as root, who reads it anyway: the
     * driver then correctly keeps reading the file. As another user it is a load error like the others.
     */
    @BothEngines
    void anUnreadableRuleFileIsReadAsRootAndAnErrorOtherwise(Engine engine) throws Exception {
        TestDatabase db = Databases.fresh(engine);
        MigratedTables.create(db);
        RuleFile rules = new RuleFile(dir, "file-unreadable", db, MigratedTables.expand());
        try (Connection open = rules.connect()) {
            Files.setPosixFilePermissions(rules.path, Set.<PosixFilePermission>of());
            faults++;
            boolean readable = Files.isReadable(rules.path); // true for root
            rules.write(MigratedTables.ruleFile("migrate", "old", "expand", null));
            Files.setPosixFilePermissions(rules.path, Set.<PosixFilePermission>of());
            if (readable) {
                RuleFile.await("a reload as root", () -> rules.versionQuietly() > 1 && rules.errorQuietly().isEmpty());
            } else {
                RuleFile.await("LastError for an unreadable file", () -> rules.errorQuietly().contains("cannot be read"));
            }
            writeBoth(open, 99, 0);
            assertEquals(List.of(), MigratedTables.divergences(db));
            System.out.println("[reliability] chmod 000 rule file as " + System.getProperty("user.name") + ": "
                    + (readable ? "still readable (root), reloaded" : "load error " + rules.lastError()));
        }
    }

    /**
     * Writes then renames, as an operator should: a file rewritten in place can be read half-written, and
     * half of a good file plus a comment is a good file.
     */
    private static void replace(Path p, String text) throws Exception {
        replace(p, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void replace(Path p, byte[] bytes) throws Exception {
        Path tmp = p.resolveSibling(p.getFileName() + ".fault");
        Files.write(tmp, bytes);
        Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A column-rule update and a table-move insert; read back raw, both must have reached old and new. */
    private static void writeBoth(Connection c, int n, int which) throws Exception {
        String name = "fault-" + n + "-" + which;
        int order = 1000 + 2 * n + which;
        try (Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE users SET user_name = '" + name + "' WHERE id = 1"));
            assertEquals(1, st.executeUpdate("INSERT INTO orders (id, user_id, amount, status) VALUES (" + order
                    + ", 1, 3, 'C')"));
        }
    }
}
