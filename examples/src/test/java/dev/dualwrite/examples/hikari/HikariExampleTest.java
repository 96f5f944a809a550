package dev.dualwrite.examples.hikari;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualwrite.examples.support.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HikariExampleTest {
    @Test
    void bothPoolConfigurationsDualWriteAndReadTheNewColumn() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            var reads = HikariExample.run(db, new PrintStream(System.out, true, StandardCharsets.UTF_8));

            assertEquals(Map.of("by-url", "ada.l,brian.k", "existing", "ada.l,brian.k"), reads);
            assertEquals(List.of(List.of("1", "ada.l", "ada.l"), List.of("2", "brian.k", "brian.k")),
                    db.raw().rows("SELECT id, user_name, display_name FROM users ORDER BY id"),
                    "writes from both pools reached both columns");
        }
    }
}
