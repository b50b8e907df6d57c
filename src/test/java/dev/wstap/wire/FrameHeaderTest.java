package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The header record: its size on the wire and how it reads. */
class FrameHeaderTest {

    private static FrameHeader header(boolean isMasked, long length, LengthEncoding encoding) {
        return new FrameHeader(true, 0, Opcode.BINARY, isMasked, isMasked ? 0x00ab00cd : 0, length, encoding);
    }

    @Test
    void encodedLengthCountsExtendedLengthAndMaskKey() {
        assertEquals(2, header(false, 0, LengthEncoding.BITS_7).encodedLength());
        assertEquals(6, header(true, 0, LengthEncoding.BITS_7).encodedLength());
        assertEquals(4, header(false, 126, LengthEncoding.BITS_16).encodedLength());
        assertEquals(8, header(true, 126, LengthEncoding.BITS_16).encodedLength());
        assertEquals(10, header(false, 65536, LengthEncoding.BITS_64).encodedLength());
        assertEquals(14, header(true, 65536, LengthEncoding.BITS_64).encodedLength());
    }

    @Test
    void maskHexHasEightDigitsWithLeadingZeros() {
        assertEquals("00ab00cd", header(true, 0, LengthEncoding.BITS_7).maskHex());
        assertNull(header(false, 0, LengthEncoding.BITS_7).maskHex());
    }

    @Test
    void lengthTextIsUnsigned() {
        assertEquals("65536", header(false, 65536, LengthEncoding.BITS_64).lengthText());
        assertEquals("9223372036854775808", header(false, Long.MIN_VALUE, LengthEncoding.BITS_64).lengthText());
        assertEquals("18446744073709551615", header(false, -1, LengthEncoding.BITS_64).lengthText());
    }

    @Test
    void isControlFollowsTheOpcode() {
        assertTrue(new FrameHeader(true, 0, Opcode.PING, false, 0, 0, LengthEncoding.BITS_7).isControl());
        assertTrue(new FrameHeader(true, 0, 0xf, false, 0, 0, LengthEncoding.BITS_7).isControl());
        assertFalse(new FrameHeader(true, 0, Opcode.CONTINUATION, false, 0, 0, LengthEncoding.BITS_7).isControl());
        assertFalse(new FrameHeader(true, 0, 0x7, false, 0, 0, LengthEncoding.BITS_7).isControl());
    }

    @Test
    void rsvOutsideThreeBitsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FrameHeader(true, 8, Opcode.TEXT, false, 0, 0, LengthEncoding.BITS_7));
        assertEquals("rsv 8 is outside 0-7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FrameHeader(true, -1, Opcode.TEXT, false, 0, 0, LengthEncoding.BITS_7));
        assertEquals("rsv -1 is outside 0-7", e.getMessage());
    }

    @Test
    void opcodeOutsideFourBitsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FrameHeader(true, 0, 16, false, 0, 0, LengthEncoding.BITS_7));
        assertEquals("opcode 16 is outside 0-15", e.getMessage());
    }

    @Test
    void constantsHoldTheLimitsOfRfc6455() {
        assertEquals(125, FrameHeader.MAX_7BIT_LENGTH);
        assertEquals(65535, FrameHeader.MAX_16BIT_LENGTH);
        assertEquals(125, FrameHeader.MAX_CONTROL_PAYLOAD_BYTES);
        assertEquals(4, FrameHeader.RSV1);
    }
}
