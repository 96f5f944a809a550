package dev.dualwrite.rewrite.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The FROM items visible at one level of a statement, and the level around it. */
final class Scope {
    final Scope parent;
    final List<Source> sources = new ArrayList<>();
    /** Names of CTEs visible here (canonical): a FROM item with such a name is not a table. */
    final Set<String> ctes;
    /** True when the scope has a JOIN ... USING or NATURAL JOIN, which merges columns. */
    boolean mergesColumns;
    /** The columns a JOIN ... USING merges (canonical); an unqualified one names the merged column. */
    final Set<String> usingColumns = new HashSet<>();

    Scope(Scope parent) {
        this.parent = parent;
        this.ctes = parent == null ? new HashSet<>() : new HashSet<>(parent.ctes);
    }
}
