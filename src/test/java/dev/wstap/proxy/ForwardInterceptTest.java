package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.TlsContexts;
import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.ServerTls;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward mode as a browser uses it: the client sends {@code CONNECT host:port} (RFC 9110 §9.3.6),
 * and wstap answers the TLS inside with a leaf of its own CA, reads the WebSocket in clear, and
 * talks TLS onwards to the real server (whose CA is another one). The JDK's HttpClient with
 * {@code ProxySelector.of(wstap)} is the client: it does not bypass the proxy for 127.0.0.1 (only
 * the default selector has such exceptions), and it tunnels ws:// with CONNECT too. Hosts named
 * by {@code --no-intercept} are tunnelled untouched.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardInterceptTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x11223344;

    @TempDir
    static Path caDir;

    @TempDir
    Path dir;

    private static CaPair cas;
    private EchoServer tlsEcho;
    private EchoServer plainEcho;

    @BeforeAll
    static void makeCas() {
        cas = CaPair.in(caDir);
    }

    @BeforeEach
    void startEchoServers() throws Exception {
        tlsEcho = new EchoServer(new HostPort("127.0.0.1", 0), cas.serverTls(), line -> {}).start();
        plainEcho = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
    }

    @AfterEach
    void stopEchoServers() {
        tlsEcho.close();
        plainEcho.close();
    }

    private ProxyFixture intercepting(List<String> noIntercept) throws Exception {
        return intercepting(noIntercept, cas.wstapLeaves);
    }

    private ProxyFixture intercepting(List<String> noIntercept, LeafCertificates leaves) throws Exception {
        return ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0))
                .withInterceptTls(ServerTls.minting(leaves))
                .withUpstreamTls(cas.upstreamTrustingServerCa())
                .withNoIntercept(noIntercept), dir);
    }

    private static HttpClient throughProxy(int proxyPort, SSLContext context) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .sslContext(context)
                .build();
    }

    @Test
    void jdkClientThroughConnectToWssIsInterceptedAndItsFramesAreLoggedInClear() throws Exception {
        try (ProxyFixture proxy = intercepting(List.of())) {
            URI uri = URI.create("wss://127.0.0.1:" + tlsEcho.port() + "/x?room=7");
            try (JdkWsClient client = JdkWsClient.connect(throughProxy(proxy.port(), cas.clientTrustingWstap()), uri)) {
                client.sendText("secret over TLS");
                assertEquals("secret over TLS", client.nextText());
                client.sendClose(1000, "bye");
                assertEquals(new JdkWsClient.Close(1000, "bye"), client.next(JdkWsClient.Close.class));
            }

            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("wss://127.0.0.1:" + tlsEcho.port() + "/x?room=7", opened.url());
            assertEquals("TLSv1.3", opened.clientTls().protocol());
            assertEquals("TLSv1.3", opened.upstreamTls().protocol());
            assertEquals("O=wstap (intercepted),CN=127.0.0.1", opened.upstreamTls().peerSubject());

            List<Map<String, Object>> log = proxy.closeAndReadLog();
            assertEquals(List.of("c2s", "s2c"), log.stream()
                    .filter(r -> r.get("type").equals("frame") && "secret over TLS".equals(r.get("text")))
                    .map(r -> r.get("dir")).toList());
            Map<String, Object> open = log.stream().filter(r -> r.get("type").equals("open")).findFirst().orElseThrow();
            assertEquals("TLSv1.3", ((Map<?, ?>) ((Map<?, ?>) open.get("tls")).get("client")).get("protocol"));
        }
    }

    @Test
    void jdkClientThroughConnectToPlainWsWorksWithoutTls() throws Exception {
        try (ProxyFixture proxy = intercepting(List.of())) {
            URI uri = URI.create("ws://127.0.0.1:" + plainEcho.port() + "/y");
            try (JdkWsClient client = JdkWsClient.connect(throughProxy(proxy.port(), cas.clientTrustingWstap()), uri)) {
                client.sendText("plain through the tunnel");
                assertEquals("plain through the tunnel", client.nextText());
            }

            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("ws://127.0.0.1:" + plainEcho.port() + "/y", opened.url());
            assertNull(opened.clientTls());
            assertNull(opened.upstreamTls());
            List<Map<String, Object>> log = proxy.closeAndReadLog();
            assertEquals(List.of("c2s", "s2c"), log.stream()
                    .filter(r -> r.get("type").equals("frame") && "plain through the tunnel".equals(r.get("text")))
                    .map(r -> r.get("dir")).toList());
        }
    }

    @Test
    void anInterceptedTunnelPresentsALeafOfWstapsCa() throws Exception {
        try (ProxyFixture proxy = intercepting(List.of());
             RawClient client = RawClient.connect(proxy.port())) {
            connect(client, tlsEcho.port());
            SSLSocket tls = TlsContexts.handshake(cas.clientTrustingWstap(), client.socket(), "127.0.0.1");

            X509Certificate seen = TlsContexts.peerCertificate(tls);
            // The upstream's names mirrored (wstap echo on loopback names 127.0.0.1, localhost and ::1).
            X509Certificate upstream = cas.serverLeaves.forNames("127.0.0.1", List.of("127.0.0.1", "localhost", "::1")).chain()[0];
            assertEquals(cas.wstapLeaves.mirroring(upstream, "127.0.0.1").chain()[0], seen);
            seen.verify(cas.wstapCa.certificate().getPublicKey());
            assertThrows(SignatureException.class, () -> seen.verify(cas.serverCa.certificate().getPublicKey()));
            echoesOneFrame(RawClient.over(tls));
        }
    }

    @Test
    void aNoInterceptHostIsTunnelledUntouchedSoTheClientSeesTheServersOwnCertificate() throws Exception {
        LeafCertificates leaves = new LeafCertificates(cas.wstapCa, 10);
        try (ProxyFixture proxy = intercepting(List.of("127.0.0.*"), leaves);
             RawClient client = RawClient.connect(proxy.port())) {
            connect(client, tlsEcho.port());
            // A client that trusts only the real server's CA: it would refuse any leaf of wstap's.
            SSLSocket tls = TlsContexts.handshake(cas.clientTrustingServer(), client.socket(), "127.0.0.1");

            X509Certificate seen = TlsContexts.peerCertificate(tls);
            assertEquals(cas.serverLeaves.forNames("127.0.0.1", List.of("127.0.0.1", "localhost", "::1")).chain()[0], seen);
            seen.verify(cas.serverCa.certificate().getPublicKey());
            assertNotEquals(cas.wstapCa.certificate().getPublicKey(), cas.serverCa.certificate().getPublicKey());
            echoesOneFrame(RawClient.over(tls));

            HttpSeen tunnel = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals("CONNECT", tunnel.method());
            assertEquals("127.0.0.1:" + tlsEcho.port(), tunnel.url());
            assertEquals(200, tunnel.status());
            assertNull(tunnel.error());
            assertEquals(0, leaves.mintedCount(), "wstap minted nothing for it");
            assertEquals(List.of(), proxy.events().events(Opened.class), "wstap saw no WebSocket in the tunnel");
        }
    }

    private static void connect(RawClient client, int port) throws Exception {
        client.write(ascii("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));
        assertArrayEquals(ascii("HTTP/1.1 200 Connection established\r\n\r\n"), client.readHead());
    }

    /** Upgrades on {@code client} and sends one masked text frame, which the echo server returns unmasked. */
    private static void echoesOneFrame(RawClient client) throws Exception {
        client.upgrade("/raw");
        client.write(FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("Hello")));
        assertArrayEquals(ascii("\u0081\u0005Hello"), client.readExactly(7)); // 81 05: FIN text, unmasked, 5 bytes
    }
}
