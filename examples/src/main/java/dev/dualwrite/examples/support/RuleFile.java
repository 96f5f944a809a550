package dev.dualwrite.examples.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * An example's rule file, in a temporary directory of its own. Its name is unique in the JVM: the driver
 * keys its JMX beans by file name, and the examples' tests all run in one JVM.
 */
public final class RuleFile {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final long RELOAD_TIMEOUT_MILLIS = 10_000;

    private final Path path;

    private RuleFile(Path path) {
        this.path = path;
    }

    /** A whole rule file from migration entries (each a YAML list item, as the examples' classes make them). */
    public static String yaml(String... migrations) {
        return "version: 1\nmigrations:\n" + String.join("", migrations);
    }

    /** A new rule file, not yet written, named after {@code example}. */
    public static RuleFile create(String example) throws IOException {
        Path dir = Files.createTempDirectory("dualwrite-" + example + "-");
        Path file = Files.createTempFile(dir, example + "-rules-", ".yaml");
        // Deleted at JVM exit, not sooner: the driver watches the file for the life of the JVM and would
        // log that good rules are missing if it vanished under it. (Reverse order: file first.)
        dir.toFile().deleteOnExit();
        file.toFile().deleteOnExit();
        return new RuleFile(file);
    }

    public Path path() {
        return path;
    }

    /** {@code ?dualwrite.rules=<path>} or {@code &dualwrite.rules=<path>}, to append to a JDBC URL. */
    public String urlParameter(String url) {
        return (url.contains("?") ? "&" : "?") + "dualwrite.rules=" + path;
    }

    /**
     * Replaces the file in one step. The driver may read the file at any moment; writing a temporary
     * file and renaming it over the old one means it sees either the old rules or the new ones, never
     * a half-written file (which it would reject, keeping the old rules, but would log as an error).
     */
    public void write(String yaml) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on exotic file systems; a plain replace still works.
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes new rules and returns once the driver in this JVM has loaded them (its JMX {@code Version}
     * went up), so the example's next statement runs under them. The driver promises to see a change
     * within a second; waiting for the proof instead of sleeping keeps the examples fast and certain.
     * Needs a connection to have been opened with this file already.
     */
    public void update(String yaml) throws IOException, InterruptedException {
        long before = version();
        write(yaml);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELOAD_TIMEOUT_MILLIS);
        while (version() <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the driver did not load " + path + " within "
                        + RELOAD_TIMEOUT_MILLIS + " ms (is the file valid? see the driver's log)");
            }
            Thread.sleep(20);
        }
    }

    /** The driver's load counter for this file; 0 before any connection used it. */
    public long version() {
        try {
            return (Long) JMX.getAttribute(new ObjectName("dev.dualwrite:type=Rules,name=" + path.getFileName()),
                    "Version");
        } catch (InstanceNotFoundException e) {
            return 0;
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live counters of one rule of this file. */
    public RuleCounters counters(String ruleId) {
        return new RuleCounters(path.getFileName().toString(), ruleId);
    }
}
