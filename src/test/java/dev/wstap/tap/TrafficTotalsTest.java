package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The shell's stats: a message is counted once, by its message event, and a frame of no message never. */
class TrafficTotalsTest {
    /** Hands a server's frames to {@code sink} as the tap would, each frame that is a message followed by its message. */
    private static void feed(TapSink sink, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(Direction.S2C, 100, f -> {
            FrameSeen seen = new FrameSeen(Instant.now(), 1, Direction.S2C, f, false);
            sink.accept(seen);
            if (f.isWholeMessage()) sink.accept(MessageSeen.ofFrame(seen));
        }).feed(bytes, 0, bytes.length);
    }

    @Test
    void messagesAreTheMessageEventsNotTheFinalFrames() {
        TrafficTotals totals = new TrafficTotals();
        feed(totals, "81 02 68 69" // FIN text "hi": one message
                + " 83 00"         // FIN reserved-0x3: none
                + " 80 00"         // FIN continuation of nothing: none
                + " 89 00");       // ping: none
        TrafficTotals.Counts s2c = totals.snapshot().s2c();
        assertEquals(4, s2c.frames());
        assertEquals(1, s2c.messages());
        assertEquals(2, s2c.flagged(), "the reserved opcode and the continuation of nothing");
    }
}
