package dev.wstap.wire;

import static dev.wstap.wire.FrameRecorder.parse;
import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conforming frames for injection, and on request malformed ones, byte for byte. */
class FrameEncoderTest {

    @Test
    void javadocExampleHolds() {
        byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, null, "Hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("81 05 48 65 6c 6c 6f", hex(frame)); // FIN text "Hello"
    }

    @Test
    void payloadIsLeftUntouchedWhenMasking() {
        byte[] payload = hex("48 65 6c 6c 6f");
        FrameEncoder.frame(true, Opcode.TEXT, 0x37fa213d, payload);
        assertEquals("48 65 6c 6c 6f", hex(payload));
    }

    @ParameterizedTest(name = "fin={0} rsv={1} opcode={2} key={3} length={4} {5}")
    @CsvSource({
            "true,  0, 1,  ,         0,      BITS_7",
            "true,  0, 1,  37fa213d, 5,      BITS_7",
            "false, 0, 2,  ,         125,    BITS_7",
            "false, 4, 1,  00000000, 126,    BITS_16",
            "true,  2, 0,  ffffffff, 1000,   BITS_16",
            "true,  1, 2,  ,         65535,  BITS_16",
            "true,  7, 2,  80000001, 65536,  BITS_64",
            "true,  0, 9,  ,         125,    BITS_7",
            "true,  0, 10, 01020304, 3,      BITS_7",
            "true,  0, 8,  ,         2,      BITS_7",
            "false, 5, 15, 0a0b0c0d, 9,      BITS_7",
            "true,  0, 3,  ,         300,    BITS_16",
    })
    void encodeThenParseGivesTheSameHeaderAndPayload(boolean isFinal, int rsv, int opcode, String keyHex,
                                                     int length, LengthEncoding encoding) {
        Integer key = keyHex == null ? null : Integer.parseUnsignedInt(keyHex, 16);
        byte[] payload = counting(length);
        byte[] frame = FrameEncoder.frame(isFinal, rsv, opcode, key, payload, encoding, length);
        FrameRecorder r = parse(key == null ? Direction.S2C : Direction.C2S, frame);
        ParsedFrame f = r.next();
        assertEquals(new FrameHeader(isFinal, rsv, opcode, key != null, key == null ? 0 : key, length, encoding),
                f.header());
        assertArrayEquals(payload, f.preview());
        assertEquals(f.header().encodedLength() + length, frame.length);
        r.assertExhausted();
    }

    @Test
    void minimalFormIsChosenByDefault() {
        assertEquals("82 7d", hex(FrameEncoder.frame(true, Opcode.BINARY, null, counting(125))).substring(0, 5));
        assertEquals("82 7e 00 7e", hex(FrameEncoder.frame(true, Opcode.BINARY, null, counting(126))).substring(0, 11));
        assertEquals("82 7f 00 00 00 00 00 01 00 00",
                hex(FrameEncoder.frame(true, Opcode.BINARY, null, counting(65536))).substring(0, 29));
    }

    @Test
    void sixteenBitFormCanBeForcedForShortPayload() {
        byte[] frame = FrameEncoder.frame(true, 0, Opcode.BINARY, null, hex("01 02 03 04 05"), LengthEncoding.BITS_16, 5);
        assertEquals("82 7e 00 05 01 02 03 04 05", hex(frame)); // FIN binary, 16-bit length 5
        assertEquals(List.of(Violation.Rule.NON_MINIMAL_LENGTH), parse(Direction.S2C, frame).nextRules());
    }

    @Test
    void sixtyFourBitFormCanBeForcedForShortPayload() {
        byte[] frame = FrameEncoder.frame(true, 0, Opcode.TEXT, 0x01020304, hex("48 69"), LengthEncoding.BITS_64, 2);
        // FIN text, masked, 64-bit length 2, key 01020304, "Hi" masked
        assertEquals("81 ff 00 00 00 00 00 00 00 02 01 02 03 04 49 6b", hex(frame));
        assertEquals(List.of(Violation.Rule.NON_MINIMAL_LENGTH), parse(Direction.C2S, frame).nextRules());
    }

    @Test
    void declaredLengthLongerThanPayloadIsWrittenAsGiven() {
        byte[] frame = FrameEncoder.frame(true, 0, Opcode.BINARY, null, hex("01 02 03"), LengthEncoding.BITS_7, 10);
        assertEquals("82 0a 01 02 03", hex(frame)); // header says 10, only 3 follow
    }

