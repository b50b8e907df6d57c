package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.HttpSeen;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.TlsContexts;
import dev.wstap.tls.ServerTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS handshakes that fail, on either side of wstap, each told as one sentence that says what to do:
 * a client that does not trust wstap's CA, a ws:// client on a wss:// listener, an upstream that
 * speaks no TLS, and an upstream whose certificate is for another name.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsHandshakeFailuresTest {
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
    void aJdkClientThatDoesNotTrustWstapsCaFailsAndWstapSaysHowToFixIt() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(listeningWithTls("ws://127.0.0.1:" + echo.port()), dir)) {
            // The JDK's default trust store: the public CAs, not wstap's.
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            Exception e = assertThrows(ExecutionException.class, () -> JdkWsClient.connect(http,
                    URI.create("wss://127.0.0.1:" + proxy.port() + "/chat")));
            assertInstanceOf(SSLHandshakeException.class, rootOrSsl(e), String.valueOf(e));

            // The JDK's client hangs up without a TLS alert, so wstap can only say what this usually means.
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertTrue(seen.error().matches("TLS from client 127\\.0\\.0\\.1:\\d+ failed: it closed the connection during "
                    + "the handshake; if it does so every time, it does not trust wstap's certificate: trust the wstap CA "
                    + "there \\(see: wstap ca trust-help\\)"), seen.error());
            assertEquals(0, seen.status(), "the client got no HTTP answer: it never got as far as HTTP");
            assertEquals("-", seen.method());
            List<Map<String, Object>> log = proxy.closeAndReadLog();
            assertEquals(1, proxy.events().events(HttpSeen.class).size(), "one line, not one per retry");
            assertEquals(1, log.size());
            assertEquals("http", log.get(0).get("type"));
            assertEquals(seen.error(), log.get(0).get("error"));
        }
    }

    @Test
    void aClientThatTrustsAnotherCaFailsTheHandshakeAndWstapSaysSoOnce() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(listeningWithTls("ws://127.0.0.1:" + echo.port()), dir);
             Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);

            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> TlsContexts.handshake(cas.clientTrustingServer(), raw, "127.0.0.1"));
            assertTrue(e.getMessage().contains("PKIX path"), e.getMessage());

            // Its alert (certificate_unknown) may arrive, or its hang-up may cut wstap's flight short: both say so.
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertTrue(seen.error().startsWith("TLS from client 127.0.0.1:" + raw.getLocalPort() + " failed: "), seen.error());
            assertTrue(seen.error().contains("does not trust wstap's certificate"), seen.error());
            assertTrue(seen.error().endsWith("(see: wstap ca trust-help)"), seen.error());
            proxy.close();
            assertEquals(1, proxy.events().events(HttpSeen.class).size());
        }
    }

    @Test
    void aPlainClientOnATlsListenerIsToldApart() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(listeningWithTls("ws://127.0.0.1:" + echo.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/chat", List.of()));

            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals("TLS from client 127.0.0.1:" + client.localPort()
                    + " failed: it did not speak TLS (a ws:// client on a wss:// listener?)", seen.error());
        }
    }

    @Test
    void anUpstreamThatSpeaksNoTlsIsA502ThatSaysSo() throws Exception {
        // A plain HTTP server, as nginx answers on a plain port: a 400 to whatever came, then close.
        try (ServerSocket plain = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> answerEveryConnectionWith400(plain));
            try (ProxyFixture proxy = ProxyFixture.start(TlsReverseTest.config(cas, plain.getLocalPort(),
                    cas.upstreamTrustingServerCa()), dir)) {
                String reason = "TLS to upstream 127.0.0.1:" + plain.getLocalPort()
                        + " failed: it does not speak TLS there (use ws:// instead of wss://?)";

                byte[] answer = TlsReverseTest.upgradeOverTls(proxy.port(), cas.clientTrustingWstap(), "/chat");

                assertEquals("HTTP/1.1 502 Bad Gateway", Bytes.head(answer).lines().findFirst().orElseThrow());
                assertEquals("wstap: " + reason + "\n", new String(Bytes.afterHead(answer), StandardCharsets.UTF_8));
                assertEquals(reason, proxy.events().await(HttpSeen.class, WAIT).error());
            }
        }
    }

    @Test
    void anUpstreamCertificateForAnotherNameIsA502ThatSaysSo() throws Exception {
        // The server's CA is trusted, but its certificate is for other.example.test, not 127.0.0.1.
        TlsContexts.writePem(cas.serverLeaves.forHost("other.example.test"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
        ServerTls otherName = ServerTls.fixed(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), otherName, line -> {}).start();
             ProxyFixture proxy = ProxyFixture.start(TlsReverseTest.config(cas, echo.port(), cas.upstreamTrustingServerCa()), dir)) {
            byte[] answer = TlsReverseTest.upgradeOverTls(proxy.port(), cas.clientTrustingWstap(), "/chat");

            assertEquals("HTTP/1.1 502 Bad Gateway", Bytes.head(answer).lines().findFirst().orElseThrow());
            String body = new String(Bytes.afterHead(answer), StandardCharsets.UTF_8);
            // The JDK's own words follow in parentheses: "(certificate_unknown) No subject alternative names ...".
            assertTrue(body.startsWith("wstap: TLS to upstream 127.0.0.1:" + echo.port()
                    + " failed: its certificate is not for that name ("), body);
            assertTrue(body.endsWith("No subject alternative names matching IP address 127.0.0.1 found)\n"), body);
            assertEquals(body, "wstap: " + proxy.events().await(HttpSeen.class, WAIT).error() + "\n");
        }
    }

    private static ProxyConfig listeningWithTls(String upstream) {
        return ProxyConfig.reverse(new HostPort("127.0.0.1", 0), WsUrl.parse(upstream)).withListenTls(cas.wstapTls());
    }

    private static void answerEveryConnectionWith400(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(RawClient.readTimeoutMillis());
                s.getOutputStream().write(Bytes.ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()); // until the client gives up
            } catch (IOException e) {
                // The client left or the server closed: next.
            }
        }
    }

    private static Throwable rootOrSsl(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SSLHandshakeException) return t;
        return e;
    }
}
