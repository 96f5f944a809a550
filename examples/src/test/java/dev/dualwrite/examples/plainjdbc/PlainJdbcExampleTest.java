package dev.dualwrite.examples.plainjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dualwrite.examples.rename.RenamedTable;
import dev.dualwrite.examples.support.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainJdbcExampleTest {
    @Test
    void renamesTheColumnUnderAnAppThatOnlyChangedItsUrl() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            var reads = PlainJdbcExample.run(db, new PrintStream(System.out, true, StandardCharsets.UTF_8));

            assertEquals(RenamedTable.APP_READS, reads);
            RenamedTable.assertMigrated(db.raw());
        }
    }
}
