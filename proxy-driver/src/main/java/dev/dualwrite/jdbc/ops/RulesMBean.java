package dev.dualwrite.jdbc.ops;

/** JMX: one rule source ({@code dev.dualwrite:type=Rules,name=<file name>}). */
public interface RulesMBean {
    /** Where the rules come from (the file's path, or the class-path resource). */
    String getSource();

    /** The version of the rules in force; it grows with every good reload. */
    long getVersion();

    /** When the rules in force were loaded, ISO-8601. */
    String getLastReload();

    /** Why the last load failed (file, line, reason), or empty when it succeeded. */
    String getLastError();
}
