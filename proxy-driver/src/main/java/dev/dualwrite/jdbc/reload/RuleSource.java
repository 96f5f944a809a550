package dev.dualwrite.jdbc.reload;

import dev.dualwrite.jdbc.ops.Stats;
import dev.dualwrite.rules.RuleSet;

/** Where a connection's rules come from. {@link #current()} is read once per statement. */
public interface RuleSource {
    /** The rules in force: the last good ones. Never null. */
    RuleSet current();

    /** A short name for JMX and messages (the file name). */
    String name();

    /** The error of the last load attempt, or an empty string when it succeeded. */
    String lastError();

    /** When the rules in force were loaded (epoch millis). */
    long lastReload();

    /** The full location: the file's path, or {@code classpath:name}. */
    String location();

    /** The counters of this source's rules. */
    Stats stats();
}
