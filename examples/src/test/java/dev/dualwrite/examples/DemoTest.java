package dev.dualwrite.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.examples.support.EmbeddedDatabase;
import dev.dualwrite.examples.support.RawDb;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's first command runs this demo; a broken demo should fail the build, not a visitor. */
class DemoTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void migrationUnderLiveTrafficEndsGreen() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Echo to stdout too (Surefire keeps it in the test's output file), and keep a copy for the
        // failure message so a red build says which step went wrong without digging for files.
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

        try (EmbeddedDatabase db = EmbeddedDatabase.postgres()) {
            int exitCode = Demo.run(db, out);

            assertEquals(0, exitCode, () -> "the demo failed:\n" + captured.toString(StandardCharsets.UTF_8));
            // The demo checks itself; the end state, seen through pgjdbc, once more here.
            RawDb raw = db.raw();
            assertFalse(raw.columnExists("users", "user_name"), "users.user_name was dropped");
            assertEquals(0, raw.queryLong("SELECT count(*) FROM users WHERE display_name IS NULL"));
            assertEquals(List.of(List.of("orders_retired")), raw.rows("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_name LIKE 'orders%'"), "orders was renamed away");
            assertEquals(0, raw.queryLong("SELECT count(*) FROM billing.orders_v2"
                    + " WHERE order_state NOT IN ('active', 'cancelled')"), "every order_state went through the value map");
            assertTrue(raw.queryLong("SELECT count(*) FROM billing.orders_v2") > Demo.SEED_ROWS / 2);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
