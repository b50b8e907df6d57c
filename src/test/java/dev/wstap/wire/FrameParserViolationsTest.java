package dev.wstap.wire;

import static dev.wstap.wire.FrameRecorder.parse;
import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.wire.Violation.Rule;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per {@link Violation.Rule}, named after it. Each asserts the exact rules a frame broke
 * and the sentence that says how; the parser reports and goes on, so frames after a broken one
 * still parse.
 */
class FrameParserViolationsTest {

    private static FrameRecorder parseWithRsv(Direction direction, int allowedRsv, byte[] bytes) {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(direction, FrameRecorder.LARGE_PREVIEW, r);
        parser.allowRsv(allowedRsv);
        parser.feed(bytes, 0, bytes.length);
        return r;
    }

    /** The next frame broke exactly {@code rule}, described as {@code message} (detail and section). */
    private static ParsedFrame assertOnly(FrameRecorder r, Rule rule, String message) {
        ParsedFrame f = r.next();
        assertEquals(List.of(rule), f.violations().stream().map(Violation::rule).toList(), "rules of " + f.header());
        assertEquals(message, f.violations().get(0).message());
        return f;
    }

    // --- Every rule has an example, and the example breaks only that rule.

    @Test
    void everyRuleHasAnExampleVector() {
        EnumSet<Rule> frameRules = EnumSet.allOf(Rule.class);
        frameRules.removeIf(r -> !r.isFrameRule());
        assertEquals(frameRules, EnumSet.copyOf(Vectors.RULE_EXAMPLES.keySet()));
    }

    @ParameterizedTest
    @EnumSource(value = Rule.class, names = "INFLATE_FAILED", mode = EnumSource.Mode.EXCLUDE)
    void exampleVectorBreaksOnlyItsRule(Rule rule) {
        Vectors.Vector v = Vectors.RULE_EXAMPLES.get(rule);
        FrameRecorder r = parseWithRsv(v.direction(), v.allowedRsv(), v.bytes());
        List<Rule> broken = r.events().stream()
                .filter(e -> e instanceof FrameRecorder.SeenFrame)
                .flatMap(e -> ((FrameRecorder.SeenFrame) e).violations().stream())
                .map(Violation::rule)
                .toList();
        assertEquals(List.of(rule), broken);
    }

    // --- RFC 6455 §5.5: control frames

