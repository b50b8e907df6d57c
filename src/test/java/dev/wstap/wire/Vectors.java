package dev.wstap.wire;

import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The byte vectors the parser tests share. Masked frames are client frames ({@link Direction#C2S}),
 * unmasked ones server frames ({@link Direction#S2C}), as RFC 6455 §5.1 requires.
 */
final class Vectors {
    private Vectors() {}

    /** A byte stream, the direction it travels and the RSV bits a negotiated extension allows. */
    record Vector(String name, Direction direction, int allowedRsv, byte[] bytes) {
        Vector(String name, Direction direction, byte[] bytes) {
            this(name, direction, 0, bytes);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // RFC 6455 §5.7, verbatim.
    static final byte[] RFC_UNMASKED_TEXT_HELLO = hex("81 05 48 65 6c 6c 6f"); // FIN text "Hello"
    static final byte[] RFC_MASKED_TEXT_HELLO = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"); // FIN text, key 37fa213d, "Hello"
    static final byte[] RFC_FRAGMENT_HEL = hex("01 03 48 65 6c"); // text, no FIN, "Hel"
    static final byte[] RFC_FRAGMENT_LO = hex("80 02 6c 6f"); // FIN continuation "lo"
    static final byte[] RFC_UNMASKED_PING_HELLO = hex("89 05 48 65 6c 6c 6f"); // FIN ping "Hello"
    static final byte[] RFC_MASKED_PONG_HELLO = hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"); // FIN pong, key 37fa213d, "Hello"
    static final byte[] RFC_BINARY_256 = concat(hex("82 7e 01 00"), counting(256)); // FIN binary, 16-bit length 256
    static final byte[] RFC_BINARY_64K = concat(hex("82 7f 00 00 00 00 00 01 00 00"), counting(65536)); // FIN binary, 64-bit length 65536

    /** One example of each rule: the frame in it that breaks the rule breaks only that one. */
    static final Map<Violation.Rule, Vector> RULE_EXAMPLES = ruleExamples();

    private static Map<Violation.Rule, Vector> ruleExamples() {
        Map<Violation.Rule, Vector> m = new EnumMap<>(Violation.Rule.class);
        m.put(Violation.Rule.CONTROL_FRAME_TOO_LONG, new Vector("ping of 126 bytes", Direction.S2C,
                concat(hex("89 7e 00 7e"), counting(126)))); // FIN ping, 16-bit length 126
        m.put(Violation.Rule.CONTROL_FRAME_FRAGMENTED, new Vector("ping without FIN", Direction.S2C,
                hex("09 00"))); // ping, no FIN, empty
        m.put(Violation.Rule.RESERVED_OPCODE, new Vector("opcode 3", Direction.S2C,
                hex("83 00"))); // FIN opcode 0x3, empty
        m.put(Violation.Rule.RSV_WITHOUT_EXTENSION, new Vector("RSV1 text without extension", Direction.S2C,
                hex("c1 05 48 65 6c 6c 6f"))); // FIN RSV1 text "Hello"
        m.put(Violation.Rule.CLIENT_FRAME_UNMASKED, new Vector("unmasked client text", Direction.C2S,
                hex("81 05 48 65 6c 6c 6f"))); // FIN text "Hello", no mask
        m.put(Violation.Rule.SERVER_FRAME_MASKED, new Vector("masked server text", Direction.S2C,
                hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))); // FIN text, key 37fa213d, "Hello"
        m.put(Violation.Rule.NON_MINIMAL_LENGTH, new Vector("length 5 in 16-bit form", Direction.S2C,
                hex("82 7e 00 05 01 02 03 04 05"))); // FIN binary, 16-bit length 5
        m.put(Violation.Rule.LENGTH_TOP_BIT_SET, new Vector("length with top bit", Direction.S2C,
                hex("82 7f 80 00 00 00 00 00 00 00 01 02 03"))); // FIN binary, 64-bit length 2^63, then bytes of it
        m.put(Violation.Rule.CONTINUATION_WITHOUT_START, new Vector("continuation without start", Direction.S2C,
                hex("80 02 6c 6f"))); // FIN continuation "lo"
        m.put(Violation.Rule.DATA_FRAME_INSIDE_MESSAGE, new Vector("text inside text", Direction.S2C,
                hex("01 03 48 65 6c" // text, no FIN, "Hel"
                        + " 81 02 6c 6f"))); // FIN text "lo": a new message while "Hel" is unfinished
        m.put(Violation.Rule.INVALID_UTF8, new Vector("invalid UTF-8 text", Direction.S2C,
                hex("81 02 c3 28"))); // FIN text: c3 needs a continuation byte, 28 is "("
        m.put(Violation.Rule.INVALID_CLOSE_CODE, new Vector("close 1005", Direction.S2C,
                hex("88 02 03 ed"))); // FIN close, code 1005
        m.put(Violation.Rule.CLOSE_PAYLOAD_ONE_BYTE, new Vector("close of one byte", Direction.S2C,
                hex("88 01 03"))); // FIN close, one byte
        m.put(Violation.Rule.FRAME_AFTER_CLOSE, new Vector("text after close", Direction.S2C,
                hex("88 02 03 e8" // FIN close 1000
                        + " 81 00"))); // FIN text, empty
        return Collections.unmodifiableMap(m);
    }

    /** Conforming and malformed streams, single and multi-frame, for the split-anywhere test. */
    static List<Vector> all() {
        List<Vector> v = new ArrayList<>();
        v.add(new Vector("RFC unmasked text Hello", Direction.S2C, RFC_UNMASKED_TEXT_HELLO));
        v.add(new Vector("RFC masked text Hello", Direction.C2S, RFC_MASKED_TEXT_HELLO));
        v.add(new Vector("RFC fragmented Hel + lo", Direction.S2C, concat(RFC_FRAGMENT_HEL, RFC_FRAGMENT_LO)));
        v.add(new Vector("RFC unmasked ping", Direction.S2C, RFC_UNMASKED_PING_HELLO));
        v.add(new Vector("RFC masked pong", Direction.C2S, RFC_MASKED_PONG_HELLO));
        v.add(new Vector("RFC binary 256", Direction.S2C, RFC_BINARY_256));
        v.add(new Vector("RFC binary 64 KiB", Direction.S2C, RFC_BINARY_64K));
        v.add(new Vector("empty frames", Direction.S2C, hex(
                "82 00" // FIN binary, empty
                        + " 81 00" // FIN text, empty
                        + " 89 00" // FIN ping, empty
                        + " 88 00"))); // FIN close, empty
        v.add(new Vector("masked empty frames", Direction.C2S, hex(
                "82 80 01 02 03 04" // FIN binary, key 01020304, empty
                        + " 8a 80 a1 b2 c3 d4"))); // FIN pong, key a1b2c3d4, empty
        v.add(new Vector("masked binary 300 with 16-bit length", Direction.C2S,
                FrameEncoder.frame(true, Opcode.BINARY, 0x1b2c3d4e, counting(300))));
        v.add(new Vector("masked fragments with ping between", Direction.C2S, concat(
                FrameEncoder.frame(false, Opcode.TEXT, 0x11223344, hex("48 c3")), // "H" and the first byte of é
                FrameEncoder.frame(true, Opcode.PING, 0x55667788, hex("70")), // ping "p"
                FrameEncoder.frame(false, Opcode.CONTINUATION, 0x99aabbcc, hex("a9 f0 9f")), // rest of é, half of 😀
                FrameEncoder.frame(true, Opcode.CONTINUATION, 0xddeeff00, hex("98 80 21")), // rest of 😀, "!"
                FrameEncoder.frame(true, Opcode.CLOSE, 0x01020304, hex("03 e8 62 79 65"))))); // close 1000 "bye"
        v.add(new Vector("text split inside é", Direction.S2C, hex(
                "01 01 c3" // text, no FIN: first byte of é
                        + " 80 01 a9"))); // FIN continuation: second byte of é
        v.add(new Vector("compressed text with RSV1 allowed", Direction.S2C, 4, hex(
                "c1 07 f2 48 cd c9 c9 07 00"))); // RFC 7692 §7.2.3.1: "Hello" compressed, FIN RSV1 text
        v.add(new Vector("invalid UTF-8 across fragments", Direction.S2C, hex(
                "01 04 48 65 6c c3" // text, no FIN: "Hel" and a lead byte
                        + " 80 02 6c 6f"))); // FIN continuation "lo": not a continuation byte
        v.add(new Vector("truncated UTF-8 in final fragment", Direction.S2C, hex(
                "01 01 48" // text, no FIN, "H"
                        + " 80 03 69 e2 82"))); // FIN continuation "i" and two of the three bytes of €
        v.add(new Vector("close with reason", Direction.S2C, hex("88 05 03 e8 62 79 65"))); // FIN close 1000 "bye"
        v.add(new Vector("close with invalid reason", Direction.S2C, hex("88 04 03 e8 c3 28"))); // FIN close 1000, bad UTF-8
        v.add(new Vector("length 126 in 64-bit form", Direction.S2C,
                concat(hex("82 7f 00 00 00 00 00 00 00 7e"), counting(126)))); // FIN binary, 64-bit length 126
        for (Map.Entry<Violation.Rule, Vector> e : RULE_EXAMPLES.entrySet()) {
            v.add(new Vector(e.getKey().id() + ": " + e.getValue().name(), e.getValue().direction(),
                    e.getValue().allowedRsv(), e.getValue().bytes()));
        }
        return v;
    }
}
