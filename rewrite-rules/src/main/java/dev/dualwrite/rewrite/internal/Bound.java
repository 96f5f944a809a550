package dev.dualwrite.rewrite.internal;

import dev.dualwrite.rules.ColumnRule;
import dev.dualwrite.rules.Migration;

/** A column rule as it applies to one FROM item: which side the statement uses there. */
final class Bound {
    final Migration migration;
    final ColumnRule rule;
    /** True when references to the old column must read the new column. */
    final boolean newSide;

    Bound(Migration migration, ColumnRule rule, boolean newSide) {
        this.migration = migration;
        this.rule = rule;
        this.newSide = newSide;
    }
}
