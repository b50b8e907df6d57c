package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.proxy.ProxyAuth;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.TlsContexts;
import dev.wstap.tls.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * wstap's SOCKS5 listener ({@code --listen socks5://}) with clients we did not write: curl
 * ({@code --socks5-hostname}) upgrading over https and http, and Python's websockets through
 * PySocks, by name and by address, with and without the user name and password that
 * {@code --proxy-auth} asks for. TLS in the tunnel is intercepted as in an HTTP CONNECT; plain
 * ws is relayed. (Chromium through socks5:// is in ChromiumThroughWstapTest.)
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Socks5PeersTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @TempDir
    static Path dir;

    @TempDir
    Path work;

    private static CaPair cas;
    private static EchoServer tlsEcho;
    private static EchoServer plainEcho;

    @BeforeAll
    static void start() throws Exception {
        Peers.require();
        cas = CaPair.in(dir);
        tlsEcho = Peers.tlsEchoNamed(cas, dir, "ws.example.test", List.of("localhost", "127.0.0.1"));
        plainEcho = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
    }

    @AfterAll
    static void stop() {
        if (tlsEcho != null) tlsEcho.close();
        if (plainEcho != null) plainEcho.close();
    }

    private ProxyFixture socks(ProxyAuth auth) throws Exception {
        ProxyConfig config = ProxyConfig.forward(new HostPort("127.0.0.1", 0)).withSocks(true)
                .withInterceptTls(ServerTls.minting(cas.wstapLeaves))
                .withUpstreamTls(cas.upstreamTrustingServerCa());
        return ProxyFixture.start(auth == null ? config : config.withProxyAuth(auth), work);
    }

    /**
     * curl's upgrade request through the SOCKS5 proxy: its response head. curl knows no WebSocket
     * (7.88), so after the 101 it waits for a body that never comes; it is stopped once the head is in
     * (or it ended: refused).
     */
    private static List<String> curlUpgrade(String proxy, String url) throws Exception {
        // stdbuf: curl writes the head through stdio, which holds it back in a pipe until curl exits.
        Process p = new ProcessBuilder("stdbuf", "-o0", "curl", "-s", "-i", "-N", "--proxy", proxy, "--cacert", cas.wstapCa.certificateFile().toString(),
                "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: " + KEY,
                url).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line.strip());
                    }
                }
            } catch (IOException ignored) {
                // curl ended.
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            synchronized (lines) {
                if (lines.contains("")) break; // the end of the head
            }
            Thread.sleep(20);
        }
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        reader.join(5000);
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    @Test
    void curlUpgradesOverHttpsAndHttpThroughSocks5() throws Exception {
        try (ProxyFixture proxy = socks(null)) {
            List<String> wss = curlUpgrade("socks5h://127.0.0.1:" + proxy.port(), "https://localhost:" + tlsEcho.port() + "/chat");
            assertEquals("HTTP/1.1 101 Switching Protocols", wss.get(0), wss.toString());
            assertTrue(wss.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), wss.toString());
            Opened opened = proxy.events().await(Opened.class, Duration.ofSeconds(10));
            assertEquals("wss://localhost:" + tlsEcho.port() + "/chat", opened.url());
            assertEquals("localhost", opened.clientTls().sni(), "TLS in the SOCKS5 tunnel was intercepted");
            assertEquals("O=wstap (intercepted),CN=ws.example.test", opened.upstreamTls().peerSubject());

            List<String> ws = curlUpgrade("socks5h://127.0.0.1:" + proxy.port(), "http://127.0.0.1:" + plainEcho.port() + "/plain");
            assertEquals("HTTP/1.1 101 Switching Protocols", ws.get(0), ws.toString());
            proxy.events().await(Opened.class, o -> o.url().equals("ws://127.0.0.1:" + plainEcho.port() + "/plain"), Duration.ofSeconds(10));
        }
    }

    @Test
    void pythonWebsocketsThroughPySocksGetsItsEchoByNameAndByAddress() throws Exception {
        try (ProxyFixture proxy = socks(null)) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                List<String> out = Peers.runClient(Peers.python(), "websockets_proxy_client.py", "socks5://127.0.0.1:" + proxy.port(),
                        "wss://" + host + ":" + tlsEcho.port() + "/", cas.wstapCa.certificateFile().toString());
                assertEquals("{\"echo\": \"hello from python\"}", out.getLast(), host);
            }
            assertEquals(2, proxy.closeAndReadLog().stream()
                    .filter(r -> r.get("type").equals("frame") && "c2s".equals(r.get("dir")) && "hello from python".equals(r.get("text"))).count());
        }
    }

    @Test
    void withProxyAuthTheRightUserAndPasswordGetThroughAndOthersAreRefused() throws Exception {
        try (ProxyFixture proxy = socks(ProxyAuth.parse("alice:s3cret"))) {
            List<String> right = curlUpgrade("socks5h://alice:s3cret@127.0.0.1:" + proxy.port(), "https://localhost:" + tlsEcho.port() + "/");
            assertEquals("HTTP/1.1 101 Switching Protocols", right.get(0), right.toString());
            List<String> wrong = curlUpgrade("socks5h://alice:guess@127.0.0.1:" + proxy.port(), "https://localhost:" + tlsEcho.port() + "/");
            assertTrue(wrong.isEmpty() || !wrong.get(0).startsWith("HTTP/"), wrong.toString());
            HttpSeen refused = proxy.events().await(HttpSeen.class, e -> e.error() != null && e.error().startsWith("SOCKS5"), Duration.ofSeconds(10));
            assertEquals("SOCKS5: wrong proxy user name or password", refused.error());
        }
    }
}
