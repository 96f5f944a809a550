package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rules.Migration;

/** Thrown inside the rewriter when a statement cannot be rewritten with certainty. */
public final class RewriteRejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Migration migration;

    public RewriteRejected(Migration migration, String reason) {
        super(reason, null, false, false);
        this.migration = migration;
    }

    /** The migration concerned, or null when the problem is not specific to one. */
    public Migration migration() {
        return migration;
    }
}
