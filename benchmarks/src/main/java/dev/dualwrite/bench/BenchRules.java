package dev.dualwrite.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule file of the benchmarks: {@code users.user_name} renamed to {@code display_name}, in
 * {@code migrate} with reads from the new column, so a read of {@code users} is rewritten and a write
 * is mirrored (a parameter bound twice).
 */
final class BenchRules {
    static final String YAML = "version: 1\n"
            + "migrations:\n"
            + "  - id: users-display-name\n"
            + "    table: users\n"
            + "    phase: migrate\n"
            + "    reads: new\n"
            + "    columns:\n"
            + "      user_name:\n"
            + "        to: display_name\n";

    private BenchRules() {
    }

    private static Path file;

    /** The rule file, written once per JVM (deleted at exit): one rule source, so one set of JMX counters. */
    static synchronized Path file() {
        if (file == null) {
            try {
                Path dir = Files.createTempDirectory("dualwrite-bench-");
                Path f = dir.resolve("rules.yaml");
                Files.writeString(f, YAML);
                dir.toFile().deleteOnExit();
                f.toFile().deleteOnExit();
                file = f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
