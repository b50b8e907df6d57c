package dev.wstap.wire;

import static dev.wstap.wire.FrameRecorder.parse;
import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every boundary of the three length forms of RFC 6455 §5.2, and a frame longer than 4 GiB. */
class FrameParserLengthTest {

    @ParameterizedTest(name = "length {0}: {2}")
    @CsvSource({
            "0,     BITS_7,  82 00",
            "1,     BITS_7,  82 01",
            "125,   BITS_7,  82 7d",
            "126,   BITS_16, 82 7e 00 7e",
            "127,   BITS_16, 82 7e 00 7f",
            "65535, BITS_16, 82 7e ff ff",
            "65536, BITS_64, 82 7f 00 00 00 00 00 01 00 00",
    })
    void unmaskedServerFrameAtLengthBoundary(int length, LengthEncoding encoding, String headerHex) {
        byte[] payload = counting(length);
        byte[] frame = concat(hex(headerHex), payload);
        assertArrayEquals(frame, FrameEncoder.frame(true, Opcode.BINARY, null, payload));

        FrameRecorder r = parse(Direction.S2C, frame);
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.BINARY, false, 0, length, encoding), f.header());
        assertArrayEquals(payload, f.preview());
        assertFalse(f.isTruncated());
        r.assertExhausted();
    }

    @ParameterizedTest(name = "length {0}: {2}")
    @CsvSource({
            "0,     BITS_7,  82 80 0a 0b 0c 0d",
            "125,   BITS_7,  82 fd 0a 0b 0c 0d",
            "126,   BITS_16, 82 fe 00 7e 0a 0b 0c 0d",
            "65535, BITS_16, 82 fe ff ff 0a 0b 0c 0d",
            "65536, BITS_64, 82 ff 00 00 00 00 00 01 00 00 0a 0b 0c 0d",
    })
    void maskedClientFrameAtLengthBoundary(int length, LengthEncoding encoding, String headerHex) {
        byte[] payload = counting(length);
        byte[] masked = payload.clone();
        Masking.apply(masked, 0x0a0b0c0d);
        byte[] frame = concat(hex(headerHex), masked);
        assertArrayEquals(frame, FrameEncoder.frame(true, Opcode.BINARY, 0x0a0b0c0d, payload));

        FrameRecorder r = parse(Direction.C2S, frame);
        ParsedFrame f = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.BINARY, true, 0x0a0b0c0d, length, encoding), f.header());
        assertArrayEquals(payload, f.preview());
        r.assertExhausted();
    }

    @Test
    void frameOf4GiBEndsExactlyAfterItsLastByte() {
        // 2^32 bytes do not fit an array: feed one reused 1 MiB chunk 4096 times.
        long length = 1L << 32;
        int maxPreview = 1000;
        int key = 0x5a6b7c8d;
        byte[] chunk = counting(1 << 20); // unmasked payload: 00 01 .. ff repeating
        Masking.apply(chunk, key); // 1 MiB is a multiple of 4, so every chunk starts at key byte 0
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.C2S, maxPreview, r);

        byte[] header = hex("82 ff 00 00 00 01 00 00 00 00 5a 6b 7c 8d"); // FIN binary, masked, 64-bit length 2^32
        parser.feed(header, 0, header.length);
        assertFalse(parser.isBetweenFrames());
        long fed = 0;
        while (fed < length - 1) {
            int n = (int) Math.min(chunk.length, length - 1 - fed);
            parser.feed(chunk, 0, n);
            fed += n;
        }
        assertEquals(0, r.frameCount(), "the frame must not end before its last byte");
        assertFalse(parser.isBetweenFrames());

        // The last payload byte and a ping in one chunk: exactly one byte finishes the big frame.
        byte[] last = concat(new byte[] {chunk[chunk.length - 1]}, hex("89 80 01 02 03 04")); // masked empty ping
        parser.feed(last, 0, last.length);
        assertTrue(parser.isBetweenFrames());

        ParsedFrame big = r.nextValid();
        assertEquals(new FrameHeader(true, 0, Opcode.BINARY, true, key, length, LengthEncoding.BITS_64), big.header());
        assertEquals("4294967296", big.header().lengthText());
        assertEquals(maxPreview, big.preview().length);
        assertArrayEquals(counting(maxPreview), big.preview());
        assertTrue(big.isTruncated());
        r.assertFrame(Opcode.PING, true, "");
        r.assertExhausted();
    }

    @Test
    void lengthsOfTheSixtyFourBitFormAreReadWhole() {
        // Only the header: the parser reports the header at once, the frame never ends here.
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 16, r);
        byte[] header = hex("82 7f 7f ff ff ff ff ff ff ff"); // FIN binary, 64-bit length 2^63 - 1
        parser.feed(header, 0, header.length);
        assertEquals(List.of(new FrameHeader(true, 0, Opcode.BINARY, false, 0, Long.MAX_VALUE, LengthEncoding.BITS_64)),
                r.events());
        assertFalse(parser.isBetweenFrames());
    }

    @Test
    void minimalFormIsChosenForEveryBoundary() {
        assertEquals(LengthEncoding.BITS_7, LengthEncoding.minimalFor(0));
        assertEquals(LengthEncoding.BITS_7, LengthEncoding.minimalFor(125));
        assertEquals(LengthEncoding.BITS_16, LengthEncoding.minimalFor(126));
        assertEquals(LengthEncoding.BITS_16, LengthEncoding.minimalFor(65535));
        assertEquals(LengthEncoding.BITS_64, LengthEncoding.minimalFor(65536));
        assertEquals(LengthEncoding.BITS_64, LengthEncoding.minimalFor(1L << 32));
        assertEquals(LengthEncoding.BITS_64, LengthEncoding.minimalFor(Long.MAX_VALUE));
        assertEquals(LengthEncoding.BITS_64, LengthEncoding.minimalFor(-1)); // 2^64 - 1 read as unsigned
        assertEquals(LengthEncoding.BITS_64, LengthEncoding.minimalFor(Long.MIN_VALUE)); // 2^63
    }
}
