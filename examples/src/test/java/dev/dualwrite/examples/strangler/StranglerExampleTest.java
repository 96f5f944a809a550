package dev.dualwrite.examples.strangler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.OrdersWorkload;
import dev.dualwrite.examples.support.RawDb;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StranglerExampleTest {
    @Test
    void bothServicesKeepWorkingWhileOrdersMoveToTheBillingSchema() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            StranglerExample.Result result = StranglerExample.run(db, new PrintStream(System.out, true,
                    StandardCharsets.UTF_8));

            assertEquals(Map.of("shop", 0L, "support-desk", 0L), result.errors(), () -> "errors: " + result.errorSamples());
            assertFalse(result.differencesWhileBothWritten().isEmpty());
            assertTrue(result.differencesWhileBothWritten().stream().allMatch(d -> d == 0),
                    "while both tables were written, orders_v2 was the mapping of orders row by row: "
                            + result.differencesWhileBothWritten());
            result.opsAfterRetire().forEach((service, ops) ->
                    assertTrue(ops > 0, service + " kept working after the old table was renamed away"));

            RawDb raw = db.raw();
            assertEquals(List.of(List.of("orders_retired")), raw.rows("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_name LIKE 'orders%'"), "the old table was renamed away");
            // Every order the services believe in, with the status they last gave it, and nothing else.
            List<List<String>> expected = new ArrayList<>();
            new TreeMap<>(result.expectedStatus()).forEach((id, status) -> expected.add(List.of(
                    id.toString(), Long.toString(OrdersWorkload.userOf(id)), "A".equals(status) ? "active" : "cancelled")));
            assertEquals(expected, raw.rows("SELECT id, user_id, order_state FROM billing.orders_v2 ORDER BY id"));
        }
    }
}
