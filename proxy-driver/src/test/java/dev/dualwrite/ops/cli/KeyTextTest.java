package dev.dualwrite.ops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyTextTest {
    @Test
    void keysSurviveTheRoundTripThroughText() {
        Object[] key = {42L, "a\"b\\c,d\n", "ü🚀"};
        String text = KeyText.encode(key);
        assertEquals("[\"42\",\"a\\\"b\\\\c,d\\u000a\",\"ü🚀\"]", text);
        assertArrayEquals(new String[] {"42", "a\"b\\c,d\n", "ü🚀"}, KeyText.decode(text));
        assertArrayEquals(new String[0], KeyText.decode("[]"));
    }

    @Test
    void valuesAreTypedBackByTheKeyColumnsType() {
        assertEquals(42L, KeyText.typed("42", Types.INTEGER));
        assertEquals(new BigDecimal("1.50"), KeyText.typed("1.50", Types.NUMERIC));
        assertEquals(Timestamp.valueOf("2024-01-02 03:04:05.6"), KeyText.typed("2024-01-02 03:04:05.6", Types.TIMESTAMP));
        UUID u = UUID.randomUUID();
        assertEquals(u, KeyText.typed(u.toString(), Types.OTHER));
        assertEquals("x", KeyText.typed("x", Types.VARCHAR));
    }

    @Test
    void textThisCommandDidNotWriteIsBadInput() {
        CliFailure e = assertThrows(CliFailure.class, () -> KeyText.decode("42"));
        assertEquals(DualWriteCli.BAD_INPUT, e.exitCode());
        assertThrows(CliFailure.class, () -> KeyText.decode("[\"1\" \"2\"]"));
    }
}
