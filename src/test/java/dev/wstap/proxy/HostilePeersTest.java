package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.http.HostPort;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Closed;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.LiveThreads;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.TlsContexts;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.Waits;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 6 against peers that misbehave on purpose, each on real loopback sockets while a
 * healthy session (the JDK's WebSocket client through wstap to Java-WebSocket's echo server) is
 * open in the same proxy. For each one: the peer gets the right answer (an HTTP status, a close
 * frame, or its connection closed); the console tells what happened in exactly one line (the
 * connection's only line, or the closing line of a session that had opened) and the log in one
 * record ({@code http} or {@code close}); the connection's threads end, virtual ones included, and
 * its sockets are closed (the peer sees the end of the stream); and the healthy session still
 * echoes afterwards and ends cleanly.
 *
 * <p>Hostile clients meet wstap in reverse mode ({@code --upstream}), as most users run it.
 * Hostile upstreams are reached in forward mode, the one way for a single proxy to serve the
 * healthy session's server and a broken one at once. The handshake timeout is 1 s, so that the
 * timeouts are seen in a second instead of ten.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostilePeersTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final int KEY = 0x5eed1e55;
    private static final long TRICKLE_MILLIS = 100;

    @TempDir
    static Path caDir;

    @TempDir
    Path dir;

    private static CaPair cas;

    private JavaWebSocketEcho echo;
    private ScriptedServer hostileServer;
    private ProxyFixture proxy;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private JdkWsClient healthy;
    private int healthyConn;

    @BeforeAll
    static void makeCas() {
        cas = CaPair.in(caDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (healthy != null) healthy.close();
        if (proxy != null) proxy.close();
        if (hostileServer != null) hostileServer.close();
        if (echo != null) echo.close();
    }

    // ---- hostile clients ----

    @Test
    void aClientThatSendsNothingGets408AfterTheHandshakeTimeout() throws Exception {
        startReverse();
        String reason = "no complete request within 1 s";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            byte[] answer = client.readToEnd(); // to the end: wstap closed the connection after its answer
            assertWaited(start, 900, 3000);
            assertArrayEquals(wstapAnswer(408, "Request Timeout", reason), answer);
            conn = httpSeenBy(client).conn();
        }
        assertToldOnce(conn, "-", "-", "408 Request Timeout", 408, reason);
    }

    @Test
    void defaultHandshakeTimeoutIsTenSeconds() {
        assertEquals(Duration.ofSeconds(10), ProxyConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        assertEquals(ProxyConfig.DEFAULT_HANDSHAKE_TIMEOUT, ProxyFixture.config("ws://127.0.0.1:9/").handshakeTimeout());
        assertEquals(ProxyConfig.DEFAULT_HANDSHAKE_TIMEOUT, ProxyConfig.forward(new HostPort("127.0.0.1", 0)).handshakeTimeout());
    }

    @Test
    void headersTrickledAByteAtATimeGet408WhenTheWholeHeadIsLate() throws Exception {
        // One byte every 100 ms: each read comes well within the timeout, the head as a whole does not.
        startReverse();
        byte[] request = RawClient.upgradeRequest(proxy.port(), "/trickle", List.of());
        String reason = "no complete request within 1 s";
        int conn = trickleUntilDropped(request, answer -> assertArrayEquals(wstapAnswer(408, "Request Timeout", reason), answer));
        assertToldOnce(conn, "-", "-", "408 Request Timeout", 408, reason);
    }

    @Test
    void garbageInsteadOfHttpGets400AtOnce() throws Exception {
        // An MQTT client at the wrong port: CONNECT, protocol "MQTT", level 4, clean session, keep-alive 60 s.
        byte[] mqttConnect = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00};
        startReverse();
        String reason = "not HTTP: byte 0x10 at offset 0 of the first line";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            client.write(mqttConnect);
            assertArrayEquals(wstapAnswer(400, "Bad Request", reason), client.readToEnd());
            assertWaited(start, 0, 900);
            conn = httpSeenBy(client).conn();
        }
        assertToldOnce(conn, "-", "-", "400 Bad Request", 400, reason);
    }

    @Test
    void tlsGarbageAtATlsListenerIsOneLine() throws Exception {
        // A TLS record header for a handshake message, then bytes that are no handshake message at all.
        byte[] garbage = Bytes.concat(new byte[] {0x16, 0x03, 0x01, 0x00, 0x20}, Bytes.pattern(32));
        startTls();
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(garbage);
            byte[] answer = client.readToEnd();
            // The JDK may answer with an alert (record type 21) before it closes; it sends nothing else.
            assertTrue(answer.length == 0 || answer[0] == 0x15, "an alert or nothing: " + Bytes.preview(answer));
            conn = httpSeenBy(client).conn();
        }
        assertOthersUndisturbed(conn);
        Told told = closeAndCollect(conn);
        assertEquals(1, told.console().size(), told.console().toString());
        String line = told.console().get(0);
        assertTrue(line.startsWith("127.0.0.1:PORT sent no request → no response: TLS from client 127.0.0.1:PORT failed: "), line);
        Map<String, Object> record = assertHttpRecord(told, "-", "-", 0, null);
        assertTrue(((String) record.get("error")).startsWith("TLS from client 127.0.0.1:"), String.valueOf(record.get("error")));
        assertEquals(line.substring(line.indexOf("TLS from")), ((String) record.get("error")).replaceAll(":\\d+ failed", ":PORT failed"));
    }

    @Test
    void aClientThatSendsNothingToATlsListenerIsDroppedAfterTheHandshakeTimeout() throws Exception {
        startTls();
        String reason = "TLS from client 127.0.0.1:PORT failed: it did not finish the handshake within 1 s";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            assertEquals(0, client.readToEnd().length);
            assertWaited(start, 900, 3000);
            conn = httpSeenBy(client).conn();
        }
        assertToldOnce(conn, "-", "-", "no response", 0, reason);
    }

    @Test
    void aTlsHelloTrickledAByteAtATimeIsDroppedWhenTheWholeHandshakeIsLate() throws Exception {
        startTls();
        byte[] hello = clientHello();
        String reason = "TLS from client 127.0.0.1:PORT failed: it did not finish the handshake within 1 s";
        int conn = trickleUntilDropped(hello, answer -> assertEquals(0, answer.length, "no answer, only the end of the stream"));
        assertToldOnce(conn, "-", "-", "no response", 0, reason);
    }

    @Test
    void theTlsHandshakeAndTheRequestShareOneDeadline() throws Exception {
        // TLS finished after 800 ms, then nothing: the request is due when the 1 s from connecting is
        // up, not a whole second after TLS (1.8 s or more in all when each stage had its own timeout).
        startTls();
        String reason = "no complete request within 1 s";
        int conn;
        try (RawClient raw = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            Thread.sleep(800);
            SSLSocket tls = TlsContexts.handshake(cas.clientTrustingWstap(), raw.socket(), "127.0.0.1");
            byte[] answer = tls.getInputStream().readAllBytes();
            assertWaited(start, 900, 1700);
            assertArrayEquals(wstapAnswer(408, "Request Timeout", reason), answer);
            conn = httpSeenBy(raw).conn();
        }
        assertToldOnce(conn, "-", "-", "408 Request Timeout", 408, reason);
    }

    @Test
    void aClientThatVanishesMidFrameEndsItsSessionOnly() throws Exception {
        startReverse();
        byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("x".repeat(1000)));
        byte[] cut = Arrays.copyOf(frame, 2 + 2 + 4 + 10); // header (16-bit length, mask) and 10 payload bytes
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/vanish");
            conn = openedBy(client).conn();
            client.write(cut);
        } // gone, as a killed process goes: its kernel closes the connection
        Closed closed = proxy.events().await(Closed.class, c -> c.conn() == conn, WAIT);
        String error = "client closed the connection in the middle of a frame, after 10 of its 1000 payload bytes";
        assertEquals(error, closed.error());
        // Java-WebSocket saw its connection end: only the healthy one is left.
        awaitEchoConnections(1);
        assertSessionTold(conn, List.of("open 127.0.0.1:PORT → ws://127.0.0.1:PORT/vanish",
                "ended abnormally: client dropped the connection without a close frame (" + error + ") · D s"
                        + " · c2s 0 frames 0 msg 18 B · s2c 0 frames 0 msg 0 B"),
                "client", null, error);
    }

    @Test
    void aFrameAnnouncing2To62BytesIsForwardedAndTheServersRefusalEndsItsSessionOnly() throws Exception {
        startReverse();
        long announced = 1L << 62;
        byte[] header = FrameEncoder.frame(true, 0, Opcode.BINARY, KEY, new byte[0], LengthEncoding.BITS_64, announced);
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/huge");
            conn = openedBy(client).conn();
            client.write(header, new byte[1000]);
            // Java-WebSocket will not take a frame over 2^31 bytes: it closes with 1009 (RFC 6455 §7.4.1).
            byte[] close = client.readExactly(2);
            assertEquals(0x88, close[0] & 0xFF, "a close frame: " + Bytes.preview(close));
            byte[] payload = client.readExactly(close[1]);
            assertEquals(1009, ClosePayload.parse(payload).code());
            assertEquals(-1, client.read(), "the server closed after its close frame, and wstap passed that on");
        }
        Closed closed = proxy.events().await(Closed.class, c -> c.conn() == conn, WAIT);
        assertEquals("server", closed.closedBy());
        assertEquals(1009, closed.code());
        awaitEchoConnections(1);
        // Java-WebSocket's own reason; the frame itself never ended, so the close line tells how far it got.
        assertSessionTold(conn, List.of("open 127.0.0.1:PORT → ws://127.0.0.1:PORT/huge",
                "server→client close  fin=1 rsv=000 mask=-------- len=26",
                "closed by server: 1009 Message Too Big \"Payloadsize is to big...\""
                        + " (client closed the connection in the middle of a frame, after 1000 of its 4611686018427387904 payload bytes;"
                        + " the client did not answer the close)"
                        + " · D s · c2s 0 frames 0 msg 1014 B · s2c 1 frame 0 msg 28 B"),
                "server", 1009L, closed.error());
    }

    // ---- hostile upstreams ----

    @Test
    void anUpstreamThatResetsMidFrameEndsItsSessionOnly() throws Exception {
        CountDownLatch clientHasTheStart = new CountDownLatch(1);
        startForward(ex -> {
            ex.write(Handshake.switchingProtocols(ex.request()).encode());
            ex.write(Arrays.copyOf(FrameEncoder.frame(true, Opcode.BINARY, null, Bytes.pattern(100)), 2 + 10));
            if (!clientHasTheStart.await(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS)) throw new AssertionError("the client never got the frame's start");
            ex.socket().setSoLinger(true, 0); // close with a reset
            ex.socket().close();
        });
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(absoluteUpgrade("/reset"));
            assertTrue(new String(client.readHead(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101 "));
            conn = openedBy(client).conn();
            assertArrayEquals(Arrays.copyOf(FrameEncoder.frame(true, Opcode.BINARY, null, Bytes.pattern(100)), 12),
                    client.readExactly(12));
            clientHasTheStart.countDown();
            assertEquals(-1, client.read(), "wstap closed the client's connection");
        }
        String error = "server reset the connection in the middle of a frame, after 10 of its 100 payload bytes";
        assertEquals(error, proxy.events().await(Closed.class, c -> c.conn() == conn, WAIT).error());
        assertSessionTold(conn, List.of("open 127.0.0.1:PORT → ws://127.0.0.1:PORT/reset",
                "ended abnormally: server dropped the connection without a close frame (" + error + ") · D s"
                        + " · c2s 0 frames 0 msg 0 B · s2c 0 frames 0 msg 12 B"),
                "server", null, error);
    }

    @Test
    void anUpstreamThatNeverAnswersTheUpgradeGets504AfterTheHandshakeTimeout() throws Exception {
        CompletableFuture<Integer> upstreamSaw = new CompletableFuture<>();
        startForward(ex -> upstreamSaw.complete(ex.readToEnd().length));
        String url = "ws://127.0.0.1:" + hostileServer.port() + "/silent";
        String reason = "upstream 127.0.0.1:" + hostileServer.port() + " did not answer the upgrade within 1 s";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            client.write(absoluteUpgrade("/silent"));
            assertArrayEquals(wstapAnswer(504, "Gateway Timeout", reason), client.readToEnd());
            assertWaited(start, 900, 3000);
            conn = httpSeenBy(client).conn();
        }
        assertEquals(0, upstreamSaw.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "the upstream's connection ended, with nothing after the request");
        assertToldOnce(conn, "GET", url, "504 Gateway Timeout", 504, reason);
    }

    @Test
    void anUpstreamThatTricklesItsAnswerGets504WhenTheWholeAnswerIsLate() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch upstreamDone = new CountDownLatch(1);
        startForward(ex -> {
            try {
                trickle(ex.socket(), Handshake.switchingProtocols(ex.request()).encode(), sent);
            } finally {
                upstreamDone.countDown();
            }
        });
        String url = "ws://127.0.0.1:" + hostileServer.port() + "/trickle";
        String reason = "upstream 127.0.0.1:" + hostileServer.port() + " did not answer the upgrade within 1 s";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            client.write(absoluteUpgrade("/trickle"));
            assertArrayEquals(wstapAnswer(504, "Gateway Timeout", reason), client.readToEnd());
            assertWaited(start, 900, 3000);
            conn = httpSeenBy(client).conn();
        }
        assertTrue(upstreamDone.await(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "the upstream's writes failed: wstap closed its connection");
        assertTrue(sent.get() < 60, sent.get() + " bytes of the answer were sent");
        assertToldOnce(conn, "GET", url, "504 Gateway Timeout", 504, reason);
    }

    @Test
    void a101WithAWrongAcceptGets502NamingTheMismatch() throws Exception {
        CompletableFuture<Integer> upstreamSaw = new CompletableFuture<>();
        startForward(ex -> {
            ex.write(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"));
            upstreamSaw.complete(ex.readToEnd().length);
        });
        String url = "ws://127.0.0.1:" + hostileServer.port() + "/bad-accept";
        String reason = "upstream's Sec-WebSocket-Accept 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' does not match the key "
                + "(expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', RFC 6455 §4.1)";
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(absoluteUpgrade("/bad-accept"));
            assertArrayEquals(wstapAnswer(502, "Bad Gateway", reason), client.readToEnd());
            conn = httpSeenBy(client).conn();
        }
        assertEquals(0, upstreamSaw.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "the upstream's connection ended, with nothing after the request");
        assertToldOnce(conn, "GET", url, "502 Bad Gateway", 502, reason);
    }

    // ---- the proxies and the healthy session ----

    /** Reverse mode to Java-WebSocket's echo; the healthy session is open. */
    private void startReverse() throws Exception {
        echo = JavaWebSocketEcho.launch();
        start(ProxyFixture.config("ws://127.0.0.1:" + echo.getPort()), HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build(),
                "ws", "/healthy");
    }

    /** As {@link #startReverse}, with TLS at the listener ({@code wss://}); the healthy client trusts wstap's CA. */
    private void startTls() throws Exception {
        echo = JavaWebSocketEcho.launch();
        start(ProxyFixture.config("ws://127.0.0.1:" + echo.getPort()).withListenTls(cas.wstapTls()),
                TlsReverseTest.jdkClient(cas.clientTrustingWstap()), "wss", "/healthy");
    }

    /** Forward mode; the healthy session goes to Java-WebSocket's echo through a CONNECT tunnel, hostile requests to {@code script}. */
    private void startForward(ScriptedServer.Script script) throws Exception {
        echo = JavaWebSocketEcho.launch();
        hostileServer = ScriptedServer.start(script);
        proxy = ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0)).withHandshakeTimeout(HANDSHAKE_TIMEOUT), dir);
        attachConsole();
        HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
        openHealthy(http, URI.create("ws://127.0.0.1:" + echo.getPort() + "/healthy"));
    }

    private void start(ProxyConfig config, HttpClient http, String scheme, String path) throws Exception {
        proxy = ProxyFixture.start(config.withHandshakeTimeout(HANDSHAKE_TIMEOUT), dir);
        attachConsole();
        openHealthy(http, URI.create(scheme + "://127.0.0.1:" + proxy.port() + path));
    }

    /** The console as {@code wstap proxy} prints it without colour: what a person would see. */
    private void attachConsole() {
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        proxy.tap().attach("console", new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), out, false),
                true, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
    }

    private void openHealthy(HttpClient http, URI uri) throws Exception {
        healthy = JdkWsClient.connect(http, uri);
        healthyConn = proxy.events().await(Opened.class, o -> o.url().endsWith("/healthy"), WAIT).conn();
        assertHealthyEchoes();
        // The thread census sees virtual threads: the healthy session's two pumps are there (and
        // its handshake thread, until it has handed the connections over).
        List<String> pumps = List.of("wstap-" + healthyConn + "-c2s", "wstap-" + healthyConn + "-s2c");
        Poll.until(WAIT, () -> LiveThreads.ofConnection(healthyConn).stream().sorted().toList().equals(pumps),
                () -> "threads " + pumps + ", have " + LiveThreads.ofConnection(healthyConn));
    }

    private void assertHealthyEchoes() throws Exception {
        String text = "still here " + System.nanoTime();
        long echoedBefore = echo.messagesReceived();
        healthy.sendText(text);
        try {
            assertEquals(text, healthy.nextText());
        } catch (AssertionError e) {
            // Which of the three lost it: the JDK client (c2s saw nothing), the echo server (it got the
            // message, s2c saw nothing), or the JDK client's receiving side (s2c forwarded it).
            Session session = proxy.server().sessions().get(healthyConn);
            throw new AssertionError(e.getMessage() + "; wstap's session " + healthyConn + ": c2s "
                    + (session == null ? "gone" : session.traffic(Direction.C2S)) + ", s2c " + (session == null ? "gone" : session.traffic(Direction.S2C))
                    + "; the echo server received " + (echo.messagesReceived() - echoedBefore) + " message(s) meanwhile", e);
        }
    }

    /**
     * Connection {@code conn} left nothing behind (no thread, no session), and the healthy session
     * still echoes and then ends cleanly.
     */
    private void assertOthersUndisturbed(int conn) throws Exception {
        LiveThreads.awaitNoneOfConnection(conn, WAIT);
        assertNull(proxy.server().sessions().get(conn), "connection " + conn + " left a session behind");
        assertEquals(List.of(healthyConn), proxy.server().sessions().all().stream().map(Session::id).toList());
        assertHealthyEchoes();
        healthy.sendClose(1000, "done");
        assertEquals(new JdkWsClient.Close(1000, "done"), healthy.next(JdkWsClient.Close.class));
        proxy.awaitNoSessions(WAIT);
        LiveThreads.awaitNoneOfConnection(healthyConn, WAIT);
    }

    private void awaitEchoConnections(int count) {
        Poll.until(WAIT, () -> echo.getConnections().size() == count,
                () -> "Java-WebSocket to have " + count + " connection(s), it has " + echo.getConnections().size());
    }

    // ---- what was told ----

    /** The console lines (ports and durations masked) and the log records of one connection. */
    private record Told(List<String> console, List<Map<String, Object>> log) {}

    /**
     * Stops the proxy, then collects what the console and the log said about {@code conn}, and checks
     * what they said about the healthy session and that nothing anywhere speaks of an internal error.
     */
    private Told closeAndCollect(int conn) throws IOException {
        List<Map<String, Object>> log = proxy.closeAndReadLog();
        String shown = console.toString(StandardCharsets.UTF_8);
        assertFalse(shown.contains("internal error"), shown);
        assertFalse(proxy.events().events().toString().contains("internal error"));
        assertFalse(log.toString().contains("internal error"));

        List<Map<String, Object>> healthyLog = ofConn(log, healthyConn);
        assertEquals(List.of("open", "frame", "frame", "frame", "frame", "frame", "frame", "close"),
                healthyLog.stream().map(r -> r.get("type")).toList(), "the healthy session: two echoes and a close handshake");
        Map<String, Object> healthyClose = healthyLog.get(healthyLog.size() - 1);
        assertEquals(true, healthyClose.get("clean"));
        assertEquals("client", healthyClose.get("closed_by"));
        assertNull(healthyClose.get("error"));

        List<String> lines = new ArrayList<>();
        String prefix = " #" + conn + " ";
        for (String line : shown.split("\n")) {
            int at = line.indexOf(prefix);
            if (line.startsWith(" ") || at < 0 || !line.substring(0, at).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}")) continue;
            lines.add(masked(line.substring(at + prefix.length())).replaceAll("· \\d+\\.\\d{3} s ·", "· D s ·"));
        }
        return new Told(lines, ofConn(log, conn));
    }

    /** {@code text} with every loopback port written as PORT. */
    private static String masked(String text) {
        return text.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
    }

    private static List<Map<String, Object>> ofConn(List<Map<String, Object>> log, int conn) {
        return log.stream().filter(r -> Long.valueOf(conn).equals(r.get("conn"))).toList();
    }

    /**
     * The client of {@code conn} was answered {@code answer} ({@code 408 Request Timeout}, or {@code
     * no response}) to its {@code method} request for {@code url} ({@code "-"} for none): one
     * console line and one record say why, and nobody else noticed.
     */
    private void assertToldOnce(int conn, String method, String url, String answer, int status, String reason) throws Exception {
        assertOthersUndisturbed(conn);
        Told told = closeAndCollect(conn);
        String request = method.equals("-") ? "127.0.0.1:PORT sent no request" : method + " " + url;
        assertEquals(List.of(masked(request + " → " + answer + ": " + reason)), told.console());
        assertHttpRecord(told, method, url, status, reason);
    }

    /** Exactly one record, an {@code http} one, as the console line said; returns it. */
    private static Map<String, Object> assertHttpRecord(Told told, String method, String url, int status, String error) {
        assertEquals(1, told.log().size(), "one record: " + told.log());
        Map<String, Object> r = told.log().get(0);
        assertEquals("http", r.get("type"));
        assertEquals(method, r.get("method"));
        assertEquals(url, r.get("url"));
        assertEquals((long) status, r.get("status"));
        if (error != null) assertEquals(error, ((String) r.get("error")).replaceAll("127\\.0\\.0\\.1:\\d+ failed", "127.0.0.1:PORT failed"));
        return r;
    }

    /**
     * The session {@code conn} was told as {@code console} says, and its log holds an {@code open}
     * record, frame records only for frames that crossed whole, and one {@code close} record, not
     * clean, with {@code closedBy}, {@code code} and {@code error}; nobody else noticed.
     */
    private void assertSessionTold(int conn, List<String> console, String closedBy, Long code, String error) throws Exception {
        assertOthersUndisturbed(conn);
        Told told = closeAndCollect(conn);
        assertEquals(console, told.console());
        List<Object> types = told.log().stream().map(r -> r.get("type")).toList();
        assertEquals("open", types.get(0), types.toString());
        assertEquals("close", types.get(types.size() - 1), types.toString());
        assertEquals(1, types.stream().filter("close"::equals).count(), types.toString());
        Map<String, Object> close = told.log().get(types.size() - 1);
        assertEquals(closedBy, close.get("closed_by"));
        assertEquals(code, close.get("code"));
        assertEquals(false, close.get("clean"));
        assertEquals(error, close.get("error"));
    }

    // ---- peers ----

    private HttpSeen httpSeenBy(RawClient client) {
        String address = "127.0.0.1:" + client.localPort();
        return proxy.events().await(HttpSeen.class, e -> e.client().equals(address), WAIT);
    }

    private Opened openedBy(RawClient client) {
        String address = "127.0.0.1:" + client.localPort();
        return proxy.events().await(Opened.class, e -> e.client().equals(address), WAIT);
    }

    /** An upgrade to the hostile server in absolute form ({@code GET ws://host:port/path}), as a forward proxy's client sends it. */
    private byte[] absoluteUpgrade(String path) {
        String authority = "127.0.0.1:" + hostileServer.port();
        return Handshake.clientRequest(authority, "ws://" + authority + path, RawClient.KEY, List.of()).encode();
    }

    /**
     * A client that sends {@code bytes} one every {@link #TRICKLE_MILLIS} ms: wstap must drop it after the handshake
     * timeout (1 s), well before half of them went; {@code answer} checks what it got back.
     *
     * @return the connection's number
     */
    private int trickleUntilDropped(byte[] bytes, java.util.function.Consumer<byte[]> answer) throws Exception {
        Thread trickler;
        int conn;
        try (RawClient client = RawClient.connect(proxy.port())) {
            long start = System.nanoTime();
            AtomicInteger sent = new AtomicInteger();
            trickler = Thread.ofVirtual().start(() -> trickle(client.socket(), bytes, sent));
            answer.accept(client.readToEnd());
            assertWaited(start, 900, 3000);
            assertTrue(sent.get() < bytes.length / 2, sent.get() + " of " + bytes.length + " bytes were sent");
            conn = httpSeenBy(client).conn();
        }
        trickler.join(WAIT); // its next write fails: the connection is closed
        return conn;
    }

    /** Writes {@code bytes} one at a time, {@link #TRICKLE_MILLIS} apart, until done or the other side is gone. */
    private static void trickle(Socket socket, byte[] bytes, AtomicInteger sent) {
        try {
            for (byte b : bytes) {
                socket.getOutputStream().write(b);
                sent.incrementAndGet();
                Thread.sleep(TRICKLE_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // The other side hung up: that is the point.
        }
    }

    /** A TLS ClientHello for 127.0.0.1, as the first flight of a client that trusts wstap. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = cas.clientTrustingWstap().createSSLEngine("127.0.0.1", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static void assertWaited(long startNanos, long minMillis, long maxMillis) {
        long waited = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(waited >= minMillis && waited < maxMillis, "answered after " + waited + " ms, expected " + minMillis + "-" + maxMillis);
    }

    /** wstap's own answer as a client must see it: a complete response whose body names the reason. */
    private static byte[] wstapAnswer(int status, String phrase, String reason) {
        byte[] body = utf8("wstap: " + reason + "\n");
        return Bytes.concat(ascii("HTTP/1.1 " + status + " " + phrase + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n"), body);
    }
}
