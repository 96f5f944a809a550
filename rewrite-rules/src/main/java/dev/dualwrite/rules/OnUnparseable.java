package dev.dualwrite.rules;

/** What happens to a statement that names a migrated table but cannot be rewritten with certainty. */
public enum OnUnparseable {
    /** Fail it with SQLState 0A000 (the default). */
    REJECT,
    /** Send it to the database unchanged, and log that it was not rewritten. */
    PASS
}
