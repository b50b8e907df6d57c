package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.HttpMessages;
import dev.wstap.testing.HttpMessages.Response;
import dev.wstap.testing.JdkHttpOrigin;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.RecordingRelay;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward mode without TLS, spoken byte by byte: a WebSocket upgrade inside a CONNECT tunnel and
 * in absolute form ({@code GET ws://host/path}, RFC 9112 §3.2.2), and plain HTTP in absolute form
 * to the JDK's own HTTP server, kept alive, chunked, with request bodies. A recording relay in front
 * of each server shows what wstap sent it and what came back, so the client's bytes can be compared
 * with the server's.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x0a0b0c0d;

    @TempDir
    Path dir;

    private EchoServer echo;
    private JdkHttpOrigin origin;
    private RecordingRelay toEcho;
    private RecordingRelay toOrigin;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
        origin = JdkHttpOrigin.start();
        toEcho = RecordingRelay.to(echo.port());
        toOrigin = RecordingRelay.to(origin.port());
        proxy = ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0)), dir);
    }

    @AfterEach
    void stop() {
        proxy.close();
        toEcho.close();
        toOrigin.close();
        origin.close();
        echo.close();
    }

    @Test
    void aPlainWebSocketUpgradeInsideAConnectTunnelReachesTheServerUnchanged() throws Exception {
        int port = toEcho.port();
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));
            assertArrayEquals(ascii("HTTP/1.1 200 Connection established\r\n\r\n"), client.readHead());
            byte[] upgrade = RawClient.upgradeRequest(port, "/tunnel?x=1", List.of());
            client.write(upgrade);
            byte[] answer = client.readHead();
            client.write(FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("Hello")));
            assertArrayEquals(ascii("\u0081\u0005Hello"), client.readExactly(7)); // 81 05: FIN text, 5 bytes, unmasked

            RecordingRelay.Connection atServer = toEcho.connection(0, WAIT);
            assertEquals(new String(upgrade, StandardCharsets.ISO_8859_1), Bytes.head(atServer.c2s()));
            Poll.until(WAIT, () -> atServer.s2c().length == answer.length + 7, "the echo at the relay");
            assertArrayEquals(Bytes.concat(answer, ascii("\u0081\u0005Hello")), atServer.s2c());
        }
        Opened opened = proxy.events().await(Opened.class, WAIT);
        assertEquals("ws://127.0.0.1:" + port + "/tunnel?x=1", opened.url());
        assertNull(opened.clientTls());
    }

    @Test
    void anAbsoluteFormUpgradeGoesOutInOriginForm() throws Exception {
        int port = toEcho.port();
        try (RawClient client = RawClient.connect(proxy.port())) {
            String upgrade = new String(RawClient.upgradeRequest(port, "ws://127.0.0.1:" + port + "/abs?y=2", List.of()),
                    StandardCharsets.ISO_8859_1);
            client.write(ascii(upgrade));
            assertEquals("HTTP/1.1 101 Switching Protocols", new String(client.readHead(), StandardCharsets.ISO_8859_1)
                    .lines().findFirst().orElseThrow());
            client.write(FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("Hello")));
            assertArrayEquals(ascii("\u0081\u0005Hello"), client.readExactly(7));

            // RFC 9112 §3.2.2: the request line towards the server carries the path only; Host stays.
            String expected = upgrade.replace("GET ws://127.0.0.1:" + port + "/abs?y=2 HTTP/1.1", "GET /abs?y=2 HTTP/1.1");
            assertEquals(expected, Bytes.head(toEcho.connection(0, WAIT).c2s()));
        }
        assertEquals("ws://127.0.0.1:" + port + "/abs?y=2", proxy.events().await(Opened.class, WAIT).url());
    }

    @Test
    void twoRequestsOnOneKeptAliveConnectionAreBothAnsweredByteForByte() throws Exception {
        int port = toOrigin.port();
        byte[] first = ascii("GET http://127.0.0.1:" + port + "/hello?n=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUser-Agent: raw-test\r\n\r\n");
        byte[] second = ascii("GET http://127.0.0.1:" + port + "/hello?n=2 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/plain\r\n\r\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(first);
            Response one = HttpMessages.readResponse(client);
            client.write(second);
            Response two = HttpMessages.readResponse(client);

            assertEquals("HTTP/1.1 200 OK", one.statusLine());
            assertEquals("hello, n=1\n", one.bodyText());
            assertEquals("HTTP/1.1 200 OK", two.statusLine());
            assertEquals("hello, n=2\n", two.bodyText());
            RecordingRelay.Connection atServer = toOrigin.connection(0, WAIT);
            assertEquals("GET /hello?n=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: raw-test\r\n\r\n"
                    + "GET /hello?n=2 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/plain\r\n\r\n",
                    new String(atServer.c2s(), StandardCharsets.ISO_8859_1));
            assertArrayEquals(Bytes.concat(one.raw(), two.raw()), atServer.s2c(), "what the server sent, byte for byte");
            assertEquals(1, toOrigin.connectionCount(), "one upstream connection for both");
        }
        Poll.until(WAIT, () -> proxy.events().events(HttpSeen.class).size() == 2, "two http events");
        List<HttpSeen> seen = proxy.events().events(HttpSeen.class);
        assertEquals(List.of("http://127.0.0.1:" + port + "/hello?n=1", "http://127.0.0.1:" + port + "/hello?n=2"),
                seen.stream().map(HttpSeen::url).toList());
        assertEquals(seen.get(0).conn(), seen.get(1).conn(), "same client connection");
        for (HttpSeen s : seen) {
            assertEquals("GET", s.method());
            assertEquals(200, s.status());
            assertEquals(false, s.isUpgrade());
            assertNull(s.error());
        }
    }

    @Test
    void aChunkedResponseIsRelayedIntactAndTheConnectionCarriesTheNextRequest() throws Exception {
        int port = toOrigin.port();
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("GET http://127.0.0.1:" + port + "/chunked HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));
            Response chunked = HttpMessages.readResponse(client);
            client.write(ascii("GET http://127.0.0.1:" + port + "/hello?after HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));
            Response after = HttpMessages.readResponse(client);

            assertEquals(true, chunked.isChunked(), chunked.head());
            assertEquals(String.join("", JdkHttpOrigin.CHUNKS), chunked.bodyText());
            assertEquals("hello, after\n", after.bodyText());
            RecordingRelay.Connection atServer = toOrigin.connection(0, WAIT);
            assertArrayEquals(Bytes.concat(chunked.raw(), after.raw()), atServer.s2c());
            assertEquals(1, toOrigin.connectionCount());
        }
    }

    @Test
    void aPostBodyReachesTheServerWithContentLengthAndChunked() throws Exception {
        int port = toOrigin.port();
        byte[] withLength = ascii("POST http://127.0.0.1:" + port + "/upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world");
        byte[] chunkedBody = ascii("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        byte[] chunkedHead = ascii("POST http://127.0.0.1:" + port + "/upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(withLength);
            Response one = HttpMessages.readResponse(client);
            client.write(chunkedHead, chunkedBody);
            Response two = HttpMessages.readResponse(client);

            assertEquals("got 11 bytes: hello world", one.bodyText());
            assertEquals("got 11 bytes: hello world", two.bodyText());
            assertEquals("POST /upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world"
                    + "POST /upload HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                    new String(toOrigin.connection(0, WAIT).c2s(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(List.of("POST", "POST"), origin.seen().stream().map(JdkHttpOrigin.Seen::method).toList());
    }

    @Test
    void anOriginFormRequestIsRefusedWithA400ThatExplainsForwardMode() throws Exception {
        String reason = "wstap is running as a forward proxy (no --upstream): configure it as the client's HTTP proxy, "
                + "or start it with --upstream URL to relay '/chat' to one server";
        byte[] body = utf8("wstap: " + reason + "\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/chat", List.of()));

            assertEquals("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n", new String(client.readHead(), StandardCharsets.ISO_8859_1));
            assertArrayEquals(body, client.readToEnd());
        }
        HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
        assertEquals(400, seen.status());
        assertEquals(reason, seen.error());
        assertEquals(true, seen.isUpgrade());
    }

    @Test
    void aRequestWithTransferEncodingAndContentLengthIsRefusedBeforeTheServerIsAsked() throws Exception {
        int port = toOrigin.port();
        // A peer that read 5 bytes of body would take "GET /smuggled" for a second request; one that read chunks, not.
        byte[] smuggling = ascii("POST http://127.0.0.1:" + port + "/upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(smuggling);
            assertEquals("HTTP/1.1 400 Bad Request", HttpMessages.readResponse(client).statusLine());
        }
        HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
        assertEquals("both Transfer-Encoding and Content-Length: peers could disagree on where the body ends (RFC 9112 §6.3)",
                seen.error());
        assertEquals(0, toOrigin.connectionCount(), "the server was never asked");
    }

    @Test
    void aChunkRunningPastItsSizeEndsTheExchangeAndNothingAfterItReachesTheServer() throws Exception {
        int port = toOrigin.port();
        // 3\r\nhello\r\n: a lenient reader skips "lo" and reads on; the GET after the body would be a second request.
        byte[] request = ascii("POST http://127.0.0.1:" + port + "/upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(request);
            assertEquals("HTTP/1.1 400 Bad Request", HttpMessages.readResponse(client).statusLine());
        }
        HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
        assertEquals("chunk data runs past the size its line gave: 'lo' before the CRLF", seen.error());
        RecordingRelay.Connection atServer = toOrigin.connection(0, WAIT).awaitEnded(WAIT);
        String sent = new String(atServer.c2s(), StandardCharsets.ISO_8859_1);
        assertEquals(false, sent.contains("smuggled"), sent);
        assertEquals(List.of(), origin.seen().stream().map(JdkHttpOrigin.Seen::uri).filter(u -> u.contains("smuggled")).toList());
    }
}
