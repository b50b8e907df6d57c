package dev.wstap.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.Gap;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** What the console shows for each kind of event, line for line (colours aside). */
class ConsoleViewTest {
    private static final Instant T = Instant.parse("2026-11-24T01:02:03.456789Z");

    private static ParsedFrame parse(Direction dir, int maxPreview, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        List<ParsedFrame> frames = new ArrayList<>();
        new FrameParser(dir, maxPreview, frames::add).feed(bytes, 0, bytes.length);
        assertEquals(1, frames.size());
        return frames.get(0);
    }

    private static String show(ViewMode mode, Direction dir, String hex) {
        return show(mode, dir, 65536, hex);
    }

    private static String show(ViewMode mode, Direction dir, int maxPreview, String hex) {
        FrameSeen e = new FrameSeen(T, 7, dir, parse(dir, maxPreview, hex), false);
        return text(new ConsoleView(mode, ZoneOffset.UTC).render(e));
    }

    private static String text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void aPayloadCutShortSaysWhyItWasCut() {
        // A frame whose header says 100 bytes, of which 5 are kept: by the preview limit when it was forwarded...
        ParsedFrame cut = new ParsedFrame(new dev.wstap.wire.FrameHeader(true, 0, dev.wstap.wire.Opcode.TEXT, false, 0, 100,
                dev.wstap.wire.LengthEncoding.BITS_7), "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dev.wstap.wire.Opcode.TEXT, false, List.of());
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        assertTrue(text(view.render(new FrameSeen(T, 7, Direction.S2C, cut, false))).endsWith("… 100 bytes in all, first 5 shown (--max-preview)"));
        // ...and because only 5 were sent when wstap made it (raw --len 100 hello).
        assertTrue(text(view.render(new FrameSeen(T, 7, Direction.S2C, cut, true))).endsWith("… 100 bytes in all, first 5 sent"));
    }

    @Test
    void maskedTextFromTheRfcShowsItsHeaderAndUnmaskedPayload() {
        // RFC 6455 §5.7: a single-frame masked text message "Hello".
        assertEquals("01:02:03.456789 #7 client→server text   fin=1 rsv=000 mask=37fa213d len=5\n    Hello",
                show(ViewMode.AUTO, Direction.C2S, "81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    }

    @Test
    void jsonIsPrettyPrinted() {
        // {"a":[1,true],"b":{}}
        String json = HexFormat.of().formatHex("{\"a\":[1,true],\"b\":{}}".getBytes());
        assertEquals("""
                01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=21
                    {
                      "a": [
                        1,
                        true
                      ],
                      "b": {}
                    }""", show(ViewMode.AUTO, Direction.S2C, "81 15 " + json));
    }

    @Test
    void textViewLeavesJsonAsItCame() {
        String json = HexFormat.of().formatHex("{\"a\":1}".getBytes());
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=7\n    {\"a\":1}",
                show(ViewMode.TEXT, Direction.S2C, "81 07 " + json));
    }

    @Test
    void binaryIsAHexDump() {
        assertEquals("""
                01:02:03.456789 #7 server→client binary fin=1 rsv=000 mask=-------- len=18
                    00000000  00 01 02 41 42 43 7f 80  ff 20 21 22 23 24 25 26 |...ABC... !"#$%&|
                    00000010  27 28                                            |'(|""",
                show(ViewMode.AUTO, Direction.S2C, "82 12 00 01 02 41 42 43 7f 80 ff 20 21 22 23 24 25 26 27 28"));
    }

    @Test
    void hexViewDumpsTextToo() {
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=2\n"
                        + "    00000000  68 69                                            |hi|",
                show(ViewMode.HEX, Direction.S2C, "81 02 68 69"));
    }

    @Test
    void headersViewShowsNoPayload() {
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=2",
                show(ViewMode.HEADERS, Direction.S2C, "81 02 68 69"));
    }

    @Test
    void controlCharactersInTextCannotReachTheTerminal() {
        // "a" ESC "[2J" BEL "b" TAB CR LF "c": a screen-clearing escape, a bell, a tab, a line break.
        String shown = show(ViewMode.AUTO, Direction.S2C, "81 0b 61 1b 5b 32 4a 07 62 09 0d 0a 63");
        assertFalse(shown.contains("\u001b"), shown);
        assertFalse(shown.contains("\u0007"), shown);
        assertTrue(shown.endsWith("    a\\x1b[2J\\x07b\\t\\r\n    c"), shown);
    }

    @Test
    void controlCharactersInsideJsonStringsAreEscapedToo() {
        // {"k":"<ESC>[31m<U+009B>"}: ESC in JSON is escaped by the JSON rules, C1 CSI by ours.
        String json = "{\"k\":\"\\u001b[31m\u009b\"}";
        String shown = show(ViewMode.AUTO, Direction.S2C, "81 " + String.format("%02x", json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                + HexFormat.of().formatHex(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertFalse(shown.contains("\u001b") || shown.contains("\u009b"), shown);
        assertTrue(shown.contains("\"k\": \"\\u001B[31m\\u009b\""), shown);
    }

    @Test
    void closeShowsCodeNameAndReason() {
        // Close 1001 "bye".
        assertEquals("01:02:03.456789 #7 server→client close  fin=1 rsv=000 mask=-------- len=5\n"
                + "    code 1001 Going Away reason \"bye\"", show(ViewMode.AUTO, Direction.S2C, "88 05 03 e9 62 79 65"));
    }

    @Test
    void violationsAreCountedOnTheHeaderAndListedBelowIt() {
        // An unmasked client ping in the 16-bit length form: two violations.
        assertEquals("""
                01:02:03.456789 #7 client→server ping   fin=1 rsv=000 mask=-------- len=2 (16-bit) ⚠ 2
                    ⚠ client-frame-unmasked: client frame is not masked (RFC 6455 §5.1)
                    ⚠ non-minimal-length: length 2 written in the 16-bit form (RFC 6455 §5.2)
                    hi""", show(ViewMode.AUTO, Direction.C2S, "89 7e 00 02 68 69"));
    }

    @Test
    void aTruncatedPayloadSaysHowMuchThereWas() {
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=6\n    abc\n"
                + "    … 6 bytes in all, first 3 shown (--max-preview)", show(ViewMode.AUTO, Direction.S2C, 3, "81 06 61 62 63 64 65 66"));
    }

    @Test
    void sessionLines() {
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        HttpRequest request = new HttpRequest("GET", "/chat", "HTTP/1.1", new Headers(List.of(new Header("Host", "x"))));
        HttpResponse response = new HttpResponse("HTTP/1.1", 101, "Switching Protocols",
                new Headers(List.of(new Header("Sec-WebSocket-Protocol", "chat.v1"))));
        assertEquals("01:02:03.456789 #7 open 127.0.0.1:5000 → ws://127.0.0.1:9001/chat  subprotocol=chat.v1",
                text(view.render(new Opened(T, 7, "127.0.0.1:5000", "ws://127.0.0.1:9001/chat", request, response, null, null))));
        assertEquals("01:02:03.456789 #7 closed by server: 1000 Normal Closure \"done\" · answered in 2.000 ms · 1.500 s · c2s 3 frames 2 msg 40 B · s2c 1 frame 1 msg 10 B",
                text(view.render(new Closed(T, 7, "server", 1000, "done", true, null, Duration.ofMillis(1500),
                        new Traffic(3, 2, 40), new Traffic(1, 1, 10), Duration.ofMillis(2), dev.wstap.tap.RoundTrips.NONE))));
        assertEquals("01:02:03.456789 #7 ended abnormally: client dropped the connection without a close frame"
                        + " (client reset the connection) · 0.250 s · c2s 0 frames 0 msg 0 B · s2c 0 frames 0 msg 0 B",
                text(view.render(new Closed(T, 7, "client", -1, "", false, "client reset the connection",
                        Duration.ofMillis(250), new Traffic(0, 0, 0), new Traffic(0, 0, 0), null, dev.wstap.tap.RoundTrips.NONE))));
        assertEquals("01:02:03.456789 #7 GET ws://127.0.0.1:9/chat → 502 Bad Gateway: upstream refused",
                text(view.render(new HttpSeen(T, 7, "127.0.0.1:5000", "GET", "ws://127.0.0.1:9/chat", true, 502, "Bad Gateway", "upstream refused"))));
        assertEquals("01:02:03.456789 #7 GET http://127.0.0.1:9/x → 404 Not Found  (plain HTTP)",
                text(view.render(new HttpSeen(T, 7, "127.0.0.1:5000", "GET", "http://127.0.0.1:9/x", false, 404, "Not Found", null))));
        assertEquals("01:02:03.456789 #7 GET ws://127.0.0.1:9/x → 403 Forbidden  (upgrade refused)",
                text(view.render(new HttpSeen(T, 7, "127.0.0.1:5000", "GET", "ws://127.0.0.1:9/x", true, 403, "Forbidden", null))));
        assertEquals("01:02:03.456789 #7 127.0.0.1:5000 sent no request → 400 Bad Request: malformed request line 'hello'",
                text(view.render(new HttpSeen(T, 7, "127.0.0.1:5000", "-", "-", false, 400, "Bad Request", "malformed request line 'hello'"))));
    }

    @Test
    void aSkipNoticeSaysWhatEachSessionLostAndWhen() {
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        Gap gap = new Gap(List.of(new Gap.Run(1, 3795, 2, T, T.plusMillis(1500)), new Gap.Run(3, 1, 0, T, T)));
        assertEquals("… console fell behind: 3796 frames and 2 messages not shown here: #1 3797 records "
                        + "01:02:03.456789 to 01:02:04.956789, #3 1 record 01:02:03.456789 (traffic was not slowed; --log keeps everything)",
                view.skipped(gap).toString());
    }

    @Test
    void bidiOverridesAndZeroWidthCharactersAreShownEscaped() {
        // "a" U+202E "b" U+200B "c": a right-to-left override would reverse what follows on screen.
        String shown = show(ViewMode.AUTO, Direction.S2C, "81 09 61 e2 80 ae 62 e2 80 8b 63");
        assertTrue(shown.endsWith("    a\\u202eb\\u200bc"), shown);
    }

    @Test
    void showBytesCutsTheConsoleViewAtACharacterBoundary() {
        // "aé" + "b" (61 c3 a9 62) with 2 bytes shown: the é is not split into a replacement character.
        FrameSeen e = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "81 04 61 c3 a9 62"), false);
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=4\n    a\n"
                + "    … 4 bytes in all, first 1 shown (--show-bytes)",
                text(new ConsoleView(ViewMode.AUTO, 2, ZoneOffset.UTC).render(e)));
    }

    @Test
    void showBytesCutsHexDumpsToo() {
        FrameSeen e = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "82 03 01 02 03"), false);
        assertEquals("01:02:03.456789 #7 server→client binary fin=1 rsv=000 mask=-------- len=3\n"
                + "    00000000  01 02                                            |..|\n"
                + "    … 3 bytes in all, first 2 shown (--show-bytes)",
                text(new ConsoleView(ViewMode.AUTO, 2, ZoneOffset.UTC).render(e)));
    }

    @Test
    void aCompressedMessageShowsBothSizesAndItsInflatedJson() {
        dev.wstap.tap.MessageSeen m = new dev.wstap.tap.MessageSeen(T, 7, Direction.S2C, dev.wstap.wire.Opcode.TEXT, 2, 20, 7,
                true, "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of(), false);
        assertEquals("""
                01:02:03.456789 #7 server→client message text 2 fragments compressed 20 B → 7 B
                    {
                      "a": 1
                    }""", text(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC).render(m)));
    }

    @Test
    void messagesViewShowsEveryMessageAndOnlyTheFramesOfNone() {
        ConsoleView view = new ConsoleView(ViewMode.MESSAGES, ZoneOffset.UTC);
        FrameSeen fragment = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "01 02 68 69"), false);
        FrameSeen whole = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "81 02 68 69"), false);
        FrameSeen ping = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "89 00"), false);
        FrameSeen reserved = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "83 00"), false);
        FrameSeen orphan = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "80 00"), false);
        assertEquals(List.of(), view.render(fragment));
        assertEquals(List.of(), view.render(whole), "its message's line shows it");
        assertEquals("01:02:03.456789 #7 server→client message text len=2\n    hi", text(view.render(MessageSeen.ofFrame(whole))));
        assertEquals("01:02:03.456789 #7 server→client ping   fin=1 rsv=000 mask=-------- len=0", text(view.render(ping)));
        assertTrue(text(view.render(reserved)).startsWith("01:02:03.456789 #7 server→client reserved-0x3 fin=1"), "no message");
        assertTrue(text(view.render(orphan)).startsWith("01:02:03.456789 #7 server→client cont   fin=1"), "no message either");
    }

    @Test
    void framesViewShowsAMessageThatIsItsFrameOnceAsThatFrame() {
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        FrameSeen whole = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "81 02 68 69"), false);
        assertEquals("01:02:03.456789 #7 server→client text   fin=1 rsv=000 mask=-------- len=2\n    hi", text(view.render(whole)));
        assertEquals(List.of(), view.render(MessageSeen.ofFrame(whole)));
    }

    @Test
    void aPongThatAnsweredAPingShowsTheRoundTrip() {
        FrameSeen pong = new FrameSeen(T, 7, Direction.S2C, parse(Direction.S2C, 100, "8a 00"), false, Duration.ofNanos(1_234_000));
        assertEquals("01:02:03.456789 #7 server→client pong   fin=1 rsv=000 mask=-------- len=0 rtt=1.234 ms",
                text(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC).render(pong)));
    }

    @Test
    void framesOfAnExtensionWstapCannotDecodeNameIt() {
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        HttpRequest request = new HttpRequest("GET", "/", "HTTP/1.1", new Headers(List.of()));
        HttpResponse response = new HttpResponse("HTTP/1.1", 101, "Switching Protocols",
                new Headers(List.of(new Header("Sec-WebSocket-Extensions", "x-custom; level=2"))));
        view.render(new Opened(T, 7, "127.0.0.1:5000", "ws://127.0.0.1:9/", request, response, null, null));
        // RSV2 set on a text frame: meaningful to x-custom, so no violation; shown as sent.
        java.util.List<ParsedFrame> frames = new ArrayList<>();
        FrameParser parser = new FrameParser(Direction.S2C, 100, frames::add);
        parser.allowRsv(dev.wstap.http.Extensions.rsvBits("x-custom; level=2"));
        byte[] bytes = HexFormat.of().parseHex("a10268" + "69");
        parser.feed(bytes, 0, bytes.length);
        assertEquals("""
                01:02:03.456789 #7 server→client text   fin=1 rsv=010 mask=-------- len=2
                    hi
                    RSV bits of x-custom, an extension wstap does not decode: payload shown as sent""",
                text(view.render(new FrameSeen(T, 7, Direction.S2C, frames.get(0), false))));
    }
}