    @Test
    void declaredLengthShorterThanPayloadIsWrittenAsGiven() {
        byte[] frame = FrameEncoder.frame(true, 0, Opcode.BINARY, null, hex("01 02 00"), LengthEncoding.BITS_7, 1);
        assertEquals("82 01 01 02 00", hex(frame)); // header says 1: the peer reads 02 00 as the next header
        FrameRecorder r = parse(Direction.S2C, frame);
        r.assertFrame(Opcode.BINARY, true, "01");
        r.assertFrame(Opcode.BINARY, false, "");
        r.assertExhausted();
    }

    @Test
    void lengthWithTopBitSetCanBeWrittenInSixtyFourBitForm() {
        byte[] frame = FrameEncoder.frame(true, 0, Opcode.BINARY, null, new byte[0], LengthEncoding.BITS_64, Long.MIN_VALUE);
        assertEquals("82 7f 80 00 00 00 00 00 00 00", hex(frame));
    }

    @Test
    void anyRsvAndReservedOpcodeCanBeWritten() {
        byte[] frame = FrameEncoder.frame(false, 7, 0xb, null, new byte[0], LengthEncoding.BITS_7, 0);
        assertEquals("7b 00", hex(frame)); // no FIN, RSV1+RSV2+RSV3, opcode 0xb
    }

    @Test
    void writeHeaderReturnsTheHeaderLength() {
        byte[] out = new byte[14];
        assertEquals(2, FrameEncoder.writeHeader(header(false, 125, LengthEncoding.BITS_7), out));
        assertEquals(6, FrameEncoder.writeHeader(header(true, 0, LengthEncoding.BITS_7), out));
        assertEquals(4, FrameEncoder.writeHeader(header(false, 65535, LengthEncoding.BITS_16), out));
        assertEquals(8, FrameEncoder.writeHeader(header(true, 126, LengthEncoding.BITS_16), out));
        assertEquals(10, FrameEncoder.writeHeader(header(false, 1L << 32, LengthEncoding.BITS_64), out));
        assertEquals(14, FrameEncoder.writeHeader(header(true, 1L << 32, LengthEncoding.BITS_64), out));
        // FIN binary, masked, 64-bit length 2^32, key 12345678
        assertEquals("82 ff 00 00 00 01 00 00 00 00 12 34 56 78", hex(out));
    }

    private static FrameHeader header(boolean isMasked, long length, LengthEncoding encoding) {
        return new FrameHeader(true, 0, Opcode.BINARY, isMasked, isMasked ? 0x12345678 : 0, length, encoding);
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "126,   BITS_7,  length 126 does not fit the 7-bit form (0-125)",
            "65535, BITS_7,  length 65535 does not fit the 7-bit form (0-125)",
            "-1,    BITS_7,  length 18446744073709551615 does not fit the 7-bit form (0-125)",
            "65536, BITS_16, length 65536 does not fit the 16-bit form (0-65535)",
            "-1,    BITS_16, length 18446744073709551615 does not fit the 16-bit form (0-65535)",
    })
    void writeHeaderRejectsLengthThatDoesNotFitTheForm(long length, LengthEncoding encoding, String message) {
        FrameHeader h = new FrameHeader(true, 0, Opcode.BINARY, false, 0, length, encoding);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.writeHeader(h, new byte[14]));
        assertEquals(message, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.frame(true, 0, Opcode.BINARY, null, new byte[0], encoding, length));
        assertEquals(message, e.getMessage());
    }

    @Test
    void writeHeaderAcceptsTheLargestLengthOfEachForm() {
        byte[] out = new byte[10];
        FrameEncoder.writeHeader(new FrameHeader(true, 0, Opcode.BINARY, false, 0, 125, LengthEncoding.BITS_7), out);
        assertEquals("82 7d", hex(out).substring(0, 5));
        FrameEncoder.writeHeader(new FrameHeader(true, 0, Opcode.BINARY, false, 0, 65535, LengthEncoding.BITS_16), out);
        assertEquals("82 7e ff ff", hex(out).substring(0, 11));
        FrameEncoder.writeHeader(new FrameHeader(true, 0, Opcode.BINARY, false, 0, -1, LengthEncoding.BITS_64), out);
        assertEquals("82 7f ff ff ff ff ff ff ff ff", hex(out));
    }

    @Test
    void maskedFrameOf300BytesMatchesManualMasking() {
        byte[] payload = counting(300);
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) masked[i] ^= hex("a1 b2 c3 d4")[i % 4];
        byte[] expected = concat(hex("82 fe 01 2c a1 b2 c3 d4"), masked); // FIN binary, masked, 16-bit length 300
        assertArrayEquals(expected, FrameEncoder.frame(true, Opcode.BINARY, 0xa1b2c3d4, payload));
    }
}
