package dev.dualwrite.rewrite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dualwrite.rewrite.Dialect;
import dev.dualwrite.rewrite.ReadChoice;
import dev.dualwrite.rewrite.Rewrite;
import dev.dualwrite.rewrite.Rewriter;
import dev.dualwrite.rewrite.Catalog;
import dev.dualwrite.rules.RuleLoader;
import dev.dualwrite.rules.RuleSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParsingTest {
    /** A statement whose parse takes long enough for a clock to catch it running. */
    private static final String LONG = "SELECT id, user_name FROM users WHERE id IN ("
            + IntStream.range(0, 50_000).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + ")";

    @Test
    void aParseRunningPastItsTimeOutIsStoppedAndTheStatementRejected() throws Exception {
        RuleSet rules = RuleLoader.parse("version: 1\nmigrations:\n  - id: users-display-name\n    table: users\n"
                + "    phase: expand\n    columns:\n      user_name:\n        to: display_name\n", "rules.yaml");
        long saved = Parsing.timeoutNanos;
        Parsing.timeoutNanos = 0; // every parse is overdue as soon as the clock looks
        AtomicBoolean stop = new AtomicBoolean();
        Thread clock = new Thread(() -> {
            while (!stop.get()) {
                Parsing.stopOverdue();
                Thread.onSpinWait();
            }
        });
        clock.start();
        try {
            assertThrows(Parsing.TimedOut.class, () -> Parsing.statement(LONG, Dialect.POSTGRESQL));
            Rewrite r = Rewriter.rewrite(LONG, rules, Dialect.POSTGRESQL, ReadChoice.defaults(rules), Catalog.NONE);
            assertEquals(Rewrite.Kind.REJECTED, r.kind());
            assertTrue(r.reason().contains("took the parser longer than 0 ms"), r.reason());
        } finally {
            stop.set(true);
            clock.join();
            Parsing.timeoutNanos = saved;
        }
        // the same statement, with no clock stopping it, parses
        assertNotNull(Parsing.statement(LONG, Dialect.POSTGRESQL));
    }

    @Test
    void theClockLeavesParsesWithinTheirTimeAlone() throws Exception {
        Parsing.stopOverdue();
        assertNotNull(Parsing.statement("SELECT 1", Dialect.MYSQL));
    }
}
