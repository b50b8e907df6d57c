package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.testing.Json;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A HAR's messages are the session's message events, timed as a log read back times them. */
class HarLogTest {
    private static final Instant T = Instant.parse("2026-11-24T01:02:03.000001Z");

    private static List<ParsedFrame> frames(String hex) {
        List<ParsedFrame> out = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(Direction.S2C, 100, out::add).feed(bytes, 0, bytes.length);
        return out;
    }

    @Test
    void theMessagesAreTheMessageEventsAndAMessageThatIsItsFrameHasTheFramesTime() throws Exception {
        List<ParsedFrame> f = frames("81 02 68 69" // FIN text "hi"
                + " 83 00"                             // FIN reserved-0x3: no message
                + " 01 01 61 80 01 62");               // "a", then a final continuation "b"
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HarLog har = new HarLog(out, "test");
        har.accept(new Opened(T, 1, "127.0.0.1:5000", "ws://127.0.0.1:9/", new HttpRequest("GET", "/", "HTTP/1.1", new Headers(List.of())),
                new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(List.of())), null, null));
        FrameSeen hi = new FrameSeen(T.plusMillis(1), 1, Direction.S2C, f.get(0), false);
        har.accept(hi);
        MessageSeen hiMessage = MessageSeen.ofFrame(hi);
        // Live, the message event is made a moment after its frame's; the log keeps only the frame's time.
        har.accept(new MessageSeen(hi.time().plusNanos(1500), 1, Direction.S2C, Opcode.TEXT, 1, 2, 2, false,
                hiMessage.preview(), List.of(), false));
        har.accept(new FrameSeen(T.plusMillis(2), 1, Direction.S2C, f.get(1), false));
        har.accept(new FrameSeen(T.plusMillis(3), 1, Direction.S2C, f.get(2), false));
        har.accept(new FrameSeen(T.plusMillis(4), 1, Direction.S2C, f.get(3), false));
        har.accept(new MessageSeen(T.plusMillis(5), 1, Direction.S2C, Opcode.TEXT, 2, 2, 2, false,
                "ab".getBytes(StandardCharsets.UTF_8), List.of(), false));
        har.accept(new Closed(T.plusMillis(6), 1, "client", 1000, "", true, null, Duration.ofMillis(6), new Traffic(0, 0, 0),
                new Traffic(4, 2, 14), null, RoundTrips.NONE));
        har.close();

        List<String> messages = messages(out.toString(StandardCharsets.UTF_8)).stream()
                .map(m -> m.get("type") + " " + m.get("time") + " " + m.get("data")).toList();
        assertEquals(List.of("receive " + seconds(T.plusMillis(1)) + " hi", "receive " + seconds(T.plusMillis(5)) + " ab"), messages,
                "no reserved-opcode frame; the single frame's message at its frame's time");
    }

    /** A time as a HAR writes it: seconds since the epoch, to the microsecond. */
    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1000 / 1e6;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(String har) {
        Map<String, Object> log = (Map<String, Object>) Json.object(har).get("log");
        Map<String, Object> entry = ((List<Map<String, Object>>) log.get("entries")).get(0);
        return (List<Map<String, Object>>) entry.get("_webSocketMessages");
    }
}
