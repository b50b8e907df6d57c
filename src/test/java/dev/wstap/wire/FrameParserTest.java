package dev.wstap.wire;

import static dev.wstap.wire.FrameRecorder.parse;
import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frame boundaries, message state, previews, and conforming traffic that must raise nothing. */
class FrameParserTest {

    private static void feed(FrameParser parser, String hex) {
        byte[] bytes = hex(hex);
        parser.feed(bytes, 0, bytes.length);
    }

    // --- isBetweenFrames and isInsideMessage

    @Test
    void freshParserIsBetweenFramesAndOutsideAnyMessage() {
        FrameParser parser = new FrameParser(Direction.S2C, 16, new FrameRecorder());
        assertTrue(parser.isBetweenFrames());
        assertFalse(parser.isInsideMessage());
    }

    @Test
    void betweenFramesOnlyOnceTheLastPayloadByteIsIn() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.C2S, 16, r);
        feed(parser, "81"); // FIN text: first header byte
        assertFalse(parser.isBetweenFrames());
        feed(parser, "85 37 fa"); // masked, length 5, half the key
        assertFalse(parser.isBetweenFrames());
        feed(parser, "21 3d"); // rest of the key: header complete, payload to come
        assertFalse(parser.isBetweenFrames());
        assertEquals(List.of(new FrameHeader(true, 0, Opcode.TEXT, true, 0x37fa213d, 5, LengthEncoding.BITS_7)),
                r.events()); // the header is reported as soon as it is whole
        feed(parser, "7f 9f 4d 51");
        assertFalse(parser.isBetweenFrames());
        assertEquals(0, r.frameCount());
        feed(parser, "58");
        assertTrue(parser.isBetweenFrames());
        assertEquals("48 65 6c 6c 6f", hex(r.nextValid().preview())); // Hello
        r.assertExhausted();
    }

    @Test
    void emptyFrameEndsWithItsHeader() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 16, r);
        feed(parser, "89"); // FIN ping
        assertFalse(parser.isBetweenFrames());
        feed(parser, "00"); // length 0
        assertTrue(parser.isBetweenFrames());
        r.assertFrame(Opcode.PING, true, "");
        r.assertExhausted();
    }

    @Test
    void extendedLengthHeaderIsNotBetweenFramesUntilComplete() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 16, r);
        byte[] header = hex("82 7f 00 00 00 00 00 01 00 00"); // FIN binary, 64-bit length 65536
        for (int i = 0; i < header.length; i++) {
            assertEquals(i == 0, parser.isBetweenFrames(), "after " + i + " header bytes");
            parser.feed(header, i, 1);
        }
        assertFalse(parser.isBetweenFrames());
        assertEquals(1, r.events().size()); // the header, not yet the frame
    }

    @Test
    void insideMessageFromFirstFragmentHeaderUntilFinalFragmentHeader() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 16, r);
        feed(parser, "01 03"); // text, no FIN, length 3: the message has begun
        assertTrue(parser.isInsideMessage());
        assertFalse(parser.isBetweenFrames());
        feed(parser, "48 65 6c"); // "Hel"
        assertTrue(parser.isInsideMessage());
        assertTrue(parser.isBetweenFrames()); // a control frame may go here, a data frame may not
        feed(parser, "89 01 70"); // FIN ping "p" between the fragments
        assertTrue(parser.isInsideMessage());
        assertTrue(parser.isBetweenFrames());
        feed(parser, "00 01 6c"); // continuation, no FIN, "l"
        assertTrue(parser.isInsideMessage());
        feed(parser, "80 01"); // FIN continuation, length 1: the final frame has begun
        assertFalse(parser.isInsideMessage());
        assertFalse(parser.isBetweenFrames());
        feed(parser, "6f"); // "o"
        assertFalse(parser.isInsideMessage());
        assertTrue(parser.isBetweenFrames());

        r.assertFrame(Opcode.TEXT, false, "48 65 6c");
        r.assertFrame(Opcode.PING, true, "70");
        r.assertFrame(Opcode.CONTINUATION, false, "6c");
        r.assertFrame(Opcode.CONTINUATION, true, "6f");
        r.assertExhausted();
    }

    @Test
    void singleFrameMessageIsNeverInsideMessage() {
        FrameParser parser = new FrameParser(Direction.S2C, 16, new FrameRecorder());
        feed(parser, "81 05 48 65"); // FIN text "Hello", cut after "He"
        assertFalse(parser.isInsideMessage());
        feed(parser, "6c 6c 6f");
        assertFalse(parser.isInsideMessage());
    }

    @Test
    void controlFrameDoesNotStartAMessage() {
        FrameParser parser = new FrameParser(Direction.S2C, 16, new FrameRecorder());
        feed(parser, "09 00"); // ping without FIN (a violation): still not a message
        assertFalse(parser.isInsideMessage());
    }

    @Test
    void binaryMessageIsInsideMessageToo() {
        FrameParser parser = new FrameParser(Direction.S2C, 16, new FrameRecorder());
        feed(parser, "02 01 00"); // binary, no FIN
        assertTrue(parser.isInsideMessage());
        feed(parser, "80 00"); // FIN continuation, empty
        assertFalse(parser.isInsideMessage());
    }

    // --- Preview

    @Test
    void payloadLongerThanPreviewIsTruncatedToFirstBytesUnmasked() {
        byte[] payload = counting(10);
        FrameRecorder r = new FrameRecorder();
        byte[] frame = FrameEncoder.frame(true, Opcode.BINARY, 0xdeadbeef, payload);
        new FrameParser(Direction.C2S, 7, r).feed(frame, 0, frame.length);
        ParsedFrame f = r.nextValid();
        assertEquals("00 01 02 03 04 05 06", hex(f.preview()));
        assertEquals(10, f.header().payloadLength());
        assertTrue(f.isTruncated());
        r.assertExhausted();
    }

    @Test
    void payloadOfExactlyPreviewLengthIsNotTruncated() {
        FrameRecorder r = new FrameRecorder();
        byte[] frame = hex("82 04 0a 0b 0c 0d"); // FIN binary, 4 bytes
        new FrameParser(Direction.S2C, 4, r).feed(frame, 0, frame.length);
        ParsedFrame f = r.nextValid();
        assertEquals("0a 0b 0c 0d", hex(f.preview()));
        assertFalse(f.isTruncated());
        r.assertExhausted();
    }

    @Test
    void zeroPreviewKeepsNothingOfDataFrames() {
        FrameRecorder r = new FrameRecorder();
        byte[] frame = hex("81 05 48 65 6c 6c 6f"); // FIN text "Hello"
        new FrameParser(Direction.S2C, 0, r).feed(frame, 0, frame.length);
        ParsedFrame f = r.nextValid();
        assertEquals(0, f.preview().length);
        assertTrue(f.isTruncated());
        r.assertExhausted();
    }

    @Test
    void controlFramesKeepAtLeast125BytesEvenWithZeroPreview() {
        byte[] reason = "x".repeat(123).getBytes(StandardCharsets.US_ASCII);
        byte[] stream = concat(
                concat(hex("89 7d"), counting(125)), // FIN ping, 125 bytes
                FrameEncoder.frame(true, Opcode.PONG, null, counting(126)), // FIN pong, 126 bytes (too long)
                concat(hex("88 7d 03 e8"), reason)); // FIN close 1000, reason of 123 "x"
        FrameRecorder r = new FrameRecorder();
        new FrameParser(Direction.S2C, 0, r).feed(stream, 0, stream.length);
        ParsedFrame ping = r.nextValid();
        assertArrayEquals(counting(125), ping.preview());
        assertFalse(ping.isTruncated());
        ParsedFrame pong = r.next();
        assertArrayEquals(counting(125), pong.preview()); // cut at 125
        assertTrue(pong.isTruncated());
        ParsedFrame close = r.nextValid();
        assertEquals(new ClosePayload(1000, "x".repeat(123)), close.closePayload());
        r.assertExhausted();
    }

    @Test
    void controlFramesUseTheLargerPreviewWhenItIsOver125() {
        FrameRecorder r = new FrameRecorder();
        byte[] frame = FrameEncoder.frame(true, Opcode.PING, null, counting(300)); // too long, but shown
        new FrameParser(Direction.S2C, 200, r).feed(frame, 0, frame.length);
        ParsedFrame ping = r.next();
        assertArrayEquals(counting(200), ping.preview());
        assertTrue(ping.isTruncated());
        r.assertExhausted();
    }

    @Test
    void textBeyondThePreviewIsStillValidated() {
        // 1000 bytes of "a", then an invalid byte: the preview keeps 16, validation sees them all.
        byte[] payload = concat("a".repeat(1000).getBytes(StandardCharsets.US_ASCII), hex("ff"));
        byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, 0x01020304, payload);
        FrameRecorder r = new FrameRecorder();
        new FrameParser(Direction.C2S, 16, r).feed(frame, 0, frame.length);
        ParsedFrame f = r.next();
        assertEquals(List.of(new Violation(Violation.Rule.INVALID_UTF8,
                "text message has an invalid UTF-8 byte at offset 1000")), f.violations());
        assertEquals("61".repeat(16), hex(f.preview()).replace(" ", ""));
        r.assertExhausted();
    }

    @Test
    void largeMaskedTextIsUnmaskedAndValidatedAcrossScratchPieces() {
        // 40 000 bytes of "é" (c3 a9), longer than the parser's 16 KiB unmasking buffer, fed in
        // odd-sized chunks; then the same text with a bad byte far into it.
        byte[] text = "é".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] bad = text.clone();
        bad[33_333] = 0x41; // "A" where a continuation byte a9 belongs (odd offsets hold a9)
        byte[] stream = concat(
                FrameEncoder.frame(true, Opcode.TEXT, 0x9badc0de, text),
                FrameEncoder.frame(true, Opcode.TEXT, 0x9badc0de, bad));
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.C2S, 50_000, r);
        for (int off = 0; off < stream.length; off += 7_777) {
            parser.feed(stream, off, Math.min(7_777, stream.length - off));
        }
        assertArrayEquals(text, r.nextValid().preview());
        ParsedFrame f = r.next();
        assertEquals(List.of(new Violation(Violation.Rule.INVALID_UTF8,
                "text message has an invalid UTF-8 byte at offset 33333")), f.violations());
        assertArrayEquals(bad, f.preview());
        r.assertExhausted();
    }

    @Test
    void negativePreviewIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FrameParser(Direction.S2C, -1, new FrameRecorder()));
        assertEquals("maxPreviewBytes -1 is negative", e.getMessage());
    }

    // --- Conforming traffic

    @Test
    void textSplitInsideMultiByteCharacterAcrossFragmentsIsValid() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 01 c3" // text, no FIN: first byte of é
                        + " 80 01 a9" // FIN continuation: second byte of é
                        + " 01 02 f0 9f" // text, no FIN: half of 😀 (f0 9f 98 80)
                        + " 89 00" // FIN ping in the middle of the character
                        + " 00 01 98" // continuation, no FIN: third byte
                        + " 80 01 80")); // FIN continuation: last byte
        for (int i = 0; i < 6; i++) r.nextValid();
        r.assertExhausted();
    }

    @Test
    void conformingClientTrafficRaisesNothing() {
        byte[] stream = concat(
                FrameEncoder.frame(true, Opcode.TEXT, 0x11111111, "héllo wörld €𝄞".getBytes(StandardCharsets.UTF_8)),
                FrameEncoder.frame(false, Opcode.TEXT, 0x22222222, hex("e2 82")), // € cut after two bytes
                FrameEncoder.frame(true, Opcode.PING, 0x33333333, hex("01 02")),
                FrameEncoder.frame(false, Opcode.CONTINUATION, 0x44444444, hex("ac")), // rest of €
                FrameEncoder.frame(false, Opcode.CONTINUATION, 0x55555555, new byte[0]), // an empty fragment
                FrameEncoder.frame(true, Opcode.CONTINUATION, 0x66666666, hex("21")), // "!"
                FrameEncoder.frame(true, Opcode.BINARY, 0x77777777, counting(70_000)), // 64-bit length
                FrameEncoder.frame(false, Opcode.BINARY, 0x88888888, hex("ff fe")), // not UTF-8, not text
                FrameEncoder.frame(true, Opcode.CONTINUATION, 0x99999999, hex("c0")),
                FrameEncoder.frame(true, Opcode.PONG, 0xaaaaaaaa, counting(125)),
                FrameEncoder.frame(true, Opcode.TEXT, 0xbbbbbbbb, new byte[0]),
                FrameEncoder.frame(true, Opcode.CLOSE, 0xcccccccc, new ClosePayload(1000, "done ✓").encode()));
        FrameRecorder r = parse(Direction.C2S, stream);
        assertEquals(12, r.frameCount());
        for (int i = 0; i < 12; i++) r.nextValid();
        r.assertExhausted();
    }

    @Test
    void conformingServerTrafficRaisesNothing() {
        byte[] stream = concat(
                Vectors.RFC_UNMASKED_TEXT_HELLO,
                Vectors.RFC_FRAGMENT_HEL,
                Vectors.RFC_UNMASKED_PING_HELLO, // between the fragments
                Vectors.RFC_FRAGMENT_LO,
                Vectors.RFC_BINARY_256,
                Vectors.RFC_BINARY_64K,
                hex("8a 00"), // FIN pong, empty
                hex("88 02 0f a0")); // FIN close 4000
        FrameRecorder r = parse(Direction.S2C, stream);
        assertEquals(8, r.frameCount());
        for (int i = 0; i < 8; i++) r.nextValid();
        r.assertExhausted();
    }

    @Test
    void compressedMessageWithRsv1AllowedRaisesNothing() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.C2S, 64, r);
        parser.allowRsv(FrameHeader.RSV1);
        byte[] frame = FrameEncoder.frame(true, FrameHeader.RSV1, Opcode.TEXT, 0x01020304,
                hex("f2 48 cd c9 c9 07 00"), LengthEncoding.BITS_7, 7); // RFC 7692 §7.2.3.1 "Hello", compressed
        parser.feed(frame, 0, frame.length);
        ParsedFrame f = r.nextValid();
        assertEquals("f2 48 cd c9 c9 07 00", hex(f.preview()));
        assertEquals(FrameHeader.RSV1, f.header().rsv());
        r.assertExhausted();
    }

    @Test
    void onHeaderComesBeforeTheFramesPayload() {
        // A listener that only needs frames can ignore headers: onHeader has a default.
        List<ParsedFrame> frames = new java.util.ArrayList<>();
        FrameParser parser = new FrameParser(Direction.S2C, 16, frames::add);
        byte[] bytes = concat(Vectors.RFC_UNMASKED_TEXT_HELLO, Vectors.RFC_UNMASKED_PING_HELLO);
        parser.feed(bytes, 0, bytes.length);
        assertEquals(List.of(Opcode.TEXT, Opcode.PING), frames.stream().map(f -> f.header().opcode()).toList());
        assertTrue(Arrays.equals(hex("48 65 6c 6c 6f"), frames.get(1).preview()));
    }

    @Test
    void onPayloadPassesBytesAsTheyArrivedWithTheirPositions() {
        List<String> calls = new java.util.ArrayList<>();
        FrameListener listener = new FrameListener() {
            @Override
            public void onHeader(FrameHeader header) {
                calls.add("header " + Opcode.name(header.opcode()));
            }

            @Override
            public void onPayload(byte[] bytes, int off, int len, long payloadPosition) {
                calls.add("payload " + hex(Arrays.copyOfRange(bytes, off, off + len)) + " at " + payloadPosition);
            }

            @Override
            public void onFrame(ParsedFrame frame) {
                calls.add("frame " + hex(frame.preview()));
            }
        };
        FrameParser parser = new FrameParser(Direction.C2S, 16, listener);
        feed(parser, "81 85 37 fa 21 3d 7f 9f"); // RFC masked "Hello": header and two payload bytes
        feed(parser, "4d 51 58 89 80 00 00 00 00 8a"); // the other three, an empty ping, a pong header byte
        feed(parser, "81 01 02 03 04 6b"); // pong, key 01020304, masked "j"
        assertEquals(List.of(
                "header text",
                "payload 7f 9f at 0", // still masked: the caller forwards these bytes
                "payload 4d 51 58 at 2",
                "frame 48 65 6c 6c 6f", // the preview is unmasked
                "header ping",
                "frame ", // an empty frame passes no payload
                "header pong",
                "payload 6b at 0",
                "frame 6a"), calls);
    }

    @Test
    void feedHonoursOffsetAndLength() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 16, r);
        byte[] buffer = hex("ff ff 81 05 48 65 6c 6c 6f ff ff"); // the frame sits between junk bytes
        parser.feed(buffer, 2, 7);
        assertTrue(parser.isBetweenFrames());
        r.assertFrame(Opcode.TEXT, true, "48 65 6c 6c 6f");
        r.assertExhausted();
    }
}
