package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Which sinks get which events. */
class TapTest {
    private static final ParsedFrame HI = new ParsedFrame(new FrameHeader(true, 0, Opcode.TEXT, false, 0, 2, LengthEncoding.BITS_7),
            "hi".getBytes(StandardCharsets.UTF_8), Opcode.TEXT, false, List.of());

    @Test
    void eachSinkGetsWhatItWantsAndNothingElse() {
        // --quiet --log: the quiet console wants sessions only; the log no message that its frame record stands for.
        List<String> console = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> har = new CopyOnWriteArrayList<>();
        Tap tap = new Tap();
        tap.attach("console", e -> console.add(name(e)), true, 16, Interest.SESSIONS_ONLY);
        tap.attach("log", e -> log.add(name(e)), false, 16, JsonlLog.INTERESTS);
        tap.attach("har", e -> har.add(name(e)), false, 16, Set.of(Interest.MESSAGES));
        FrameSeen frame = new FrameSeen(Instant.now(), 1, Direction.S2C, HI, false);
        tap.emit(frame);
        tap.emit(MessageSeen.ofFrame(frame));
        tap.emit(new MessageSeen(Instant.now(), 1, Direction.S2C, Opcode.TEXT, 2, 4, 4, false, new byte[0], List.of(), false));
        tap.emit(new HttpSeen(Instant.now(), 1, "127.0.0.1:1", "GET", "/", false, 200, "OK", null));
        tap.close();
        assertEquals(List.of("HttpSeen"), console);
        assertEquals(List.of("FrameSeen", "MessageSeen of 2", "HttpSeen"), log);
        assertEquals(List.of("MessageSeen of 1", "MessageSeen of 2"), har);
    }

    private static String name(TapEvent e) {
        return e.getClass().getSimpleName() + (e instanceof MessageSeen m ? " of " + m.fragments() : "");
    }

    @Test
    void trafficIsObservedWhenSomeSinkWantsFramesOrMessages() {
        Tap quiet = new Tap();
        quiet.attach("console", e -> { }, true, 16, Interest.SESSIONS_ONLY);
        assertFalse(quiet.isObserved(), "pumps need build no frame events");
        quiet.close();
        for (Interest traffic : List.of(Interest.FRAMES, Interest.MESSAGES, Interest.MESSAGES_UNLIKE_FRAMES)) {
            Tap tap = new Tap();
            tap.attach("sink", e -> { }, false, 16, Set.of(traffic));
            assertTrue(tap.isObserved(), traffic.name());
            tap.close();
        }
    }

    @Test
    void aRedactingTapGivesEverySinkTheRedactedEventAndTrafficUntouched() {
        List<TapEvent> console = new CopyOnWriteArrayList<>();
        List<TapEvent> log = new CopyOnWriteArrayList<>();
        Tap tap = new Tap(true);
        tap.attach("console", console::add, true, 16, Interest.EVERYTHING);
        tap.attach("log", log::add, false, 16, Interest.EVERYTHING);
        MessageSeen message = new MessageSeen(Instant.now(), 1, Direction.S2C, Opcode.TEXT, 2, 4, 4, false,
                "token=abc".getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of(), false);
        tap.emit(new HttpSeen(Instant.now(), 1, "127.0.0.1:1", "GET", "/?token=abc", false, 200, "OK", null));
        tap.emit(message);
        tap.close();
        for (List<TapEvent> sink : List.of(console, log)) {
            assertEquals("/?token=***", ((HttpSeen) sink.get(0)).url());
            assertSame(message, sink.get(1), "payloads are not redacted");
        }
        assertEquals("ws://h/?token=***", tap.shown("ws://h/?token=abc"));
        assertEquals("ws://h/?token=abc", new Tap().shown("ws://h/?token=abc"));
    }
}
