package dev.dualwrite.jdbc.reliability;

import dev.dualwrite.jdbc.testdb.TestDatabase;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A rule file the driver watches, written atomically like {@code flip} does, with the driver's view of it
 * through JMX ({@code dev.dualwrite:type=Rules,name=<file name>}).
 */
final class RuleFile {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    final Path path;
    private final TestDatabase db;
    private int writes;

    /** {@code name} must be unique in the JVM: the JMX bean is named by the file name. */
    RuleFile(Path dir, String name, TestDatabase db, String text) throws Exception {
        this.path = dir.resolve(name + "-" + db.engine().name().toLowerCase() + ".yaml");
        this.db = db;
        write(text);
    }

    /** The driver URL for the test database with this rule file. */
    String url() {
        return "jdbc:dualwrite:" + db.rawUrl().substring("jdbc:".length()) + "&dualwrite.rules=" + path;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), db.user(), db.password());
    }

    /** Writes a temporary file and renames it over the rule file, so the driver never reads half of it. */
    void write(String text) throws Exception {
        writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void writeBytes(byte[] bytes) throws Exception {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp" + (writes++));
        Files.write(tmp, bytes);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Object attribute(String name) throws Exception {
        return JMX.getAttribute(new ObjectName("dev.dualwrite:type=Rules,name=" + path.getFileName()), name);
    }

    /** JMX {@code Version}: grows with each good reload. */
    long version() throws Exception {
        return ((Number) attribute("Version")).longValue();
    }

    /** JMX {@code LastError}: empty when the last load succeeded. */
    String lastError() throws Exception {
        return (String) attribute("LastError");
    }

    /** Writes {@code text} and waits (at most 10 s) until the driver has loaded it. */
    void reload(String text) throws Exception {
        long before = version();
        write(text);
        await("a reload of " + path, () -> versionQuietly() > before && errorQuietly().isEmpty());
    }

    long versionQuietly() {
        try {
            return version();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String errorQuietly() {
        try {
            return lastError();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 20 ms for at most 10 s; fails with {@code what} if it never holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
