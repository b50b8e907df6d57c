package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.TlsContexts;
import dev.wstap.tls.TlsInfo;
import dev.wstap.tls.UpstreamTls;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverse mode with TLS on both sides: a JDK client that trusts only wstap's CA talks wss:// to
 * wstap, which talks wss:// to a server whose certificate comes from another CA (wstap's echo
 * server, then Java-WebSocket's). wstap verifies that server against {@code --upstream-ca}, or
 * not at all with {@code --insecure}, and refuses it with a 502 saying what to do otherwise.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsReverseTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path caDir;

    @TempDir
    Path dir;

    private static CaPair cas;

    @BeforeAll
    static void makeCas() {
        cas = CaPair.in(caDir);
    }

    @Test
    void messagesRoundTripWithTlsOnBothSidesAndTheOpenRecordSaysWhatTlsAgreed() throws Exception {
        List<String> echoLog = new CopyOnWriteArrayList<>();
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), cas.serverTls(), echoLog::add).start();
             ProxyFixture proxy = ProxyFixture.start(config(echo.port(), cas.upstreamTrustingServerCa()), dir)) {
            try (JdkWsClient client = JdkWsClient.connect(jdkClient(cas.clientTrustingWstap()),
                    URI.create("wss://127.0.0.1:" + proxy.port() + "/chat"))) {
                client.sendText("hello over TLS");
                assertEquals("hello over TLS", client.nextText());
                byte[] binary = Bytes.pattern(100_000);
                client.sendBinary(binary);
                assertArrayEquals(binary, client.nextBinary());
                client.sendClose(1000, "done");
                assertEquals(new JdkWsClient.Close(1000, "done"), client.next(JdkWsClient.Close.class));
            }
            assertEquals(List.of("echo: /base/chat connected"), echoLog);

            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("wss://127.0.0.1:" + echo.port() + "/base/chat", opened.url());
            String serverSubject = cas.serverLeaves.forHost("127.0.0.1").chain()[0].getSubjectX500Principal().getName();
            // An IP address gets no SNI (RFC 6066 §3); ALPN is what wstap offers and its echo server accepts.
            TlsInfo clientSide = opened.clientTls();
            assertEquals("TLSv1.3", clientSide.protocol());
            assertNull(clientSide.sni());
            assertNull(clientSide.alpn(), "the JDK's WebSocket client offers no ALPN");
            assertNull(clientSide.peerSubject(), "the client presented no certificate");
            TlsInfo upstreamSide = opened.upstreamTls();
            assertEquals("TLSv1.3", upstreamSide.protocol());
            assertNull(upstreamSide.sni());
            assertEquals("http/1.1", upstreamSide.alpn());
            assertEquals(serverSubject, upstreamSide.peerSubject());
            assertEquals("O=wstap (intercepted),CN=127.0.0.1", serverSubject);

            List<Map<String, Object>> log = proxy.closeAndReadLog();
            Map<String, Object> open = log.stream().filter(r -> r.get("type").equals("open")).findFirst().orElseThrow();
            Map<?, ?> tls = (Map<?, ?>) open.get("tls");
            Map<?, ?> client = (Map<?, ?>) tls.get("client");
            Map<?, ?> upstream = (Map<?, ?>) tls.get("upstream");
            assertEquals("TLSv1.3", client.get("protocol"));
            assertEquals(clientSide.cipher(), client.get("cipher"));
            assertEquals("TLSv1.3", upstream.get("protocol"));
            assertEquals(upstreamSide.cipher(), upstream.get("cipher"));
            assertEquals("http/1.1", upstream.get("alpn"));
            assertEquals(serverSubject, upstream.get("subject"));
            // The log holds the frames decrypted.
            assertEquals(List.of("c2s", "s2c"), log.stream()
                    .filter(r -> r.get("type").equals("frame") && "hello over TLS".equals(r.get("text")))
                    .map(r -> r.get("dir")).toList());
        }
    }

    @Test
    void anUpstreamCertificateFromAnUnknownCaIsA502ThatNamesUpstreamCa() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), cas.serverTls(), line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(config(echo.port(), UpstreamTls.verifying(List.of())), dir)) {
            String reason = "TLS to upstream 127.0.0.1:" + echo.port() + " failed: its certificate is not trusted "
                    + "(give its CA with --upstream-ca FILE, or use --insecure)";

            byte[] answer = upgradeOverTls(proxy.port(), cas.clientTrustingWstap(), "/chat");

            assertEquals("HTTP/1.1 502 Bad Gateway", Bytes.head(answer).lines().findFirst().orElseThrow());
            assertEquals("wstap: " + reason + "\n", new String(Bytes.afterHead(answer), StandardCharsets.UTF_8));
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals(502, seen.status());
            assertEquals(reason, seen.error());
            assertEquals("wss://127.0.0.1:" + echo.port() + "/base/chat", seen.url());
            assertEquals(true, seen.isUpgrade());
        }
    }

    @Test
    void insecureTrustsTheUpstreamWhateverItsCa() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), cas.serverTls(), line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(config(echo.port(), UpstreamTls.insecure()), dir);
             JdkWsClient client = JdkWsClient.connect(jdkClient(cas.clientTrustingWstap()),
                     URI.create("wss://127.0.0.1:" + proxy.port() + "/chat"))) {
            client.sendText("unverified but encrypted");
            assertEquals("unverified but encrypted", client.nextText());
            assertEquals("TLSv1.3", proxy.events().await(Opened.class, WAIT).upstreamTls().protocol());
        }
    }

    @Test
    void javaWebSocketServerWithTlsAsTheUpstream() throws Exception {
        SSLContext serverContext = TlsContexts.serving(cas.serverLeaves.forHost("127.0.0.1"));
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launchTls(serverContext);
             ProxyFixture proxy = ProxyFixture.start(config(server.getPort(), cas.upstreamTrustingServerCa()), dir)) {
            try (JdkWsClient client = JdkWsClient.connect(jdkClient(cas.clientTrustingWstap()),
                    URI.create("wss://127.0.0.1:" + proxy.port() + "/jws"))) {
                client.sendText("to Java-WebSocket over TLS");
                assertEquals("to Java-WebSocket over TLS", client.nextText());
                byte[] binary = Bytes.pattern(70_000);
                client.sendBinary(binary);
                assertArrayEquals(binary, client.nextBinary());
                client.sendClose(1000, "");
                assertEquals(1000, client.next(JdkWsClient.Close.class).code());
            }
            assertEquals(List.of("/base/jws"), server.resources());
            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("wss://127.0.0.1:" + server.getPort() + "/base/jws", opened.url());
            assertEquals("O=wstap (intercepted),CN=127.0.0.1", opened.upstreamTls().peerSubject());
            assertEquals(List.of(), server.errors());
        }
    }

    private static ProxyConfig config(int upstreamPort, UpstreamTls upstreamTls) {
        return config(cas, upstreamPort, upstreamTls);
    }

    /** wstap on a free port with TLS towards clients (wstap's CA) in front of wss://127.0.0.1:{@code port}/base. */
    static ProxyConfig config(CaPair cas, int upstreamPort, UpstreamTls upstreamTls) {
        return ProxyConfig.reverse(new HostPort("127.0.0.1", 0), WsUrl.parse("wss://127.0.0.1:" + upstreamPort + "/base"))
                .withListenTls(cas.wstapTls())
                .withUpstreamTls(upstreamTls);
    }

    static HttpClient jdkClient(SSLContext context) {
        return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).sslContext(context).build();
    }

    /** Sends an upgrade request for {@code target} over TLS and returns the whole answer, up to the close. */
    static byte[] upgradeOverTls(int port, SSLContext context, String target) throws Exception {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        try (RawClient client = RawClient.over(TlsContexts.handshake(context, raw, "127.0.0.1"))) {
            client.write(RawClient.upgradeRequest(port, target, List.of()));
            return client.readToEnd();
        }
    }
}
