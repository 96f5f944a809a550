package dev.dualwrite.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo's rule file: one column migration, users.user_name -> display_name, whose phase and read
 * flag the demo changes while the application runs.
 */
final class RuleFile {
    static final String MIGRATION_ID = "users-display-name";

    private final Path path;

    RuleFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Replaces the file in one step. The driver may read the file at any moment; writing a temporary
     * file and renaming it over the old one means it sees either the old rules or the new ones, never
     * a half-written file (which it would reject, keeping the old rules, but would log as an error).
     */
    void write(String phase, String reads) throws IOException {
        StringBuilder yaml = new StringBuilder()
                .append("version: 1\n")
                .append("migrations:\n")
                .append("  - id: ").append(MIGRATION_ID).append('\n')
                .append("    table: users\n")
                .append("    phase: ").append(phase).append('\n');
        if (reads != null) {
            yaml.append("    reads: ").append(reads).append('\n');
        }
        yaml.append("    columns:\n")
                .append("      user_name:\n")
                .append("        to: display_name\n");

        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on exotic file systems; a plain replace still works.
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
