package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Which sinks get which events. */
class TapTest {
    @Test
    void aSinkThatWantsNoFramesGetsNoMessagesEither() {
        // --quiet --log: the log wants traffic, the quiet console only sessions.
        List<String> console = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        Tap tap = new Tap();
        tap.attach("console", e -> console.add(e.getClass().getSimpleName()), true, 16, false);
        tap.attach("log", e -> log.add(e.getClass().getSimpleName()), false, 16, true);
        tap.emit(new MessageSeen(Instant.now(), 1, Direction.S2C, Opcode.TEXT, 2, 4, 4, false, new byte[0], List.of(), false));
        tap.emit(new HttpSeen(Instant.now(), 1, "127.0.0.1:1", "GET", "/", false, 200, "OK", null));
        tap.close();
        assertEquals(List.of("HttpSeen"), console);
        assertEquals(List.of("MessageSeen", "HttpSeen"), log);
    }

    @Test
    void aRedactingTapGivesEverySinkTheRedactedEventAndTrafficUntouched() {
        List<TapEvent> console = new CopyOnWriteArrayList<>();
        List<TapEvent> log = new CopyOnWriteArrayList<>();
        Tap tap = new Tap(true);
        tap.attach("console", console::add, true, 16, true);
        tap.attach("log", log::add, false, 16, true);
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
