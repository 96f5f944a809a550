package dev.dualwrite.jdbc.differential;

import dev.dualwrite.jdbc.differential.Differential.Phase;
import dev.dualwrite.jdbc.testdb.Engine;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** What a differential run is about: the schema on both sides, the rule, and how to read the data back. */
interface Fixture {
    /** Reads rows (values normalised to strings, sorted) on the migrated side, inside its transaction. */
    interface Reader {
        List<List<String>> rows(String sql) throws SQLException;
    }

    /** DDL and seed rows: the control (never migrated) or the migrated side as it is in this phase. */
    List<String> schema(Engine engine, Phase phase, boolean migrated);

    String ruleFile(Phase phase);

    /** Queries giving the data as the application's schema holds it, on the migrated side. */
    List<String> migratedState(Engine engine, Phase phase);

    /** The same queries on the control. */
    List<String> controlState();

    /**
     * What breaks the rule's promise on the migrated side after a statement (new data not what the old
     * implies), or null. {@code seed} is {@link #migratedState} before the statement.
     */
    String violation(Engine engine, Phase phase, Reader migrated) throws SQLException;

    /** The table whose identity / auto-increment is reset before inserts, or null. */
    String identityTable();

    /** Result labels a migrated side may add after the application's own (SELECT * over new columns). */
    Set<String> addedLabels();
}
