package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Tap;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.RecordingSink;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.TlsContexts;
import dev.wstap.testing.Waits;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wstap as a client ({@code wstap connect}): the handshake it sends, and how its own end behaves. */
class WsClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final Tap tap = new Tap();
    private final RecordingSink events = new RecordingSink();
    private final SessionRegistry sessions = new SessionRegistry();

    WsClientTest() {
        tap.attach("test", events, false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
    }

    private WsClient connect(String url, List<Header> headers, List<String> subprotocols, String origin, UpstreamTls tls)
            throws HandshakeFailed {
        return WsClient.connect(new WsClient.Request(WsUrl.parse(url), headers, subprotocols, origin), tls, WAIT,
                65536, tap, sessions, 1);
    }

    /** The frames a scripted server reads, one by one. */
    private static ParsedFrame nextFrame(ScriptedServer.Exchange ex, LinkedBlockingQueue<ParsedFrame> frames) throws Exception {
        FrameParser parser = new FrameParser(Direction.C2S, 1024, frames::add);
        while (frames.isEmpty()) {
            int b = ex.input().read();
            if (b < 0) throw new AssertionError("the connection ended");
            parser.feed(new byte[] {(byte) b}, 0, 1);
        }
        return frames.take();
    }

    @Test
    void theUpgradeCarriesTheHeadersAskedForAndTheClientAnswersPingsAndTheClose() throws Exception {
        CompletableFuture<HttpRequest> request = new CompletableFuture<>();
        CompletableFuture<List<ParsedFrame>> answers = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            request.complete(ex.request());
            ex.write(Handshake.switchingProtocols(ex.request()).encode());
            LinkedBlockingQueue<ParsedFrame> frames = new LinkedBlockingQueue<>();
            ex.write(FrameEncoder.frame(true, Opcode.PING, null, ascii("are you there")));
            ParsedFrame pong = nextFrame(ex, frames);
            ex.write(FrameEncoder.frame(true, Opcode.CLOSE, null, new ClosePayload(4001, "bye").encode()));
            ParsedFrame close = nextFrame(ex, frames);
            answers.complete(List.of(pong, close));
            ex.readToEnd();
        })) {
            WsClient client = connect("ws://127.0.0.1:" + server.port() + "/room?x=1",
                    List.of(new Header("Authorization", "Bearer abc"), new Header("User-Agent", "mine"),
                            new Header("Sec-WebSocket-Version", "13")),
                    List.of("chat.v2", "chat.v1"), "http://example.test", null);
            HttpRequest r = request.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
            assertEquals("/room?x=1", r.target());
            assertEquals("Bearer abc", r.headers().get("Authorization"));
            assertEquals("mine", r.headers().get("User-Agent"));
            assertEquals("chat.v2, chat.v1", r.headers().get("Sec-WebSocket-Protocol"));
            assertEquals("http://example.test", r.headers().get("Origin"));
            assertEquals(1, r.headers().list().stream().filter(h -> h.is("Sec-WebSocket-Version")).count(), "replaced, not repeated");
            List<ParsedFrame> got = answers.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
            ParsedFrame pong = got.get(0);
            assertEquals(Opcode.PONG, pong.header().opcode());
            assertTrue(pong.header().isMasked(), "a client masks every frame (RFC 6455 §5.3)");
            assertArrayEquals(ascii("are you there"), pong.preview());
            assertEquals(Opcode.CLOSE, got.get(1).header().opcode());
            assertEquals(4001, got.get(1).closePayload().code(), "the close answer echoes the code (RFC 6455 §5.5.1)");
            assertTrue(client.awaitEnd(WAIT));
            assertTrue(client.isCleanlyClosed());
            Closed closed = events.await(Closed.class, WAIT);
            assertEquals("server", closed.closedBy());
            assertTrue(closed.isClean());
        }
    }

    @Test
    void aThirdPartyServerEchoesWhatTheUserSendsAndTheUsersCloseIsAnswered() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            WsClient client = connect("ws://127.0.0.1:" + server.getPort() + "/echo", List.of(), List.of(), null, null);
            Injector injector = new Injector(client.session());
            injector.fragments(Direction.C2S, Opcode.TEXT, ascii("hello world"), List.of(5, 6), true, 0);
            FrameSeen echo = events.await(FrameSeen.class, f -> f.dir() == Direction.S2C && f.frame().header().opcode() == Opcode.TEXT, WAIT);
            assertEquals("hello world", echo.frame().text());
            client.close(1000, "done", tap, WAIT);
            assertTrue(client.awaitEnd(WAIT));
            assertTrue(client.isCleanlyClosed());
            Closed closed = events.await(Closed.class, WAIT);
            assertEquals("wstap", closed.closedBy());
            assertEquals(1000, closed.code());
            assertEquals(List.of(), server.errors());
            assertTrue(events.events(FrameSeen.class).stream().noneMatch(f -> f.frame().hasViolations()), "no violations either way");
        }
    }

    @Test
    void wssWithTheServersCaTrusted() throws Exception {
        CaPair cas = CaPair.in(dir);
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launchTls(TlsContexts.serving(cas.serverLeaves.forHost("127.0.0.1")))) {
            WsClient client = connect("wss://127.0.0.1:" + server.getPort() + "/tls", List.of(), List.of(), null,
                    cas.upstreamTrustingServerCa());
            new Injector(client.session()).message(Direction.C2S, Opcode.TEXT, ascii("over TLS"));
            assertEquals("over TLS", events.await(FrameSeen.class, f -> f.dir() == Direction.S2C, WAIT).frame().text());
            client.close(1000, "", tap, WAIT);
            HandshakeFailed untrusted = assertThrows(HandshakeFailed.class, () -> connect("wss://127.0.0.1:" + server.getPort() + "/tls",
                    List.of(), List.of(), null, UpstreamTls.verifying(List.of())));
            assertTrue(untrusted.getMessage().contains("certificate"), untrusted.getMessage());
        }
    }

    @Test
    void anAnswerOtherThan101IsReportedWithWhatTheServerSaid() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> ex.write(ascii(
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nX-Why: no token\r\n\r\n")))) {
            String url = "ws://127.0.0.1:" + server.port() + "/private";
            HandshakeFailed e = assertThrows(HandshakeFailed.class, () -> connect(url, List.of(), List.of(), null, null));
            assertEquals(url + " answered 403 Forbidden instead of 101 Switching Protocols", e.getMessage());
            assertNotNull(e.response());
            assertEquals("no token", e.response().headers().get("X-Why"));
            assertEquals(0, sessions.size());
        }
    }

    @Test
    void aWrongAcceptIsRefused() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> ex.write(ascii("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n")))) {
            HandshakeFailed e = assertThrows(HandshakeFailed.class,
                    () -> connect("ws://127.0.0.1:" + server.port() + "/", List.of(), List.of(), null, null));
            assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
        }
    }

    @Test
    void nobodyListeningIsSaidPlainly() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closedPort = port;
        HandshakeFailed e = assertThrows(HandshakeFailed.class,
                () -> connect("ws://127.0.0.1:" + closedPort + "/", List.of(), List.of(), null, null));
        assertEquals("server 127.0.0.1:" + closedPort + " refused the connection (is the server running?)", e.getMessage());
    }
}
