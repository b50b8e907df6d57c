package dev.wstap.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.Header;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter over streams of events that no corpus has: fates, how sessions end, sessions known before the filter was set. */
class EventFilterTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static ParsedFrame frame(Direction dir, String hex) {
        List<ParsedFrame> out = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(dir, 100, out::add).feed(bytes, 0, bytes.length);
        return out.get(0);
    }

    private static FrameSeen text(int conn, Fate fate) {
        return new FrameSeen(T, conn, Direction.S2C, frame(Direction.S2C, "81 02 68 69"), fate, null, null);
    }

    private static Opened opened(int conn, String url, String subprotocol, String client) {
        List<Header> headers = subprotocol == null ? List.of() : List.of(new Header("Sec-WebSocket-Protocol", subprotocol));
        return new Opened(T, conn, client, url, new HttpRequest("GET", "/", "HTTP/1.1", new Headers(List.of())),
                new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(headers)), null, null);
    }

    private static Closed closed(int conn, int code, boolean isClean) {
        Traffic none = new Traffic(0, 0, 0, 0);
        return new Closed(T, conn, "client", code, "", isClean, null, Duration.ZERO, none, none, null, null);
    }

    @Test
    void everyFateHasItsWord() {
        for (Fate f : Fate.values()) {
            assertTrue(EventFilter.of(f.label()).test(text(1, f)), f.label());
            assertFalse(EventFilter.of(f.label()).test(text(1, f == Fate.FORWARDED ? Fate.DROPPED : Fate.FORWARDED)), f.label());
        }
        assertTrue(EventFilter.of("fate:dropped,replaced").test(text(1, Fate.REPLACED)));
        assertFalse(EventFilter.of("fate:dropped,replaced").test(text(1, Fate.EDITED)));
    }

    @Test
    void aSessionEndsWithTheCodeOfItsFirstCloseOr1005Or1006() {
        assertTrue(EventFilter.of("close:1000").test(closed(1, 1000, true)));
        assertTrue(EventFilter.of("close:1005").test(closed(1, -1, true)), "a close without a code: 1005");
        assertTrue(EventFilter.of("close:1006").test(closed(1, -1, false)), "no close frame at all: 1006");
        assertFalse(EventFilter.of("close:1006").test(closed(1, 1000, false)));
        FrameSeen codeless = new FrameSeen(T, 1, Direction.C2S, frame(Direction.C2S, "88 80 00 00 00 00"), false);
        assertTrue(EventFilter.of("close:1005").test(codeless), "a close frame without a code");
        assertTrue(EventFilter.of("op:close len:0").test(codeless));
    }

    @Test
    void sessionTermsApplyToEveryRecordOfTheSessionAndAreForgottenWhenItCloses() {
        EventFilter f = EventFilter.of("url~/chat/ sub:chat.v2 client:10.0.0.* host:*.example.com");
        Opened chat = opened(1, "ws://api.example.com/chat", "chat.v2", "10.0.0.7:51000");
        Opened other = opened(2, "ws://api.example.com/feed", "chat.v2", "10.0.0.7:51001");
        assertTrue(f.test(chat));
        assertFalse(f.test(other));
        assertTrue(f.test(text(1, Fate.FORWARDED)), "a frame of the session");
        assertFalse(f.test(text(2, Fate.FORWARDED)));
        assertTrue(f.test(closed(1, 1000, true)), "its close record");
        assertFalse(f.test(text(1, Fate.FORWARDED)), "after its close record the session is forgotten");

        EventFilter setLater = EventFilter.of("url~/chat/");
        assertFalse(setLater.test(text(1, Fate.FORWARDED)), "a filter set mid-session does not know it...");
        assertTrue(setLater.knowing(List.of(chat)).test(text(1, Fate.FORWARDED)), "...unless told the sessions open now");

        assertTrue(EventFilter.of("client:10.0.0.7:51000").test(chat), "with a port: that port only");
        assertFalse(EventFilter.of("client:10.0.0.7:51001").test(chat));
        assertTrue(EventFilter.of("client:::1").test(opened(3, "ws://h/", null, "[::1]:5000")), "IPv6 without its port");
        assertTrue(EventFilter.of("host:::1").test(opened(3, "ws://[::1]:9/", null, "[::1]:5000")));
        assertFalse(EventFilter.of("sub:chat.v2").test(opened(3, "ws://h/", null, "1.2.3.4:5")), "no subprotocol agreed");
    }

    @Test
    void anHttpRecordHasAUrlAClientAndMaybeAnErrorButNoFrameFields() {
        HttpSeen refused = new HttpSeen(T, 4, "127.0.0.1:5000", "GET", "http://127.0.0.1:9/health", false, 502, "Bad Gateway", "refused");
        assertTrue(EventFilter.of("http url~/health/ client:127.0.0.1 viol").test(refused));
        assertFalse(EventFilter.of("viol:5.5").test(refused), "wstap's own error answers are violations of no RFC 6455 rule");
        assertFalse(EventFilter.of("dir:c2s").test(refused));
        assertTrue(EventFilter.of("-op:text").test(refused));
    }

    @Test
    void jsonOfAPayloadCutByThePreviewMatchesNothing() {
        // {"type":"x"} with the preview cut after 8 bytes: the JSON does not end.
        List<ParsedFrame> out = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex("810c" + HexFormat.of().formatHex("{\"type\":\"x\"}".getBytes()));
        new FrameParser(Direction.S2C, 8, out::add).feed(bytes, 0, bytes.length);
        FrameSeen f = new FrameSeen(T, 1, Direction.S2C, out.get(0), false);
        assertFalse(EventFilter.of("json:/type").test(f));
        assertTrue(EventFilter.of("body:\"{\\\"type\"").test(f), "the bytes kept are still searched");
    }

    @Test
    void headerTermsAllocateNothing() {
        EventFilter f = EventFilter.of("dir:s2c op:text,binary fin:1 -masked len:<=125 sess:1..9 forwarded -viol -rsv1 frame close:1000");
        TapEvent e = text(1, Fate.FORWARDED);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) f.test(e); // compiled before it is measured
        long before = threads.getCurrentThreadAllocatedBytes();
        int shown = 0;
        for (int i = 0; i < 100_000; i++) shown += f.test(e) ? 1 : 0;
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, shown, "close:1000 is false for a text frame, last of all");
        assertTrue(allocated < 100_000, allocated + " bytes for 100,000 tests");
    }
}
