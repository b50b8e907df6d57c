package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpResponse;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Closed;
import dev.wstap.tap.HarLog;
import dev.wstap.tap.Interest;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Tap;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TrafficTotals;
import dev.wstap.testing.Json;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.filter.EventFilter;
import dev.wstap.view.LogView;
import dev.wstap.view.SessionSummary;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One session, one message count: the close record, the shell's stats, view --stats over the log,
 * the HAR (live and from the log) and the console's messages mode (live and from the log) all
 * count the same messages, through reserved opcodes, a ping between fragments, compression and
 * injection.
 */
class MessageCountsAgreeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x0a0b0c0d;
    private static final String DEFLATE = "permessage-deflate; client_no_context_takeover; server_no_context_takeover";
    /** RFC 7692 §7.2.3.1: "Hello" compressed, without context. */
    private static final byte[] HELLO_DEFLATED = HexFormat.of().parseHex("f248cdc9c90700");
    /** A message line as the console prints it, per direction. */
    private static final Pattern C2S_MESSAGE = Pattern.compile("^\\S+ #\\d+ client→server message ");
    private static final Pattern S2C_MESSAGE = Pattern.compile("^\\S+ #\\d+ server→client message ");

    @TempDir
    Path dir;

    private static byte[] masked(boolean fin, int rsv, int opcode, byte[] payload) {
        return FrameEncoder.frame(fin, rsv, opcode, KEY, payload, LengthEncoding.minimalFor(payload.length), payload.length);
    }

    private static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return masked(fin, 0, opcode, payload);
    }

    @Test
    void everyCountOfASessionsMessagesAgrees() throws Exception {
        Path har = dir.resolve("live.har");
        List<String> console = new CopyOnWriteArrayList<>();
        TrafficTotals totals = new TrafficTotals();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                HttpResponse accept = Handshake.switchingProtocols(ex.request());
                List<Header> headers = new ArrayList<>(accept.headers().list());
                headers.add(new Header("Sec-WebSocket-Extensions", DEFLATE));
                ex.write(new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(headers)).encode());
                ex.write(FrameEncoder.frame(true, Opcode.TEXT, null, ascii("welcome")),          // a message
                        FrameEncoder.frame(true, 0x6, null, ascii("?")),                         // a reserved opcode: none
                        FrameEncoder.frame(false, Opcode.BINARY, null, new byte[] {1, 2}),       // a binary message in two
                        FrameEncoder.frame(true, Opcode.PING, null, ascii("between")),           // fragments, a ping between
                        FrameEncoder.frame(true, Opcode.CONTINUATION, null, new byte[] {3}));
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            Tap tap = proxy.tap();
            tap.attach("har", new HarLog(Files.newOutputStream(har), "test"), false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
            tap.attach("stats", totals, false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
            tap.attach("console", new ConsoleSink(new ConsoleView(ViewMode.MESSAGES, ZoneOffset.UTC),
                    (line, isColored) -> console.add(line.toString()), false), false, Tap.LOG_QUEUE_EVENTS,
                    ConsoleView.interests(ViewMode.MESSAGES));

            client.write(RawClient.upgradeRequest(proxy.port(), "/agree", List.of(new Header("Sec-WebSocket-Extensions", DEFLATE))));
            client.readHead();
            awaitMessages(proxy, Direction.S2C, 2);

            client.write(masked(true, 0x3, ascii("r")));                  // a reserved opcode: no message
            client.write(masked(false, Opcode.TEXT, ascii("Hel")),        // "Hello" in two fragments,
                    masked(true, Opcode.PING, ascii("p")),                // a ping between them
                    masked(true, Opcode.CONTINUATION, ascii("lo")));
            client.write(masked(true, 4, Opcode.TEXT, HELLO_DEFLATED));   // "Hello" compressed
            client.write(masked(true, Opcode.TEXT, ascii("plain")));
            awaitMessages(proxy, Direction.C2S, 3);

            Injector injector = new Injector(proxy.server().sessions().all().iterator().next());
            injector.message(Direction.C2S, Opcode.TEXT, ascii("injected"));
            byte[] zipped = injector.compressed(Direction.C2S, ascii("injected, compressed"));
            injector.fragments(Direction.C2S, Opcode.TEXT, zipped, ascii("injected, compressed"), List.of(zipped.length), false, 0);
            byte[] parts = ascii("injected in three fragments");
            injector.fragments(Direction.S2C, Opcode.TEXT, parts, Injector.evenParts(parts.length, 3), true, 0);
            injector.raw(Direction.S2C, FrameEncoder.frame(true, Opcode.TEXT, null, ascii("raw")));
            awaitMessages(proxy, Direction.C2S, 5);
            awaitMessages(proxy, Direction.S2C, 4);

            client.write(masked(true, Opcode.CLOSE, new ClosePayload(1000, "bye").encode()));
            client.close();
            proxy.awaitNoSessions(WAIT);
            proxy.close(); // drains every sink: the log and the HAR are complete
            upstream.assertNoFailures();

            // What was sent: 5 messages to the server (3 forwarded, 2 injected), 4 to the client (2 and 2).
            Closed closed = proxy.events().events(Closed.class).get(0);
            assertEquals(List.of(5L, 4L), List.of(closed.c2s().messages(), closed.s2c().messages()), "the close record");
            TrafficTotals.Snapshot stats = totals.snapshot();
            assertEquals(List.of(5L, 4L), List.of(stats.c2s().messages(), stats.s2c().messages()), "the shell's stats");
            assertEquals(List.of(5L, 4L), List.of(count(console, C2S_MESSAGE), count(console, S2C_MESSAGE)),
                    "the console's messages mode");
            assertEquals(List.of(5L, 4L), harMessages(har), "the HAR");

            Path log = proxy.logFile();
            SessionSummary summary = new SessionSummary(ZoneOffset.UTC);
            readLog(log, summary::add);
            assertEquals(9, summaryMessages(summary), "view --stats over the log");

            List<String> viewed = new ArrayList<>();
            ConsoleView view = new ConsoleView(ViewMode.MESSAGES, ZoneOffset.UTC);
            readLog(log, e -> view.render(e).forEach(line -> viewed.add(line.toString())));
            assertEquals(List.of(5L, 4L), List.of(count(viewed, C2S_MESSAGE), count(viewed, S2C_MESSAGE)),
                    "view --view messages over the log");

            Path fromLog = dir.resolve("from-log.har");
            HarLog converted = new HarLog(Files.newOutputStream(fromLog), "test");
            readLog(log, converted::accept);
            converted.close();
            assertArrayEquals(Files.readAllBytes(har), Files.readAllBytes(fromLog), "view --to-har gives the live HAR");
        }
    }

    /** Waits until {@code n} messages have gone {@code dir}, as the tap reported them. */
    private static void awaitMessages(ProxyFixture proxy, Direction dir, int n) {
        Poll.until(WAIT, () -> proxy.events().events(MessageSeen.class).stream().filter(m -> m.dir() == dir).count() == n,
                () -> n + " messages " + dir.label() + "; have " + proxy.events().events(MessageSeen.class));
    }

    private static long count(List<String> lines, Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }

    private static void readLog(Path log, Consumer<TapEvent> shown) throws Exception {
        try (InputStream in = Files.newInputStream(log)) {
            new LogView(EventFilter.ALL, shown, System.err).read(log.toString(), in);
        }
    }

    /** The "messages" column of the one row {@code summary} prints. */
    private static long summaryMessages(SessionSummary summary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), "a header and one session: " + lines);
        // conn, opened, duration, c2s, c2s bytes, s2c, s2c bytes, messages, ...
        return Long.parseLong(lines.get(1).trim().split("\\s+")[7]);
    }

    /** The HAR's messages sent (client to server) and received. */
    @SuppressWarnings("unchecked")
    private static List<Long> harMessages(Path har) throws Exception {
        Map<String, Object> log = (Map<String, Object>) Json.object(Files.readString(har)).get("log");
        List<Map<String, Object>> messages = (List<Map<String, Object>>) ((List<Map<String, Object>>) log.get("entries")).get(0)
                .get("_webSocketMessages");
        return List.of(messages.stream().filter(m -> "send".equals(m.get("type"))).count(),
                messages.stream().filter(m -> "receive".equals(m.get("type"))).count());
    }
}
