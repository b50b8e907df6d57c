package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.HttpMessages;
import dev.wstap.testing.JdkHttpOrigin;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.RecordingRelay;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --proxy-auth u:p}: Basic proxy authentication (RFC 9110 §11.7, RFC 7617). Without the
 * right {@code Proxy-Authorization} a client gets a 407 with {@code Proxy-Authenticate}; with it,
 * CONNECT and absolute-form requests go through, and the header, meant for wstap alone
 * (RFC 9110 §11.7.2), never reaches the server.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardProxyAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x01020304;
    private static final String RIGHT = "Basic " + Base64.getEncoder().encodeToString(ascii("u:p")); // dTpw
    private static final String WRONG = "Basic " + Base64.getEncoder().encodeToString(ascii("u:wrong"));

    @TempDir
    Path dir;

    private EchoServer echo;
    private JdkHttpOrigin origin;
    private RecordingRelay toOrigin;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
        origin = JdkHttpOrigin.start();
        toOrigin = RecordingRelay.to(origin.port());
        proxy = ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0)).withProxyAuth(ProxyAuth.parse("u:p")), dir);
    }

    @AfterEach
    void stop() {
        proxy.close();
        toOrigin.close();
        origin.close();
        echo.close();
    }

    @Test
    void aConnectWithoutCredentialsGetsA407InvitingBasicAuthentication() throws Exception {
        String reason = "this proxy needs a user name and password (--proxy-auth)";
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(connect(echo.port(), null));

            assertEquals(proxyAuthRequired(reason), new String(client.readToEnd(), StandardCharsets.UTF_8));
        }
        HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
        assertEquals("CONNECT", seen.method());
        assertEquals("127.0.0.1:" + echo.port(), seen.url());
        assertEquals(407, seen.status());
        assertEquals(reason, seen.error());
    }

    @Test
    void aConnectWithWrongCredentialsGetsA407() throws Exception {
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(connect(echo.port(), WRONG));

            assertEquals(proxyAuthRequired("wrong proxy user name or password"),
                    new String(client.readToEnd(), StandardCharsets.UTF_8));
        }
        assertEquals(407, proxy.events().await(HttpSeen.class, WAIT).status());
    }

    @Test
    void theSchemeNameIsCaseInsensitive() throws Exception {
        // RFC 9110 §11.1: "basic" is as good as "Basic".
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(connect(echo.port(), RIGHT.replace("Basic ", "basic  ")));
            assertArrayEquals(ascii("HTTP/1.1 200 Connection established\r\n\r\n"), client.readHead());
        }
    }

    @Test
    void aConnectWithTheRightCredentialsOpensTheTunnel() throws Exception {
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(connect(echo.port(), RIGHT));
            assertArrayEquals(ascii("HTTP/1.1 200 Connection established\r\n\r\n"), client.readHead());
            client.upgrade("/authed");
            client.write(FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("Hello")));
            assertArrayEquals(ascii("\u0081\u0005Hello"), client.readExactly(7)); // 81 05: FIN text, 5 bytes, unmasked
        }
        assertEquals("ws://127.0.0.1:" + echo.port() + "/authed", proxy.events().await(Opened.class, WAIT).url());
    }

    @Test
    void anAbsoluteFormRequestWithoutCredentialsGetsA407() throws Exception {
        int port = toOrigin.port();
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("GET http://127.0.0.1:" + port + "/hello?x HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));

            HttpMessages.Response answer = HttpMessages.readResponse(client);
            assertEquals("HTTP/1.1 407 Proxy Authentication Required", answer.statusLine());
            assertEquals(true, answer.head().contains("\r\nProxy-Authenticate: Basic realm=\"wstap\"\r\n"), answer.head());
        }
        assertEquals(0, toOrigin.connectionCount(), "nothing reached the server");
    }

    @Test
    void theProxyAuthorizationHeaderIsNotPassedOnToTheServer() throws Exception {
        int port = toOrigin.port();
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("GET http://127.0.0.1:" + port + "/hello?authed HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nProxy-Authorization: " + RIGHT + "\r\nProxy-Connection: keep-alive\r\nAccept: */*\r\n\r\n"));

            assertEquals("hello, authed\n", HttpMessages.readResponse(client).bodyText());
            assertEquals("GET /hello?authed HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n",
                    new String(toOrigin.connection(0, WAIT).c2s(), StandardCharsets.ISO_8859_1));
        }
        JdkHttpOrigin.Seen seen = origin.seen().get(0);
        assertEquals("/hello?authed", seen.uri());
        assertFalse(seen.headers().containsKey("Proxy-authorization"), seen.headers().toString());
        assertFalse(seen.headers().containsKey("Proxy-connection"), seen.headers().toString());
        assertEquals(List.of("*/*"), seen.headers().get("Accept"));
    }

    private static byte[] connect(int port, String authorization) {
        return ascii("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n");
    }

    /** The whole 407 answer, as RFC 9110 §15.5.8 wants it: with a Proxy-Authenticate challenge. */
    private static String proxyAuthRequired(String reason) {
        String body = "wstap: " + reason + "\n";
        return "HTTP/1.1 407 Proxy Authentication Required\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + Bytes.utf8(body).length + "\r\n"
                + "Proxy-Authenticate: Basic realm=\"wstap\"\r\n"
                + "Connection: close\r\n\r\n"
                + body;
    }
}
