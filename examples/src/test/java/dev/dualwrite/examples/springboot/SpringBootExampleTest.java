package dev.dualwrite.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.RawDb;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpringBootExampleTest {
    @Test
    void hibernateKeepsWorkingThroughTheRename() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            List<String> reads = SpringBootExample.run(db, new PrintStream(System.out, true, StandardCharsets.UTF_8));

            assertEquals(List.of("brian", "ada.lovelace", "brian.k", "[ada.lovelace, brian.k, chen]"), reads);
            RawDb raw = db.raw();
            assertFalse(raw.columnExists("users", "user_name"), "users.user_name was dropped");
            assertEquals(List.of(List.of("1", "ada.lovelace"), List.of("2", "brian.k"), List.of("3", "chen")),
                    raw.rows("SELECT id, display_name FROM users ORDER BY id"),
                    "every name Hibernate wrote, before and after contract, is in display_name");
        }
    }
}