    @Test
    void controlFrameOver125BytesIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, concat(
                hex("89 7e 00 7e"), counting(126), // FIN ping, 126 bytes
                hex("88 7e 00 7e 03 e8"), hex("61".repeat(124)))); // FIN close 1000, reason of 124 "a"
        ParsedFrame ping = assertOnly(r, Rule.CONTROL_FRAME_TOO_LONG, "ping of 126 bytes exceeds 125 (RFC 6455 §5.5)");
        assertEquals(126, ping.preview().length); // the whole payload is still shown
        ParsedFrame close = assertOnly(r, Rule.CONTROL_FRAME_TOO_LONG, "close of 126 bytes exceeds 125 (RFC 6455 §5.5)");
        assertEquals(new ClosePayload(1000, "a".repeat(124)), close.closePayload());
        r.assertExhausted();
    }

    @Test
    void controlFrameOf125BytesIsValid() {
        FrameRecorder r = parse(Direction.S2C, concat(hex("8a 7d"), counting(125))); // FIN pong, 125 bytes
        assertEquals(125, r.nextValid().preview().length);
        r.assertExhausted();
    }

    @Test
    void controlFrameFragmentedIsFlagged() {
        FrameRecorder r = parse(Direction.C2S, hex(
                "09 80 01 02 03 04" // ping, no FIN, masked, empty
                        + " 0a 82 01 02 03 04 6b 6d" // pong, no FIN, key 01020304, masked "jo"
                        + " 08 82 01 02 03 04 02 ea")); // close, no FIN, masked, code 1000
        assertOnly(r, Rule.CONTROL_FRAME_FRAGMENTED, "ping frame without FIN (RFC 6455 §5.5)");
        ParsedFrame pong = assertOnly(r, Rule.CONTROL_FRAME_FRAGMENTED, "pong frame without FIN (RFC 6455 §5.5)");
        assertEquals("6a 6f", hex(pong.preview())); // "jo"
        assertOnly(r, Rule.CONTROL_FRAME_FRAGMENTED, "close frame without FIN (RFC 6455 §5.5)");
        r.assertExhausted();
    }

    @Test
    void controlFrameTooLongAndFragmentedIsFlaggedTwice() {
        FrameRecorder r = parse(Direction.S2C, concat(hex("09 7e 00 c8"), counting(200))); // ping, no FIN, 200 bytes
        assertEquals(List.of(Rule.CONTROL_FRAME_TOO_LONG, Rule.CONTROL_FRAME_FRAGMENTED), r.nextRules());
        r.assertExhausted();
    }

    // --- RFC 6455 §5.2: opcodes and RSV bits

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodeIsFlagged(int opcode) {
        byte[] frame = {(byte) (0x80 | opcode), 0x01, 0x2a}; // FIN, opcode, one byte "*"
        FrameRecorder r = parse(Direction.S2C, frame);
        ParsedFrame f = assertOnly(r, Rule.RESERVED_OPCODE,
                "opcode 0x" + Integer.toHexString(opcode) + " is reserved (RFC 6455 §5.2)");
        assertEquals(opcode, f.header().opcode());
        assertEquals(opcode, f.messageOpcode());
        assertEquals("2a", hex(f.preview()));
        r.assertExhausted();
    }

    @Test
    void reservedOpcodeDoesNotEndAFragmentedMessage() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 01 48" // text, no FIN, "H"
                        + " 8b 00" // FIN opcode 0xb (a reserved control opcode), empty
                        + " 80 01 69")); // FIN continuation "i"
        r.nextValid();
        assertOnly(r, Rule.RESERVED_OPCODE, "opcode 0xb is reserved (RFC 6455 §5.2)");
        assertEquals(Opcode.TEXT, r.nextValid().messageOpcode());
        r.assertExhausted();
    }

    @Test
    void rsvWithoutExtensionIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "c1 05 48 65 6c 6c 6f" // FIN RSV1 text "Hello"
                        + " a2 00" // FIN RSV2 binary, empty
                        + " 92 00" // FIN RSV3 binary, empty
                        + " f9 00")); // FIN RSV1+RSV2+RSV3 ping, empty
        ParsedFrame text = assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV1 set on a text frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        assertEquals(4, text.header().rsv());
        assertEquals("48 65 6c 6c 6f", hex(text.preview()));
        assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV2 set on a binary frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV3 set on a binary frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        ParsedFrame ping = assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV1+RSV2+RSV3 set on a ping frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        assertEquals(7, ping.header().rsv());
        r.assertExhausted();
    }

    @Test
    void rsv1IsAllowedOnFirstFrameOfDataMessageAfterAllowRsv() {
        FrameRecorder r = parseWithRsv(Direction.S2C, FrameHeader.RSV1, hex(
                "c1 07 f2 48 cd c9 c9 07 00" // RFC 7692 §7.2.3.1: FIN RSV1 text, "Hello" compressed
                        + " 41 03 f2 48 cd" // RFC 7692 §7.2.3.2: RSV1 text, no FIN, first part
                        + " 80 04 c9 c9 07 00" // FIN continuation, second part, RSV1 clear as it must be
                        + " c2 03 01 02 03")); // FIN RSV1 binary
        // Compressed payload is not UTF-8 (f2 48 is invalid), and must not be checked as if it were.
        ParsedFrame compressed = r.nextValid();
        assertTrue(compressed.isText());
        r.nextValid();
        r.nextValid();
        r.nextValid();
        r.assertExhausted();
    }

    @Test
    void rsv1IsFlaggedOnContinuationFrameEvenAfterAllowRsv() {
        FrameRecorder r = parseWithRsv(Direction.S2C, FrameHeader.RSV1, hex(
                "41 03 f2 48 cd" // RSV1 text, no FIN
                        + " c0 04 c9 c9 07 00")); // FIN RSV1 continuation
        r.nextValid();
        assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV1 set on a cont frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        r.assertExhausted();
    }

    @Test
    void rsv1IsFlaggedOnControlFrameEvenAfterAllowRsv() {
        FrameRecorder r = parseWithRsv(Direction.S2C, FrameHeader.RSV1, hex("c9 00")); // FIN RSV1 ping, empty
        assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV1 set on a ping frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        r.assertExhausted();
    }

    @Test
    void rsvBitsTheExtensionDoesNotDefineAreFlaggedAfterAllowRsv() {
        FrameRecorder r = parseWithRsv(Direction.S2C, FrameHeader.RSV1, hex("e2 00")); // FIN RSV1+RSV2 binary, empty
        assertOnly(r, Rule.RSV_WITHOUT_EXTENSION,
                "RSV bits RSV2 set on a binary frame without a negotiated extension that defines them (RFC 6455 §5.2)");
        r.assertExhausted();
    }

    @Test
    void textWithRsv1IsStillCheckedAsUtf8WhenNoExtensionAllowsIt() {
        FrameRecorder r = parse(Direction.S2C, hex("c1 07 f2 48 cd c9 c9 07 00")); // FIN RSV1 text, not UTF-8
        assertEquals(List.of(Rule.RSV_WITHOUT_EXTENSION, Rule.INVALID_UTF8), r.nextRules());
        r.assertExhausted();
    }

    // --- RFC 6455 §5.1: masking

    @Test
    void clientFrameUnmaskedIsFlagged() {
        FrameRecorder r = parse(Direction.C2S, Vectors.RFC_UNMASKED_TEXT_HELLO); // 81 05 "Hello"
        ParsedFrame f = assertOnly(r, Rule.CLIENT_FRAME_UNMASKED, "client frame is not masked (RFC 6455 §5.1)");
        assertEquals("48 65 6c 6c 6f", hex(f.preview()));
        r.assertExhausted();
    }

    @Test
    void serverFrameMaskedIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, Vectors.RFC_MASKED_TEXT_HELLO); // 81 85 37fa213d, masked "Hello"
        ParsedFrame f = assertOnly(r, Rule.SERVER_FRAME_MASKED,
                "server frame is masked with key 37fa213d (RFC 6455 §5.1)");
        assertEquals("48 65 6c 6c 6f", hex(f.preview())); // still unmasked for display
        r.assertExhausted();
    }

    // --- RFC 6455 §5.2: payload length

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "82 7e 00 00,                   0,     length 0 written in the 16-bit form",
            "82 7e 00 05,                   5,     length 5 written in the 16-bit form",
            "82 7e 00 7d,                   125,   length 125 written in the 16-bit form",
            "82 7f 00 00 00 00 00 00 00 05, 5,     length 5 written in the 64-bit form",
            "82 7f 00 00 00 00 00 00 00 7e, 126,   length 126 written in the 64-bit form",
            "82 7f 00 00 00 00 00 00 ff ff, 65535, length 65535 written in the 64-bit form",
    })
    void nonMinimalLengthIsFlagged(String headerHex, int length, String detail) {
        FrameRecorder r = parse(Direction.S2C, concat(hex(headerHex), counting(length), hex("89 00"))); // then a ping
        ParsedFrame f = assertOnly(r, Rule.NON_MINIMAL_LENGTH, detail + " (RFC 6455 §5.2)");
        assertEquals(length, f.header().payloadLength());
        assertEquals(length, f.preview().length);
        r.assertFrame(Opcode.PING, true, ""); // the length was still read right
        r.assertExhausted();
    }

    @Test
    void lengthTopBitSetIsFlagged() {
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = new FrameParser(Direction.S2C, 64, r);
        byte[] bytes = hex("82 7f 80 00 00 00 00 00 00 00" // FIN binary, 64-bit length 2^63
                + " 89 00"); // looks like a ping, but is payload of the endless frame
        parser.feed(bytes, 0, bytes.length);
        ParsedFrame f = assertOnly(r, Rule.LENGTH_TOP_BIT_SET,
                "frame length 0x8000000000000000 has its top bit set (RFC 6455 §5.2)");
        assertEquals(Long.MIN_VALUE, f.header().payloadLength());
        assertEquals("9223372036854775808", f.header().lengthText());
        assertEquals(0, f.preview().length);
        assertTrue(f.isTruncated());
        // Such a frame never ends: every later byte is passed on as its payload, and no frame
        // boundary comes again.
        assertEquals(2, r.payloadBytesSinceHeader());
        assertFalse(parser.isBetweenFrames());
        parser.feed(bytes, 0, bytes.length);
        assertEquals(14, r.payloadBytesSinceHeader());
        assertFalse(parser.isBetweenFrames());
        r.assertExhausted();
    }

    @Test
    void lengthTopBitSetOnControlFrameIsAlsoTooLong() {
        FrameRecorder r = parse(Direction.S2C, hex("89 7f ff ff ff ff ff ff ff ff")); // FIN ping, 64-bit length 2^64 - 1
        ParsedFrame f = r.next();
        assertEquals(List.of(
                new Violation(Rule.LENGTH_TOP_BIT_SET, "frame length 0xffffffffffffffff has its top bit set"),
                new Violation(Rule.CONTROL_FRAME_TOO_LONG, "ping of 18446744073709551615 bytes exceeds 125")),
                f.violations());
        r.assertExhausted();
    }

    // --- RFC 6455 §5.4: fragmentation

    @Test
    void continuationWithoutStartIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "80 02 6c 6f" // FIN continuation "lo", nothing to continue
                        + " 81 02 48 69" // FIN text "Hi": a whole message
                        + " 00 01 21")); // continuation "!" after that message ended
        ParsedFrame first = assertOnly(r, Rule.CONTINUATION_WITHOUT_START,
                "continuation frame with no fragmented message in progress (RFC 6455 §5.4)");
        assertEquals(-1, first.messageOpcode());
        assertFalse(first.isText());
        r.nextValid();
        assertOnly(r, Rule.CONTINUATION_WITHOUT_START,
                "continuation frame with no fragmented message in progress (RFC 6455 §5.4)");
        r.assertExhausted();
    }

    @Test
    void dataFrameInsideMessageIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 03 48 65 6c" // text, no FIN, "Hel"
                        + " 82 01 00" // FIN binary: a new message while "Hel" is unfinished
                        + " 02 01 01" // binary, no FIN
                        + " 01 01 41" // text, no FIN, inside the binary message
                        + " 80 01 42")); // FIN continuation "B": continues the newest message, the text one
        r.nextValid();
        ParsedFrame binary = assertOnly(r, Rule.DATA_FRAME_INSIDE_MESSAGE,
                "binary frame while a fragmented text message is unfinished (RFC 6455 §5.4)");
        assertEquals(Opcode.BINARY, binary.messageOpcode());
        r.nextValid();
        assertOnly(r, Rule.DATA_FRAME_INSIDE_MESSAGE,
                "text frame while a fragmented binary message is unfinished (RFC 6455 §5.4)");
        assertEquals(Opcode.TEXT, r.nextValid().messageOpcode());
        r.assertExhausted();
    }

    // --- RFC 6455 §8.1: text must be UTF-8

    @Test
    void invalidUtf8InOneFrameIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex("81 06 48 65 6c c3 28 6f")); // FIN text "Hel", c3 then "(" , "o"
        ParsedFrame f = assertOnly(r, Rule.INVALID_UTF8,
                "text message has an invalid UTF-8 byte at offset 4 (RFC 6455 §8.1)");
        assertEquals("48 65 6c c3 28 6f", hex(f.preview())); // shown as it is
        r.assertExhausted();
    }

    @Test
    void invalidUtf8InMaskedClientTextIsFlaggedAfterUnmasking() {
        byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, 0xc3a9c3a9, hex("41 42 ed a0 80")); // "AB", U+D800
        FrameRecorder r = parse(Direction.C2S, frame);
        assertOnly(r, Rule.INVALID_UTF8, "text message has an invalid UTF-8 byte at offset 3 (RFC 6455 §8.1)");
        r.assertExhausted();
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsIsFlagged() {
        // Each fragment alone is a valid start of UTF-8; together they are not.
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 04 48 65 6c c3" // text, no FIN: "Hel" and the lead byte of a 2-byte sequence
                        + " 80 02 6c 6f")); // FIN continuation "lo": 6c is not a continuation byte
        r.nextValid();
        assertOnly(r, Rule.INVALID_UTF8, "text message has an invalid UTF-8 byte at offset 4 (RFC 6455 §8.1)");
        r.assertExhausted();
    }

    @Test
    void invalidUtf8InMiddleFragmentIsFlaggedOnce() {
        // Modelled on Autobahn case 6.4.1: "κόσμε", then a code point above U+10FFFF, then "edited".
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 0b ce ba e1 bd b9 cf 83 ce bc ce b5" // text, no FIN, κόσμε
                        + " 00 04 f4 90 80 80" // continuation, no FIN: U+110000
                        + " 80 06 65 64 69 74 65 64")); // FIN continuation "edited"
        r.nextValid();
        assertOnly(r, Rule.INVALID_UTF8, "text message has an invalid UTF-8 byte at offset 12 (RFC 6455 §8.1)");
        r.nextValid(); // reported once per message, not again on every later fragment
        r.assertExhausted();
    }

    @Test
    void invalidUtf8TruncatedAtEndOfFinalFragmentIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 01 48" // text, no FIN, "H"
                        + " 80 03 69 e2 82" // FIN continuation "i" and two of the three bytes of €
                        + " 81 01 c3")); // FIN text: one of the two bytes of é
        r.nextValid();
        assertOnly(r, Rule.INVALID_UTF8, "text message ends inside a multi-byte UTF-8 sequence (RFC 6455 §8.1)");
        assertOnly(r, Rule.INVALID_UTF8, "text message ends inside a multi-byte UTF-8 sequence (RFC 6455 §8.1)");
        r.assertExhausted();
    }

    @Test
    void endlessFinalFragmentDoesNotEndTheTextInsideACharacter() {
        // Found by FrameParserFuzzTest: the final fragment's length has its top bit set, so its
        // payload (and the message) never ends, and the cut-off character may still be completed.
        FrameRecorder r = parse(Direction.S2C, hex(
                "01 01 ce" // text, no FIN: the first of the two bytes of κ
                        + " 80 7f 80 00 00 00 00 00 00 00")); // FIN continuation, 64-bit length 2^63
        r.nextValid();
        assertOnly(r, Rule.LENGTH_TOP_BIT_SET, "frame length 0x8000000000000000 has its top bit set (RFC 6455 §5.2)");
        r.assertExhausted();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "overlong 2-byte slash,          c0 af,          0",
            "overlong 2-byte U+007F,         c1 bf,          0",
            "overlong 3-byte slash,          e0 80 af,       1",
            "overlong 3-byte U+07FF,         e0 9f bf,       1",
            "overlong 4-byte slash,          f0 80 80 af,    1",
            "overlong 4-byte U+FFFF,         f0 8f bf bf,    1",
            "high surrogate U+D800,          ed a0 80,       1",
            "low surrogate U+DFFF,           ed bf bf,       1",
            "surrogate pair as CESU-8,       ed a0 bd ed b2 a9, 1",
            "above U+10FFFF: U+110000,       f4 90 80 80,    1",
            "above U+10FFFF: lead f5,        f5 80 80 80,    0",
            "5-byte form,                    f8 88 80 80 80, 0",
            "lone continuation byte,         41 80,          1",
            "byte fe,                        41 fe,          1",
            "byte ff,                        ff,             0",
    })
    void invalidUtf8SequenceInTextIsFlagged(String what, String payloadHex, int offset) {
        byte[] payload = hex(payloadHex);
        FrameRecorder r = parse(Direction.S2C, FrameEncoder.frame(true, Opcode.TEXT, null, payload));
        assertOnly(r, Rule.INVALID_UTF8,
                "text message has an invalid UTF-8 byte at offset " + offset + " (RFC 6455 §8.1)");
        r.assertExhausted();
    }

    @Test
    void invalidUtf8InBinaryIsNotChecked() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "02 02 c3 28" // binary, no FIN
                        + " 80 02 ff c3")); // FIN continuation
        r.nextValid();
        r.nextValid();
        r.assertExhausted();
    }

    @Test
    void invalidUtf8InPingIsNotChecked() {
        FrameRecorder r = parse(Direction.S2C, hex("89 02 ff fe")); // FIN ping, not text
        r.nextValid();
        r.assertExhausted();
    }

    // --- RFC 6455 §5.5.1 and §7.4: close frames

    @ParameterizedTest(name = "close code {0} ({2})")
    @CsvSource({
            "0,     00 00, invalid",
            "999,   03 e7, invalid",
            "1004,  03 ec, Reserved",
            "1005,  03 ed, No Status Received",
            "1006,  03 ee, Abnormal Closure",
            "1015,  03 f7, TLS Handshake",
            "1016,  03 f8, invalid",
            "2000,  07 d0, invalid",
            "2999,  0b b7, invalid",
            "5000,  13 88, invalid",
            "65535, ff ff, invalid",
    })
    void invalidCloseCodeIsFlagged(int code, String codeHex, String name) {
        FrameRecorder r = parse(Direction.S2C, concat(hex("88 02"), hex(codeHex))); // FIN close with the code
        ParsedFrame f = assertOnly(r, Rule.INVALID_CLOSE_CODE,
                "close code " + code + " (" + name + ") may not be sent (RFC 6455 §7.4)");
        assertEquals(new ClosePayload(code, ""), f.closePayload());
        r.assertExhausted();
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void validCloseCodeIsNotFlagged(int code) {
        byte[] frame = FrameEncoder.frame(true, Opcode.CLOSE, 0x01020304, new ClosePayload(code, "ok").encode());
        FrameRecorder r = parse(Direction.C2S, frame);
        assertEquals(new ClosePayload(code, "ok"), r.nextValid().closePayload());
        r.assertExhausted();
    }

    @Test
    void closePayloadOneByteIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex("88 01 03")); // FIN close, one byte
        ParsedFrame f = assertOnly(r, Rule.CLOSE_PAYLOAD_ONE_BYTE,
                "close payload of one byte cannot hold a status code (RFC 6455 §5.5.1)");
        assertEquals(ClosePayload.EMPTY, f.closePayload());
        r.assertExhausted();
    }

    @Test
    void emptyClosePayloadIsValid() {
        FrameRecorder r = parse(Direction.S2C, hex("88 00")); // FIN close, no code
        ParsedFrame f = r.nextValid();
        assertFalse(f.closePayload().hasCode());
        r.assertExhausted();
    }

    @Test
    void invalidUtf8CloseReasonIsFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex(
                "88 04 03 e8 c3 28")); // FIN close 1000, reason c3 28
        assertOnly(r, Rule.INVALID_UTF8, "close reason is not valid UTF-8 (RFC 6455 §8.1)");
        r.assertExhausted();
        r = parse(Direction.S2C, hex("88 03 03 e8 c3")); // FIN close 1000, reason ends inside é
        assertOnly(r, Rule.INVALID_UTF8, "close reason is not valid UTF-8 (RFC 6455 §8.1)");
        r.assertExhausted();
    }

    @Test
    void invalidCloseCodeAndReasonAreBothFlagged() {
        FrameRecorder r = parse(Direction.S2C, hex("88 03 03 ed ff")); // FIN close 1005, reason ff
        assertEquals(List.of(Rule.INVALID_CLOSE_CODE, Rule.INVALID_UTF8), r.nextRules());
        r.assertExhausted();
    }

    @Test
    void closeReasonCutShortByThePreviewIsNotFlagged() {
        // A 127-byte close (too long) shown with the 125 bytes kept for control frames: the preview
        // ends after the first byte of é. The reason is valid, only the preview is short.
        byte[] payload = concat(hex("03 e8"), hex("61".repeat(122)), hex("c3 a9 62")); // 1000, 122 "a", "é", "b"
        byte[] frame = concat(hex("88 7e 00 7f"), payload); // FIN close, 16-bit length 127
        FrameRecorder r = new FrameRecorder();
        new FrameParser(Direction.S2C, 0, r).feed(frame, 0, frame.length);
        ParsedFrame f = assertOnly(r, Rule.CONTROL_FRAME_TOO_LONG, "close of 127 bytes exceeds 125 (RFC 6455 §5.5)");
        assertEquals(125, f.preview().length);
        assertTrue(f.isTruncated());
        r.assertExhausted();
    }

    @Test
    void invalidCloseReasonInTheKeptPartIsFlaggedEvenWhenCutShort() {
        byte[] payload = concat(hex("03 e8 ff"), hex("61".repeat(124))); // 1000, ff, 124 "a"
        byte[] frame = concat(hex("88 7e 00 7f"), payload); // FIN close, 16-bit length 127
        FrameRecorder r = new FrameRecorder();
        new FrameParser(Direction.S2C, 0, r).feed(frame, 0, frame.length);
        assertEquals(List.of(Rule.CONTROL_FRAME_TOO_LONG, Rule.INVALID_UTF8), r.nextRules());
        r.assertExhausted();
    }

    @Test
    void frameAfterCloseIsFlagged() {
        // RFC 6455 §5.5.1 forbids data frames after a side's close; control frames are not forbidden.
        FrameRecorder r = parse(Direction.S2C, hex(
                "88 02 03 e8" // FIN close 1000
                        + " 89 00" // FIN ping, empty
                        + " 88 00" // FIN close, again
                        + " 82 01 00")); // FIN binary, one byte
        assertEquals(new ClosePayload(1000, ""), r.nextValid().closePayload());
        r.nextValid();
        r.nextValid();
        assertOnly(r, Rule.FRAME_AFTER_CLOSE, "binary frame after the server's close frame (RFC 6455 §5.5.1)");
        r.assertExhausted();

        r = parse(Direction.C2S, concat(
                FrameEncoder.frame(true, Opcode.CLOSE, 0x0badf00d, hex("03 e9")), // close 1001
                FrameEncoder.frame(true, Opcode.TEXT, 0x0badf00d, hex("68 69")))); // text "hi"
        r.nextValid();
        assertOnly(r, Rule.FRAME_AFTER_CLOSE, "text frame after the client's close frame (RFC 6455 §5.5.1)");
        r.assertExhausted();
    }

    // --- Rules found together, in the order they were checked

    @Test
    void everyBrokenRuleOfOneFrameIsListedInOrder() {
        FrameRecorder r = parse(Direction.C2S, hex(
                "88 00" // FIN close, unmasked
                        + " 7c 7e 00 03 01 02 03")); // RSV1+RSV2+RSV3, no FIN, opcode 0xc, 16-bit length 3, unmasked
        assertEquals(List.of(Rule.CLIENT_FRAME_UNMASKED), r.nextRules());
        assertEquals(List.of(Rule.CLIENT_FRAME_UNMASKED, Rule.NON_MINIMAL_LENGTH,
                Rule.RESERVED_OPCODE, Rule.RSV_WITHOUT_EXTENSION, Rule.CONTROL_FRAME_FRAGMENTED), r.nextRules());
        r.assertExhausted();
    }

    @Test
    void violationReadsAsSentenceWithRuleAndSection() {
        Violation v = new Violation(Rule.CONTROL_FRAME_TOO_LONG, "ping of 126 bytes exceeds 125");
        assertEquals("ping of 126 bytes exceeds 125 (RFC 6455 §5.5)", v.message());
        assertEquals("control-frame-too-long: ping of 126 bytes exceeds 125 (RFC 6455 §5.5)", v.toString());
    }

    static Stream<Arguments> ruleIds() {
        return Stream.of(
                Arguments.of(Rule.CONTROL_FRAME_TOO_LONG, "control-frame-too-long", "RFC 6455 §5.5"),
                Arguments.of(Rule.CONTROL_FRAME_FRAGMENTED, "control-frame-fragmented", "RFC 6455 §5.5"),
                Arguments.of(Rule.RESERVED_OPCODE, "reserved-opcode", "RFC 6455 §5.2"),
                Arguments.of(Rule.RSV_WITHOUT_EXTENSION, "rsv-without-extension", "RFC 6455 §5.2"),
                Arguments.of(Rule.CLIENT_FRAME_UNMASKED, "client-frame-unmasked", "RFC 6455 §5.1"),
                Arguments.of(Rule.SERVER_FRAME_MASKED, "server-frame-masked", "RFC 6455 §5.1"),
                Arguments.of(Rule.NON_MINIMAL_LENGTH, "non-minimal-length", "RFC 6455 §5.2"),
                Arguments.of(Rule.LENGTH_TOP_BIT_SET, "length-top-bit-set", "RFC 6455 §5.2"),
                Arguments.of(Rule.CONTINUATION_WITHOUT_START, "continuation-without-start", "RFC 6455 §5.4"),
                Arguments.of(Rule.DATA_FRAME_INSIDE_MESSAGE, "data-frame-inside-message", "RFC 6455 §5.4"),
                Arguments.of(Rule.INVALID_UTF8, "invalid-utf8", "RFC 6455 §8.1"),
                Arguments.of(Rule.INVALID_CLOSE_CODE, "invalid-close-code", "RFC 6455 §7.4"),
                Arguments.of(Rule.CLOSE_PAYLOAD_ONE_BYTE, "close-payload-one-byte", "RFC 6455 §5.5.1"),
                Arguments.of(Rule.FRAME_AFTER_CLOSE, "frame-after-close", "RFC 6455 §5.5.1"),
                Arguments.of(Rule.INFLATE_FAILED, "inflate-failed", "RFC 7692 §7.2.2"));
    }

    /** The ids are written into the log ({@code violations}), so they are part of its schema. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("ruleIds")
    void ruleIdIsStable(Rule rule, String id, String section) {
        assertEquals(id, rule.id());
        assertEquals(section, rule.section());
    }

    @Test
    void everyRuleIdIsListed() {
        assertEquals(Rule.values().length, ruleIds().count());
    }
}
