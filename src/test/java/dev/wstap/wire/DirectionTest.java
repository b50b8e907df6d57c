package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §5.1: the client masks, the server does not. */
class DirectionTest {

    @Test
    void clientToServerMustBeMasked() {
        assertTrue(Direction.C2S.requiresMask());
        assertEquals("c2s", Direction.C2S.label());
        assertEquals("client", Direction.C2S.sender());
        assertEquals("server", Direction.C2S.receiver());
        assertEquals(Direction.S2C, Direction.C2S.reverse());
    }

    @Test
    void serverToClientMustNotBeMasked() {
        assertFalse(Direction.S2C.requiresMask());
        assertEquals("s2c", Direction.S2C.label());
        assertEquals("server", Direction.S2C.sender());
        assertEquals("client", Direction.S2C.receiver());
        assertEquals(Direction.C2S, Direction.S2C.reverse());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"c2s, C2S", "server, C2S", "to-server, C2S", "' C2S ', C2S",
            "s2c, S2C", "client, S2C", "to-client, S2C", "S2C, S2C"})
    void parseReadsLabelsAndDestinations(String text, Direction direction) {
        assertEquals(direction, Direction.parse(text));
    }

    @Test
    void parseRejectsUnknownDirection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Direction.parse("up"));
        assertEquals("unknown direction 'up' (use c2s or s2c)", e.getMessage());
    }
}
