package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log read back gives the events the live sinks got, the messages that have no record of their own included. */
class LogReaderTest {
    private static final Instant T = Instant.parse("2026-11-24T01:02:03.456789Z");

    /** The frames {@code hex} holds, one direction's bytes. */
    private static List<ParsedFrame> frames(Direction dir, String hex) {
        List<ParsedFrame> out = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(dir, 100, out::add).feed(bytes, 0, bytes.length);
        return out;
    }

    /** What a test compares of an event: its kind, time, and what makes a message a message. */
    private static String summary(TapEvent e) {
        return switch (e) {
            case FrameSeen f -> "frame " + f.time() + " " + Opcode.name(f.frame().header().opcode())
                    + (f.isDropped() ? " dropped" : "");
            case MessageSeen m -> "message " + m.time() + " " + m.fragments() + " " + m.text() + " " + m.violations()
                    + (m.isSameAsFrame() ? " same as its frame" : "");
            default -> e.getClass().getSimpleName();
        };
    }

    @Test
    void aMessageThatIsItsFrameComesBackRightAfterItsFrame() throws Exception {
        List<ParsedFrame> f = frames(Direction.S2C, "81 02 68 69" // FIN text "hi": a message that is its frame
                + " 01 01 61 80 01 62"                 // "a", then a final continuation "b": a message of two
                + " 83 00"                             // FIN reserved-0x3: no message
                + " 81 01 7a");                        // FIN text "z", not forwarded: no message
        List<TapEvent> live = new ArrayList<>();
        FrameSeen hi = new FrameSeen(T, 1, Direction.S2C, f.get(0), false);
        live.add(hi);
        live.add(MessageSeen.ofFrame(hi));
        live.add(new FrameSeen(T.plusMillis(1), 1, Direction.S2C, f.get(1), false));
        live.add(new FrameSeen(T.plusMillis(2), 1, Direction.S2C, f.get(2), false));
        live.add(new MessageSeen(T.plusMillis(2), 1, Direction.S2C, Opcode.TEXT, 2, 2, 2, false,
                "ab".getBytes(StandardCharsets.UTF_8), List.of(), false));
        live.add(new FrameSeen(T.plusMillis(3), 1, Direction.S2C, f.get(3), false));
        live.add(new FrameSeen(T.plusMillis(4), 1, Direction.S2C, f.get(4), Fate.AFTER_CLOSE, null, null));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        live.forEach(log::accept);
        log.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(6, lines.size(), "five frame records and one message record: " + lines);

        LogReader reader = new LogReader();
        List<TapEvent> readBack = new ArrayList<>();
        for (String line : lines) readBack.addAll(reader.parse(line));
        assertEquals(live.stream().map(LogReaderTest::summary).toList(), readBack.stream().map(LogReaderTest::summary).toList());
    }

    @Test
    void aFlaggedFrameMakesAFlaggedMessage() throws Exception {
        // A client's text frame without a mask (RFC 6455 §5.1): still a message, flagged as its frame is.
        ParsedFrame unmasked = frames(Direction.C2S, "81 02 68 69").get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        log.accept(new FrameSeen(T, 1, Direction.C2S, unmasked, false));
        log.close();
        List<TapEvent> events = new LogReader().parse(out.toString(StandardCharsets.UTF_8).strip());
        MessageSeen m = (MessageSeen) events.get(1);
        assertEquals(List.of(Violation.Rule.CLIENT_FRAME_UNMASKED), m.violations().stream().map(Violation::rule).toList());
    }

    @Test
    void theContinuationsOfACompressedMessageReadBackCompressed() throws Exception {
        // A real log (Node's ws both ends, permessage-deflate): a message in three frames, RSV1 on the
        // first only (RFC 7692 §6.1). Live, the parser calls all three compressed; read back, too.
        LogReader reader = new LogReader();
        List<FrameSeen> fragmented = new ArrayList<>();
        try (var in = LogReaderTest.class.getResourceAsStream("/dev/wstap/filter/corpus.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                for (TapEvent e : reader.parse(line)) {
                    if (e instanceof FrameSeen f && f.conn() == 1 && (f.frame().header().opcode() == Opcode.CONTINUATION
                            || !f.frame().header().isFinal())) {
                        fragmented.add(f);
                    }
                }
            }
        }
        assertEquals(List.of("text rsv=4 compressed", "cont rsv=0 compressed", "cont rsv=0 compressed"), fragmented.stream()
                .map(f -> Opcode.name(f.frame().header().opcode()) + " rsv=" + f.frame().header().rsv()
                        + (f.frame().isCompressed() ? " compressed" : " plain")).toList());
    }

    @Test
    void aLengthWrittenLongerThanNeededReadsBackInTheFormItWasWrittenIn() throws Exception {
        // "hi" with a 16-bit length, "ok" with a 64-bit one, "yo" in the 7-bit form: only the first two say len_enc.
        List<ParsedFrame> f = frames(Direction.S2C, "81 7e 0002 6869  81 7f 0000000000000002 6f6b  81 02 796f");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        for (ParsedFrame frame : f) log.accept(new FrameSeen(T, 1, Direction.S2C, frame, false));
        log.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(true, true, false), lines.stream().map(l -> l.contains("\"len_enc\"")).toList(), String.join("\n", lines));
        LogReader reader = new LogReader();
        List<LengthEncoding> read = new ArrayList<>();
        for (String line : lines) read.add(((FrameSeen) reader.parse(line).get(0)).frame().header().lengthEncoding());
        assertEquals(List.of(LengthEncoding.BITS_16, LengthEncoding.BITS_64, LengthEncoding.BITS_7), read);
    }
}
