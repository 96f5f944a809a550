package dev.dualwrite.jdbc.reload;

import dev.dualwrite.rules.RuleFileException;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.jdbc.ops.Jmx;
import dev.dualwrite.jdbc.ops.Stats;
import dev.dualwrite.rules.RuleSet;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/**
 * A rule file on disk, reloaded when it changes. A change is noticed by comparing the file's real path,
 * size and modification time (so atomic renames and Kubernetes ConfigMap symlink swaps are seen), and
 * the content is compared too so that a rewrite within one timestamp tick is not missed.
 * An invalid file never replaces good rules.
 */
public final class FileRuleSource implements RuleSource {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.rules");

    private final Path path;
    private final Stats stats = new Stats();
    private volatile RuleSet current;
    private volatile String lastError = "";
    private volatile long lastReload;
    private long version;
    private Object stamp;
    private byte[] content;

    private FileRuleSource(Path path) {
        this.path = path;
    }

    /** Loads the file; fails when there are no good rules to start from. */
    static FileRuleSource open(Path path) throws RuleFileException {
        FileRuleSource s = new FileRuleSource(path);
        s.stamp = s.stamp();
        byte[] bytes = s.read();
        s.install(RuleLoader.load(path), bytes);
        return s;
    }

    public Path path() {
        return path;
    }

    @Override
    public RuleSet current() {
        return current;
    }

    @Override
    public String name() {
        return path.getFileName().toString();
    }

    @Override
    public String location() {
        return path.toString();
    }

    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public long lastReload() {
        return lastReload;
    }

    /**
     * Checks the file and reloads it when it changed. Called by the watcher thread only.
     *
     * @param compareContent also read the file when its stamp is unchanged
     */
    synchronized void check(boolean compareContent) {
        Object now = stamp();
        if (Objects.equals(now, stamp) && !compareContent) {
            return;
        }
        stamp = now;
        byte[] bytes = read();
        if (bytes != null && Arrays.equals(bytes, content) && lastError.isEmpty()) {
            return;
        }
        try {
            install(RuleLoader.load(path), bytes);
        } catch (RuleFileException e) {
            if (!e.getMessage().equals(lastError)) {
                LOG.log(Level.WARNING, "dualwrite: rule file " + path + " is invalid; the last good rules (version "
                        + current.version() + ") stay in force:\n" + e.getMessage());
            }
            lastError = e.getMessage();
            content = bytes;
        } catch (RuntimeException e) {
            lastError = path + ": could not be loaded: " + e;
            LOG.log(Level.WARNING, "dualwrite: " + lastError + "; the last good rules stay in force", e);
        }
    }

    private void install(RuleSet rules, byte[] bytes) {
        RuleSet before = current;
        version++;
        current = rules.withVersion(version);
        if (before != null) {
            ReloadLog.changes(path.toString(), before, current, ReloadLog.sha256(bytes), "");
        }
        content = bytes;
        lastReload = System.currentTimeMillis();
        if (!lastError.isEmpty() || version > 1) {
            LOG.log(Level.INFO, "dualwrite: loaded rule file " + path + " (version " + version + ", "
                    + rules.migrations().size() + " migrations)");
        }
        lastError = "";
        Jmx.sync(this);
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Path real = path.toRealPath();
            return Arrays.asList(real.toString(), a.size(), a.lastModifiedTime().toMillis(), a.fileKey(),
                    Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | SecurityException e) {
            return "missing";
        }
    }

    private byte[] read() {
        try {
            if (Files.isRegularFile(path) && Files.size(path) <= RuleLoader.MAX_BYTES) {
                return Files.readAllBytes(path);
            }
        } catch (IOException | SecurityException e) {
            // RuleLoader.load reports the reason
        }
        return null;
    }
}
