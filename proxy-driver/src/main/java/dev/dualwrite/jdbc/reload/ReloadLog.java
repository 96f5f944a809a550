package dev.dualwrite.jdbc.reload;

import dev.dualwrite.rules.Migration;
import dev.dualwrite.rules.RuleSet;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The structured line every source logs for each rule whose state a reload changed, with the document's
 * checksum, so that an audit can tell which rules every driver saw and when.
 */
final class ReloadLog {
    private static final System.Logger LOG = System.getLogger("dev.dualwrite.rules");

    private ReloadLog() {
    }

    /** {@code extra} is appended as it is (" by=... " for a table), or empty. */
    static void changes(String source, RuleSet before, RuleSet after, String sha256, String extra) {
        for (Migration m : after.migrations()) {
            Migration was = before.migration(m.id());
            if (was == null || was.phase() != m.phase() || !was.reads().toString().equals(m.reads().toString())) {
                LOG.log(Level.INFO, "dualwrite reload source=" + source + " rule=" + m.id()
                        + " phase=" + (was == null ? "none" : was.phase().yamlName()) + "->" + m.phase().yamlName()
                        + " reads=" + (was == null ? "none" : was.reads().toString()) + "->" + m.reads()
                        + " version=" + after.version() + " sha256=" + sha256 + extra);
            }
        }
    }

    static String sha256(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            return "";
        }
    }
}
