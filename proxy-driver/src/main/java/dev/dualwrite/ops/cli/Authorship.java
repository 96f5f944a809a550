package dev.dualwrite.ops.cli;

import picocli.CommandLine.Option;

/** {@code --by} and {@code --reason}: who changed the rules and why, kept with every version of a rules table. */
final class Authorship {
    @Option(names = "--by", paramLabel = "WHO", description = "Who makes the change, for the rules table's history."
            + " Default: the operating-system user.")
    String by;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, in free text, for the rules table's history.")
    String reason;

    String name() {
        if (by != null) {
            return by;
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    String reason() {
        return reason;
    }
}
