package dev.dualwrite.jdbc.reload;

import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.jdbc.ops.Jmx;
import dev.dualwrite.rewrite.internal.Parsing;
import dev.dualwrite.jdbc.ops.Stats;
import dev.dualwrite.rules.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One rule source per file for the whole JVM, shared by every connection that names it, and one daemon
 * thread that watches them all: file-system events wake it at once, and it polls anyway every
 * interval, because events are not delivered on every file system (network mounts, some containers).
 */
public final class RuleSources {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.rules");
    private static final Map<Path, FileRuleSource> FILES = new ConcurrentHashMap<>();
    private static final Map<String, RuleSource> RESOURCES = new ConcurrentHashMap<>();
    private static final Map<String, TableRuleSource> TABLES = new ConcurrentHashMap<>();
    private static volatile long pollMillis = 250;
    private static Thread watcher;

    private RuleSources() {
    }

    /**
     * The source for a {@code dualwrite.rules} value (a path or {@code classpath:name}), loading it on
     * first use.
     *
     * @throws RuleFileException when it is used for the first time and is missing or invalid
     */
    public static RuleSource forLocation(String location, long reloadMillis) throws RuleFileException {
        if (location.startsWith("classpath:")) {
            return RESOURCES.computeIfAbsent(location, RuleSources::loadResourceUnchecked);
        }
        Path path = Path.of(location).toAbsolutePath().normalize();
        FileRuleSource existing = FILES.get(path);
        if (existing != null) {
            return existing;
        }
        synchronized (RuleSources.class) {
            existing = FILES.get(path);
            if (existing != null) {
                return existing;
            }
            FileRuleSource s = FileRuleSource.open(path);
            FILES.put(path, s);
            pollMillis = Math.min(pollMillis, Math.max(20, reloadMillis));
            startWatcher();
            return s;
        }
    }

    /**
     * The source for {@code table:<schema.table>} in a database, reading it on first use; one per table and
     * database for the whole JVM, each with a thread of its own that watches the table.
     *
     * @throws RuleFileException when it is used for the first time and cannot be read or is invalid
     */
    public static RuleSource forTable(RulesTable table, RulesDatabase database, long pollMillis)
            throws RuleFileException {
        String key = table.location() + "\u0000" + database.describe();
        TableRuleSource existing = TABLES.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (RuleSources.class) {
            existing = TABLES.get(key);
            if (existing != null) {
                return existing;
            }
            TableRuleSource s = TableRuleSource.open(table, database, pollMillis);
            TABLES.put(key, s);
            startWatcher(); // its thread is the clock that bounds parse time
            return s;
        }
    }

    /** The table sources of this copy of the driver (tests look at their versions). */
    static java.util.Collection<TableRuleSource> tables() {
        return TABLES.values();
    }

    private static RuleSource loadResourceUnchecked(String location) {
        try {
            return loadResource(location);
        } catch (RuleFileException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Class-path rule files are read once: they cannot change while the application runs. */
    private static RuleSource loadResource(String location) throws RuleFileException {
        String name = location.substring("classpath:".length());
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = RuleSources.class.getClassLoader();
        }
        String text;
        try (InputStream in = cl.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
            if (in == null) {
                throw new RuleFileException(java.util.List.of(new RuleFileException.Problem(location, 0, 0, "",
                        "not found on the class path")));
            }
            text = new String(in.readNBytes(RuleLoader.MAX_BYTES + 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(java.util.List.of(new RuleFileException.Problem(location, 0, 0, "",
                    "cannot be read: " + e)));
        }
        RuleSet rules = RuleLoader.parse(text, location);
        long loaded = System.currentTimeMillis();
        Stats stats = new Stats();
        RuleSource source = new RuleSource() {
            @Override
            public String location() {
                return location;
            }

            @Override
            public Stats stats() {
                return stats;
            }

            @Override
            public RuleSet current() {
                return rules;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String lastError() {
                return "";
            }

            @Override
            public long lastReload() {
                return loaded;
            }
        };
        Jmx.sync(source);
        return source;
    }

    /**
     * Stops the watcher thread, forgets every source and unregisters the JMX beans: the driver was
     * deregistered (an application server undeploys the application), and the thread and the beans would
     * otherwise keep this driver's class loader alive. A later connect starts afresh.
     */
    public static void shutdown() {
        synchronized (RuleSources.class) {
            Thread t = watcher;
            watcher = null;
            if (t != null) {
                t.interrupt();
            }
            FILES.clear();
            RESOURCES.clear();
            TABLES.values().forEach(TableRuleSource::stop);
            TABLES.clear();
        }
        Jmx.unregisterAll();
    }

    private static void startWatcher() {
        if (watcher != null) {
            return;
        }
        Thread t = new Thread(RuleSources::watch, "dualwrite-rules-watcher");
        t.setDaemon(true);
        t.setContextClassLoader(null); // never pin an application's class loader
        t.start();
        watcher = t;
    }

    private static void watch() {
        WatchService ws = null;
        try {
            ws = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "dualwrite: no file-system events; polling only");
        }
        try {
            watchWith(ws);
        } finally {
            if (ws != null) {
                try {
                    ws.close(); // its file descriptor (inotify) must not outlive the thread
                } catch (IOException e) {
                    // nothing left to release
                }
            }
        }
    }

    /** Until interrupted (or the driver's class loader is gone); {@code ws} is null where there are no events. */
    private static void watchWith(WatchService ws) {
        Set<Path> watchedDirs = new HashSet<>();
        long round = 0;
        while (true) {
            try {
                if (ws != null) {
                    for (FileRuleSource s : FILES.values()) {
                        Path dir = s.path().getParent();
                        if (dir != null && watchedDirs.add(dir)) {
                            try {
                                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE,
                                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                            } catch (IOException | RuntimeException e) {
                                LOG.log(Level.DEBUG, "dualwrite: cannot watch " + dir + "; polling it");
                            }
                        }
                    }
                    var key = ws.poll(pollMillis, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        if (!key.reset()) {
                            watchedDirs.remove((Path) key.watchable());
                        }
                    }
                } else {
                    Thread.sleep(pollMillis);
                }
                round++;
                // Every fourth round also compare content: a same-size rewrite within one mtime tick.
                boolean compare = round % 4 == 0;
                for (FileRuleSource s : FILES.values()) {
                    s.check(compare);
                }
                Parsing.stopOverdue(); // this thread is also the clock that bounds parse time
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (LinkageError e) {
                return; // our class loader was closed: the application that loaded us is gone
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "dualwrite: rule watcher error (continuing)", e);
            }
        }
    }
}
