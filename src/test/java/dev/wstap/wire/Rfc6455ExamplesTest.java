package dev.wstap.wire;

import static dev.wstap.wire.FrameRecorder.parse;
import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The examples of RFC 6455 §5.7, byte for byte, through the parser and the encoder. */
class Rfc6455ExamplesTest {

    @Test
    void singleFrameUnmaskedTextMessage() {
        FrameRecorder r = parse(Direction.S2C, Vectors.RFC_UNMASKED_TEXT_HELLO); // 81 05 "Hello"
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.TEXT, false, 0, 5, LengthEncoding.BITS_7), f.header());
        assertEquals("48 65 6c 6c 6f", hex(f.preview())); // Hello
        assertEquals(Opcode.TEXT, f.messageOpcode());
        assertTrue(f.isText());
        assertFalse(f.isTruncated());
        assertEquals(null, f.closePayload());
        r.assertExhausted();
    }

    @Test
    void singleFrameMaskedTextMessage() {
        FrameRecorder r = parse(Direction.C2S, Vectors.RFC_MASKED_TEXT_HELLO); // 81 85 37fa213d, masked "Hello"
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.TEXT, true, 0x37fa213d, 5, LengthEncoding.BITS_7), f.header());
        assertEquals("37fa213d", f.header().maskHex());
        assertEquals("48 65 6c 6c 6f", hex(f.preview())); // unmasked: Hello
        r.assertExhausted();
    }

    @Test
    void fragmentedUnmaskedTextMessage() {
        FrameRecorder r = parse(Direction.S2C, concat(
                Vectors.RFC_FRAGMENT_HEL, // 01 03 "Hel"
                Vectors.RFC_FRAGMENT_LO)); // 80 02 "lo"
        ParsedFrame hel = r.nextValid();
        assertEquals(new FrameHeader(false, 0, Opcode.TEXT, false, 0, 3, LengthEncoding.BITS_7), hel.header());
        assertEquals("48 65 6c", hex(hel.preview()));
        assertEquals(Opcode.TEXT, hel.messageOpcode());
        ParsedFrame lo = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.CONTINUATION, false, 0, 2, LengthEncoding.BITS_7), lo.header());
        assertEquals("6c 6f", hex(lo.preview()));
        assertEquals(Opcode.TEXT, lo.messageOpcode()); // the continuation belongs to the text message
        assertTrue(lo.isText());
        r.assertExhausted();
    }

    @Test
    void unmaskedPingRequest() {
        FrameRecorder r = parse(Direction.S2C, Vectors.RFC_UNMASKED_PING_HELLO); // 89 05 "Hello"
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.PING, false, 0, 5, LengthEncoding.BITS_7), f.header());
        assertTrue(f.header().isControl());
        assertEquals("48 65 6c 6c 6f", hex(f.preview()));
        assertEquals(Opcode.PING, f.messageOpcode());
        assertFalse(f.isText());
        r.assertExhausted();
    }

    @Test
    void maskedPongResponse() {
        FrameRecorder r = parse(Direction.C2S, Vectors.RFC_MASKED_PONG_HELLO); // 8a 85 37fa213d, masked "Hello"
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.PONG, true, 0x37fa213d, 5, LengthEncoding.BITS_7), f.header());
        assertEquals("48 65 6c 6c 6f", hex(f.preview()));
        r.assertExhausted();
    }

    @Test
    void binaryMessageOf256BytesUses16BitLength() {
        FrameRecorder r = parse(Direction.S2C, Vectors.RFC_BINARY_256); // 82 7e 0100, then 256 bytes
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.BINARY, false, 0, 256, LengthEncoding.BITS_16), f.header());
        assertEquals(4, f.header().encodedLength());
        assertArrayEquals(counting(256), f.preview());
        assertFalse(f.isTruncated());
        r.assertExhausted();
    }

    @Test
    void binaryMessageOf64KiBUses64BitLength() {
        FrameRecorder r = parse(Direction.S2C, Vectors.RFC_BINARY_64K); // 82 7f 0000000000010000, then 65536 bytes
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.BINARY, false, 0, 65536, LengthEncoding.BITS_64), f.header());
        assertEquals(10, f.header().encodedLength());
        assertArrayEquals(counting(65536), f.preview());
        r.assertExhausted();
    }

    @Test
    void encoderWritesEveryExampleVerbatim() {
        byte[] hello = hex("48 65 6c 6c 6f");
        assertEquals(hex(Vectors.RFC_UNMASKED_TEXT_HELLO), hex(FrameEncoder.frame(true, Opcode.TEXT, null, hello)));
        assertEquals(hex(Vectors.RFC_MASKED_TEXT_HELLO), hex(FrameEncoder.frame(true, Opcode.TEXT, 0x37fa213d, hello)));
        assertEquals(hex(Vectors.RFC_FRAGMENT_HEL), hex(FrameEncoder.frame(false, Opcode.TEXT, null, hex("48 65 6c"))));
        assertEquals(hex(Vectors.RFC_FRAGMENT_LO), hex(FrameEncoder.frame(true, Opcode.CONTINUATION, null, hex("6c 6f"))));
        assertEquals(hex(Vectors.RFC_UNMASKED_PING_HELLO), hex(FrameEncoder.frame(true, Opcode.PING, null, hello)));
        assertEquals(hex(Vectors.RFC_MASKED_PONG_HELLO), hex(FrameEncoder.frame(true, Opcode.PONG, 0x37fa213d, hello)));
        assertArrayEquals(Vectors.RFC_BINARY_256, FrameEncoder.frame(true, Opcode.BINARY, null, counting(256)));
        assertArrayEquals(Vectors.RFC_BINARY_64K, FrameEncoder.frame(true, Opcode.BINARY, null, counting(65536)));
    }
}
