package dev.dualwrite.rules;

/** Where a migration stands in the expand-contract sequence (contract section 4.1). */
public enum Phase {
    /** Writes reach old and new; reads come from old. */
    EXPAND,
    /** Writes reach old and new; reads follow the rule's read flag. */
    MIGRATE,
    /** Writes reach new only; the application's old names are mapped onto the new schema. */
    CONTRACT,
    /** The rule is ignored. */
    OFF;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True where writes must reach both the old and the new column or table. */
    public boolean dualWrites() {
        return this == EXPAND || this == MIGRATE;
    }
}
