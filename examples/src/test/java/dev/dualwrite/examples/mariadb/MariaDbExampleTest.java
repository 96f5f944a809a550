package dev.dualwrite.examples.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualwrite.examples.rename.RenamedTable;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MariaDbExampleTest {
    @Test
    void renamesTheColumnOnMariaDb() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.mariaDb()) {
            var reads = MariaDbExample.run(db, new PrintStream(System.out, true, StandardCharsets.UTF_8));

            assertEquals(RenamedTable.APP_READS, reads);
            RenamedTable.assertMigrated(db.raw());
        }
    }
}
