package dev.dualwrite.jdbc.reload;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One application instance for {@code CoherentFlipTest}: loaded, with the driver, in a class loader of its
 * own, so it has its own rule sources, threads and LISTEN connection, as a separate service would. It reads
 * a row whose old and new columns differ, over and over, noting the version in force before and after each
 * statement ({@link RuleSources#tables()} of this copy of the driver). Only java.* types cross to the test.
 */
public final class InstanceProbe implements Runnable {
    private final String url;
    private final Properties props = new Properties();
    private final String oldValue;
    private final String newValue;
    private final CountDownLatch started = new CountDownLatch(1);
    /** The version a statement started under, to the time the first such statement finished. */
    private final Map<Long, Long> firstUse = new ConcurrentSkipListMap<>();
    private final List<String> violations = new ArrayList<>();
    private volatile boolean stop;
    private volatile long statements;
    private volatile Throwable failure;

    /** Even versions read the new column, odd ones the old: the test publishes them so. */
    public InstanceProbe(String url, String user, String password, String oldValue, String newValue) {
        this.url = url;
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        this.oldValue = oldValue;
        this.newValue = newValue;
    }

    private static long version() {
        long v = 0;
        for (TableRuleSource s : RuleSources.tables()) {
            v = Math.max(v, s.current().version());
        }
        return v;
    }

    @Override
    public void run() {
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            Driver driver = (Driver) Class.forName("dev.dualwrite.jdbc.DualWriteDriver", true, getClass().getClassLoader())
                    .getDeclaredConstructor().newInstance();
            try (Connection c = driver.connect(url, props);
                    PreparedStatement ps = c.prepareStatement("SELECT user_name FROM users WHERE id = 1")) {
                long highest = 0;
                started.countDown();
                while (!stop) {
                    long before = version();
                    String value;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        value = rs.getString(1);
                    }
                    long after = version();
                    long now = System.nanoTime();
                    statements++;
                    if (before < highest) {
                        violations.add("a statement started under version " + before + " after version " + highest);
                    }
                    highest = Math.max(highest, after);
                    String expected = before % 2 == 0 ? newValue : oldValue;
                    if (before == after && !expected.equals(value)) {
                        violations.add("under version " + before + " a read gave " + value + ", not " + expected);
                    }
                    firstUse.putIfAbsent(before, now);
                    Thread.sleep(1);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            started.countDown();
        }
    }

    /** Waits until the first statement can run; rethrows what stopped the probe. */
    public void awaitStarted() throws Throwable {
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the probe did not start within 30 s");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** System.nanoTime() of the first statement that started under {@code version} or a later one, or -1. */
    public long firstUse(long version) {
        return ((ConcurrentSkipListMap<Long, Long>) firstUse).tailMap(version).values().stream()
                .mapToLong(Long::longValue).min().orElse(-1);
    }

    public long statements() {
        return statements;
    }

    public void stop() {
        stop = true;
    }

    /** What went wrong; read once the probe's thread has ended. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    public String failure() {
        return failure == null ? null : failure.toString();
    }
}
