package dev.dualwrite.ops.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Replaces a file the way the driver's reload expects (contract section 4.3): the new content is
 * written to a temporary file in the same directory, flushed to disk, then renamed over the old one,
 * so a reader sees the old file or the new one, never half of one.
 */
final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code content} over {@code file}, unless the file no longer holds {@code expected} (another
     * edit got there first, and writing would lose it).
     */
    static void replace(Path file, byte[] expected, byte[] content) throws IOException {
        Path target = file.toRealPath(); // through a symlink, edit the file it points to and keep the link
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            PosixFileAttributeView perms = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (perms != null) {
                // createTempFile makes the file private; the driver's user may need to read it like the old one
                Files.setPosixFilePermissions(tmp, perms.readAttributes().permissions());
            }
            if (!Arrays.equals(Files.readAllBytes(target), expected)) {
                throw CliFailure.checkFailed(file + " changed while flipping; nothing was written: run flip again");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
