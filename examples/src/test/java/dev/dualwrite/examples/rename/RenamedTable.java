package dev.dualwrite.examples.rename;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dualwrite.examples.support.RawDb;
import java.util.List;

/** What the users table must hold after {@link RenameUsersColumn} ran, read with the real driver. */
public final class RenamedTable {
    /** The names the DAO must have read, in order: before the rename, after the flip, after the drop. */
    public static final List<String> APP_READS = List.of("dora", "brian", "1", "emil.k", "gus");

    private RenamedTable() {
    }

    public static void assertMigrated(RawDb raw) throws Exception {
        assertFalse(raw.columnExists("users", "user_name"), "users.user_name was dropped");
        assertEquals(List.of(
                        List.of("1", "ada.lovelace"), List.of("2", "brian"), List.of("3", "chen"), List.of("4", "dora"),
                        List.of("5", "emil.k"), List.of("6", "fay"), List.of("7", "gus")),
                raw.rows("SELECT id, display_name FROM users ORDER BY id"),
                "every name the app wrote, in every phase, is in display_name");
    }
}
