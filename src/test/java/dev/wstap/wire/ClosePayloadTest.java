package dev.wstap.wire;

import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6455 §5.5.1: a close body is an optional two-byte code, then an optional UTF-8 reason. */
class ClosePayloadTest {

    @Test
    void codeAndReasonAreRead() {
        ClosePayload close = ClosePayload.parse(hex("03 e8 62 79 65")); // 1000 "bye"
        assertEquals(new ClosePayload(1000, "bye"), close);
        assertTrue(close.hasCode());
    }

    @Test
    void codeWithoutReasonHasEmptyReason() {
        assertEquals(new ClosePayload(4999, ""), ClosePayload.parse(hex("13 87"))); // 4999
    }

    @Test
    void codeIsReadUnsigned() {
        assertEquals(new ClosePayload(65535, ""), ClosePayload.parse(hex("ff ff")));
    }

    @Test
    void multiByteReasonIsDecoded() {
        assertEquals(new ClosePayload(1001, "adiós ✓"), ClosePayload.parse(hex("03 e9 61 64 69 c3 b3 73 20 e2 9c 93")));
    }

    @Test
    void emptyPayloadHasNoCode() {
        assertSame(ClosePayload.EMPTY, ClosePayload.parse(new byte[0]));
        assertFalse(ClosePayload.EMPTY.hasCode());
        assertEquals(-1, ClosePayload.EMPTY.code());
        assertEquals("", ClosePayload.EMPTY.reason());
    }

    @Test
    void oneBytePayloadHasNoCode() {
        assertSame(ClosePayload.EMPTY, ClosePayload.parse(hex("03")));
    }

    @Test
    void invalidReasonIsDecodedLenientlyForDisplay() {
        assertEquals(new ClosePayload(1000, "a\uFFFDb"), ClosePayload.parse(hex("03 e8 61 ff 62"))); // 1000, a ff b
    }

    @Test
    void encodeWritesCodeThenReason() {
        assertEquals("03 e8 62 79 65", hex(new ClosePayload(1000, "bye").encode()));
        assertEquals("0f a0", hex(new ClosePayload(4000, "").encode()));
        assertEquals("03 e9 c3 a9", hex(new ClosePayload(1001, "é").encode()));
    }

    @Test
    void encodeWithoutCodeIsEmpty() {
        assertEquals("", hex(ClosePayload.EMPTY.encode()));
        assertEquals("", hex(new ClosePayload(-1, "ignored without a code").encode()));
    }

    @Test
    void parseUndoesEncode() {
        for (ClosePayload close : new ClosePayload[] {
                new ClosePayload(1000, ""), new ClosePayload(1011, "server ☹"), new ClosePayload(3000, "x".repeat(123))}) {
            assertEquals(close, ClosePayload.parse(close.encode()));
        }
    }
}
