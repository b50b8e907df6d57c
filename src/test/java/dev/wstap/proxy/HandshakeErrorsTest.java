package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.tap.HttpSeen;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariants 5 and 6 on real sockets: every way a handshake can go wrong gets an answer a person
 * can act on (or the upstream's own answer, verbatim), is logged as an {@code http} record, and
 * disturbs nobody else. Each test opens a WebSocket session before the failure and checks after it
 * that this session still works and that a new one can start, through the same proxy.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandshakeErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final int KEY = 0x0badf00d;

    @TempDir
    Path dir;

    private ScriptedServer upstream;
    private ProxyFixture proxy;
    private RawClient before;

    /** Answers by request target: refusals, a wrong accept, plain HTTP; anything else is upgraded and echoed raw. */
    private static void upstreamScript(ScriptedServer.Exchange ex) throws Exception {
        String target = ex.request().target();
        switch (target) {
            case "/base/refuse/401" -> answerAndDrain(ex, REFUSALS.get(0));
            case "/base/refuse/403" -> answerAndDrain(ex, REFUSALS.get(1));
            case "/base/refuse/302" -> answerAndDrain(ex, REFUSALS.get(2));
            case "/base/slow-refusal" -> {
                ex.write(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 12\r\n\r\nnot "));
                Thread.sleep(HANDSHAKE_TIMEOUT.toMillis() + 500); // the rest of the body comes after the handshake timeout
                answerAndDrain(ex, ascii("allowed\n"));
            }
            case "/base/bad-accept" -> answerAndDrain(ex, ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"));
            case "/base/silent" -> drain(ex); // never answers; waits for wstap to give up
            case "/base/hang-up" -> ex.socket().close();
            case "/base/ssh" -> {
                ex.write(ascii("SSH-2.0-OpenSSH_9.2\r\n")); // not an HTTP server at all
                ex.socket().close();
            }
            case "/base/plain?x=1" -> answerAndDrain(ex, PLAIN_ANSWER);
            case "/base/upload" -> {
                if (!new String(ex.readExactly(5), StandardCharsets.US_ASCII).equals("hello")) throw new AssertionError("body lost");
                answerAndDrain(ex, PLAIN_ANSWER);
            }
            case "/base/slow-plain" -> {
                Thread.sleep(HANDSHAKE_TIMEOUT.toMillis() + 500); // answers only after the handshake timeout
                answerAndDrain(ex, PLAIN_ANSWER);
            }
            default -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                // Raw echo: whatever arrives goes back unchanged until the client half-closes.
                InputStream in = ex.input();
                OutputStream out = ex.socket().getOutputStream();
                ex.socket().setSoTimeout(0);
                in.transferTo(out);
                ex.shutdownOutput();
            }
        }
    }

    private static final List<byte[]> REFUSALS = List.of(
            ascii("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"wstap-test\"\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nlog in first\n"),
            ascii("HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nX-Request-Id: 42\r\n"
                    + "Content-Length: 24\r\n\r\n{\"error\":\"not allowed\"}\n"),
            ascii("HTTP/1.1 302 Found\r\nLocation: ws://elsewhere.example/chat\r\nContent-Length: 0\r\n\r\n"));

    private static final byte[] PLAIN_ANSWER = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 12\r\nX-Upstream: scripted\r\n\r\nhello, http\n");

    private static void answerAndDrain(ScriptedServer.Exchange ex, byte[] answer) throws IOException {
        ex.write(answer);
        ex.shutdownOutput();
        drain(ex);
    }

    private static void drain(ScriptedServer.Exchange ex) {
        try {
            ex.readToEnd();
        } catch (IOException ignored) {
            // wstap may drop the connection once the answer is through; that is its right.
        }
    }

    @BeforeEach
    void start() throws Exception {
        upstream = ScriptedServer.start(HandshakeErrorsTest::upstreamScript);
        proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port() + "/base")
                .withHandshakeTimeout(HANDSHAKE_TIMEOUT), dir);
        before = openSession(proxy);
    }

    @AfterEach
    void stop() throws Exception {
        if (before != null) before.close();
        if (proxy != null) proxy.close();
        if (upstream != null) upstream.close();
    }

    @Test
    void unreachableUpstreamGets502WithTheReason() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (ProxyFixture lonely = ProxyFixture.start("ws://127.0.0.1:" + deadPort + "/base", java.nio.file.Files.createDirectories(dir.resolve("lonely")))) {
            String reason = "upstream 127.0.0.1:" + deadPort + " refused the connection (is the server running?)";
            try (RawClient client = RawClient.connect(lonely.port())) {
                client.write(RawClient.upgradeRequest(lonely.port(), "/ok", List.of()));
                assertArrayEquals(wstapAnswer(502, "Bad Gateway", reason), client.readToEnd());
            }
            assertHttpSeen(lonely, "GET", "ws://127.0.0.1:" + deadPort + "/base/ok", 502, "Bad Gateway", reason);

            // Once the upstream is there, the same proxy serves sessions again.
            try (ScriptedServer late = ScriptedServer.start(deadPort, HandshakeErrorsTest::upstreamScript)) {
                try (RawClient session = openSession(lonely)) {
                    assertEchoes(session);
                    session.shutdownOutput();
                    assertEquals(-1, session.read());
                }
                lonely.awaitNoSessions(WAIT);
                late.assertNoFailures();
            }
            assertLoggedHttp(lonely.closeAndReadLog(), "GET", "ws://127.0.0.1:" + deadPort + "/base/ok", 502, "Bad Gateway", reason);
        }
        assertOthersUndisturbed(0);
    }

    @Test
    void garbageInsteadOfHttpGets400() throws Exception {
        String reason = "malformed request line 'hello'";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("hello\r\n\r\n"));
            assertArrayEquals(wstapAnswer(400, "Bad Request", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "-", "-", 400, "Bad Request", reason);
        assertOthersUndisturbed(0);
        assertLoggedHttp(proxy.closeAndReadLog(), "-", "-", 400, "Bad Request", reason);
    }

    @Test
    void aTlsClientHelloGets400AtOnceNotATimeout() throws Exception {
        // A ClientHello never contains a blank line: without an early check this would wait for the 408.
        String reason = "a TLS handshake arrived instead of HTTP (a wss:// or https:// client on a plain ws:// listener?)";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
            assertArrayEquals(wstapAnswer(400, "Bad Request", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "-", "-", 400, "Bad Request", reason);
        assertOthersUndisturbed(0);
        assertLoggedHttp(proxy.closeAndReadLog(), "-", "-", 400, "Bad Request", reason);
    }

    @Test
    void headersOver64KiBGet431() throws Exception {
        String start = "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ";
        // One byte over the limit and no blank line: wstap has read every byte when it gives up.
        byte[] request = ascii(start + "a".repeat(64 * 1024 + 1 - start.length()));
        assertEquals(65537, request.length);
        String reason = "headers exceed 65536 bytes";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(request);
            assertArrayEquals(wstapAnswer(431, "Request Header Fields Too Large", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "-", "-", 431, "Request Header Fields Too Large", reason);
        assertOthersUndisturbed(0);
        assertLoggedHttp(proxy.closeAndReadLog(), "-", "-", 431, "Request Header Fields Too Large", reason);
    }

    @Test
    void aClientStillSendingHeadersGetsThe431NotAReset() throws Exception {
        // 200 KiB of header: wstap stops reading at 64 KiB, answers, and must drain the rest before
        // closing, or TCP would reset the connection and take the answer with it.
        byte[] request = ascii("GET /ok HTTP/1.1\r\nX-Big: " + "a".repeat(200 * 1024) + "\r\n\r\n");
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(request);
            assertArrayEquals(wstapAnswer(431, "Request Header Fields Too Large", "headers exceed 65536 bytes"), client.readToEnd());
        }
        assertOthersUndisturbed(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {401, 403, 302})
    void refusedUpgradeReachesTheClientVerbatim(int status) throws Exception {
        byte[] answer = REFUSALS.get(List.of(401, 403, 302).indexOf(status));
        String phrase = new String(answer, StandardCharsets.ISO_8859_1).split("\r\n")[0].substring(13);
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/refuse/" + status, List.of()));
            assertArrayEquals(answer, client.readToEnd(), "status line, headers and body byte for byte");
        }
        String url = "ws://127.0.0.1:" + upstream.port() + "/base/refuse/" + status;
        assertHttpSeen(proxy, "GET", url, status, phrase, null);
        assertOthersUndisturbed(1);
        assertLoggedHttp(proxy.closeAndReadLog(), "GET", url, status, phrase, null);
    }

    @Test
    void refusalWhoseBodyComesAfterTheHandshakeTimeoutArrivesWhole() throws Exception {
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/slow-refusal", List.of()));
            assertArrayEquals(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 12\r\n\r\nnot allowed\n"), client.readToEnd());
        }
        assertOthersUndisturbed(1);
    }

    @Test
    void wrongAcceptGets502NamingTheMismatch() throws Exception {
        String reason = "upstream's Sec-WebSocket-Accept 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' does not match the key "
                + "(expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', RFC 6455 §4.1)";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/bad-accept", List.of()));
            assertArrayEquals(wstapAnswer(502, "Bad Gateway", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "GET", "ws://127.0.0.1:" + upstream.port() + "/base/bad-accept", 502, "Bad Gateway", reason);
        assertOthersUndisturbed(1);
        assertLoggedHttp(proxy.closeAndReadLog(), "GET", "ws://127.0.0.1:" + upstream.port() + "/base/bad-accept", 502, "Bad Gateway", reason);
    }

    @Test
    void silentUpstreamGets504AfterTheHandshakeTimeout() throws Exception {
        String reason = "upstream 127.0.0.1:" + upstream.port() + " did not answer the upgrade within 1 s";
        long startNanos = System.nanoTime();
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/silent", List.of()));
            byte[] answer = client.readToEnd();
            long waitedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            assertArrayEquals(wstapAnswer(504, "Gateway Timeout", reason), answer);
            assertTrue(waitedMillis >= 900 && waitedMillis < 4000, "answered after " + waitedMillis + " ms");
        }
        assertHttpSeen(proxy, "GET", "ws://127.0.0.1:" + upstream.port() + "/base/silent", 504, "Gateway Timeout", reason);
        assertOthersUndisturbed(1);
        assertLoggedHttp(proxy.closeAndReadLog(), "GET", "ws://127.0.0.1:" + upstream.port() + "/base/silent", 504, "Gateway Timeout", reason);
    }

    @Test
    void upstreamHangingUpWithoutAnAnswerGets502() throws Exception {
        String reason = "upstream 127.0.0.1:" + upstream.port() + " closed the connection without answering";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/hang-up", List.of()));
            assertArrayEquals(wstapAnswer(502, "Bad Gateway", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "GET", "ws://127.0.0.1:" + upstream.port() + "/base/hang-up", 502, "Bad Gateway", reason);
        assertOthersUndisturbed(1);
        assertLoggedHttp(proxy.closeAndReadLog(), "GET", "ws://127.0.0.1:" + upstream.port() + "/base/hang-up", 502, "Bad Gateway", reason);
    }

    @Test
    void upstreamThatIsNoHttpServerGets502QuotingWhatItSaid() throws Exception {
        String reason = "upstream 127.0.0.1:" + upstream.port() + " closed the connection after 21 bytes that are no HTTP response: "
                + "'SSH-2.0-OpenSSH_9.2\\x0d\\x0a'";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/ssh", List.of()));
            assertArrayEquals(wstapAnswer(502, "Bad Gateway", reason), client.readToEnd());
        }
        assertHttpSeen(proxy, "GET", "ws://127.0.0.1:" + upstream.port() + "/base/ssh", 502, "Bad Gateway", reason);
    }

    @Test
    void silentClientGets408AfterTheHandshakeTimeout() throws Exception {
        String reason = "no complete request within 1 s";
        long startNanos = System.nanoTime();
        try (RawClient client = RawClient.connect(proxy.port())) {
            byte[] answer = client.readToEnd();
            long waitedMillis = (System.nanoTime() - startNanos) / 1_000_000;
            assertArrayEquals(wstapAnswer(408, "Request Timeout", reason), answer);
            assertTrue(waitedMillis >= 900 && waitedMillis < 4000, "answered after " + waitedMillis + " ms");
        }
        assertHttpSeen(proxy, "-", "-", 408, "Request Timeout", reason);
        assertOthersUndisturbed(0);
        assertLoggedHttp(proxy.closeAndReadLog(), "-", "-", 408, "Request Timeout", reason);
    }

    @Test
    void plainHttpGetIsRelayedAndAnsweredVerbatim() throws Exception {
        String request = "GET /plain?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port() + "\r\nAccept: text/plain\r\n"
                + "Connection: close\r\n\r\n";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii(request));
            assertArrayEquals(PLAIN_ANSWER, client.readToEnd());
        }
        assertEquals("GET /base/plain?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port() + "\r\nAccept: text/plain\r\n"
                + "Connection: close\r\n\r\n", new String(upstream.exchange(1, WAIT).head(), StandardCharsets.ISO_8859_1));
        assertHttpSeen(proxy, "GET", "http://127.0.0.1:" + upstream.port() + "/base/plain?x=1", 200, "OK", null);
        assertOthersUndisturbed(1);
        assertLoggedHttp(proxy.closeAndReadLog(), "GET", "http://127.0.0.1:" + upstream.port() + "/base/plain?x=1", 200, "OK", null);
    }

    @Test
    void plainHttpRequestBodyReachesTheUpstream() throws Exception {
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"));
            // Kept alive: the answer is framed by its Content-Length, and the connection stays open.
            assertArrayEquals(PLAIN_ANSWER, client.readExactly(PLAIN_ANSWER.length));
        }
        assertOthersUndisturbed(1);
    }

    @Test
    void slowPlainHttpAnswerIsNotCutOffByTheHandshakeTimeout() throws Exception {
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("GET /slow-plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            assertArrayEquals(PLAIN_ANSWER, client.readExactly(PLAIN_ANSWER.length));
        }
        assertOthersUndisturbed(1);
    }

    /** A WebSocket session through {@code p} to the raw echo, open and checked once. */
    private static RawClient openSession(ProxyFixture p) throws IOException {
        RawClient client = RawClient.connect(p.port());
        client.upgrade("/ok");
        assertEchoes(client);
        return client;
    }

    private static void assertEchoes(RawClient client) throws IOException {
        byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("still here " + System.nanoTime()));
        client.write(frame);
        assertArrayEquals(frame, client.readExactly(frame.length));
    }

    /**
     * The session opened before the failure still echoes, a new one works too, and both end
     * cleanly; {@code failedRequests} is how many of the failed requests reached the upstream.
     */
    private void assertOthersUndisturbed(int failedRequests) throws IOException {
        assertEchoes(before);
        try (RawClient after = openSession(proxy)) {
            assertEchoes(after);
            after.shutdownOutput();
            assertEquals(-1, after.read());
        }
        before.shutdownOutput();
        assertEquals(-1, before.read());
        proxy.awaitNoSessions(WAIT);
        assertEquals(2 + failedRequests, upstream.requestCount(), "requests that reached the upstream");
        upstream.assertNoFailures();
    }

    private static void assertHttpSeen(ProxyFixture p, String method, String url, int status, String phrase, String error) {
        HttpSeen e = p.events().await(HttpSeen.class, WAIT);
        assertEquals(method, e.method());
        assertEquals(url, e.url());
        assertEquals(status, e.status());
        assertEquals(phrase, e.reason());
        assertEquals(error, e.error());
        assertTrue(e.client().startsWith("127.0.0.1:"), e.client());
    }

    /** Exactly one {@code http} record, saying what {@link #assertHttpSeen} saw. */
    private static void assertLoggedHttp(List<Map<String, Object>> log, String method, String url, int status, String phrase,
                                         String error) {
        List<Map<String, Object>> http = log.stream().filter(r -> "http".equals(r.get("type"))).toList();
        assertEquals(1, http.size(), "http records in " + log);
        Map<String, Object> r = http.get(0);
        assertEquals(List.of("v", "type", "ts", "conn", "client", "method", "url", "upgrade", "status", "reason", "error"), List.copyOf(r.keySet()));
        assertEquals(url.startsWith("ws"), r.get("upgrade"), "upgrade requests are the ones relayed to a ws:// URL");
        assertEquals(1L, r.get("v"));
        assertEquals(method, r.get("method"));
        assertEquals(url, r.get("url"));
        assertEquals((long) status, r.get("status"));
        assertEquals(phrase, r.get("reason"));
        assertEquals(error, r.get("error"));
        assertTrue(((String) r.get("client")).startsWith("127.0.0.1:"), (String) r.get("client"));
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
