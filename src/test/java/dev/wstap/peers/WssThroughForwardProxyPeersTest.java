package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.tap.Opened;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.TlsContexts;
import dev.wstap.tls.ServerTls;
import java.io.IOException;
import java.net.ServerSocket;
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
 * wss:// through wstap's forward proxy with clients we did not write, trusting wstap's CA alone:
 * Node's ws with https-proxy-agent, wscat --proxy, and Python's websockets in a CONNECT tunnel of
 * its own. The upstream's certificate names it three ways (localhost, 127.0.0.1, ws.example.test).
 * An https-proxy-agent client connecting to {@code wss://127.0.0.1} sends no SNI and then checks the
 * name {@code localhost}: it is satisfied only because wstap mirrors the upstream's names into its
 * leaf, and refuses the leaf of {@code --no-upstream-cert}, which names 127.0.0.1 alone.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WssThroughForwardProxyPeersTest {
    @TempDir
    static Path dir;

    private static CaPair cas;
    private static EchoServer upstream;
    private static Path wstapCa;

    @BeforeAll
    static void start() throws Exception {
        Peers.require();
        cas = CaPair.in(dir);
        upstream = Peers.tlsEchoNamed(cas, dir, "ws.example.test", List.of("localhost", "127.0.0.1", "ws.example.test"));
        wstapCa = cas.wstapCa.certificateFile();
    }

    @AfterAll
    static void stop() {
        if (upstream != null) upstream.close();
    }

    @TempDir
    Path work;

    private ProxyFixture proxy(boolean isUpstreamCert) throws Exception {
        return ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0))
                .withInterceptTls(ServerTls.minting(cas.wstapLeaves))
                .withUpstreamTls(cas.upstreamTrustingServerCa())
                .withUpstreamCert(isUpstreamCert), work);
    }

    private static String node(int proxyPort, String url) throws Exception {
        return Peers.runClient("node", "ws-proxy-client.js", "http://127.0.0.1:" + proxyPort, url, wstapCa.toString()).getLast();
    }

    /** wscat --proxy, and once its session is open (when {@code proxy} is given) a line on its stdin; its output and exit code. */
    private static List<String> wscat(int proxyPort, String url, ProxyFixture proxy) throws Exception {
        ProcessBuilder b = new ProcessBuilder("node", "node_modules/wscat/bin/wscat", "--no-color", "--proxy", "http://127.0.0.1:" + proxyPort,
                "-c", url).directory(Peers.DIR.toFile()).redirectErrorStream(true);
        b.environment().put("NODE_EXTRA_CA_CERTS", wstapCa.toString());
        Process p = b.start();
        List<String> out = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.add(line);
                    }
                }
            } catch (IOException ignored) {
                // It ended.
            }
        });
        if (proxy != null) {
            // wscat reads its input only once connected: a line sent before is lost.
            proxy.events().await(Opened.class, Duration.ofSeconds(30));
            p.getOutputStream().write("hello from wscat\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        // wscat prints the echo when it comes (or the error); then its stdin ends and it closes.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            synchronized (out) {
                // Not a TTY: wscat writes its prompt ("> "), and an incoming message after it as it is.
                if (out.stream().anyMatch(l -> l.endsWith("hello from wscat") || l.contains("error"))) break;
            }
            Thread.sleep(20);
        }
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        reader.join(5000);
        synchronized (out) {
            List<String> result = new ArrayList<>(out);
            result.add("exit " + p.exitValue());
            return result;
        }
    }

    @Test
    void nodeWsThroughHttpsProxyAgentReachesTheUpstreamByIpAndByName() throws Exception {
        try (ProxyFixture proxy = proxy(true)) {
            assertEquals("{\"echo\":\"hello through the proxy\"}", node(proxy.port(), "wss://127.0.0.1:" + upstream.port() + "/"));
            assertEquals("{\"echo\":\"hello through the proxy\"}", node(proxy.port(), "wss://localhost:" + upstream.port() + "/"));
            Opened first = proxy.events().await(Opened.class, Duration.ofSeconds(10));
            assertEquals("O=wstap (intercepted),CN=ws.example.test", first.upstreamTls().peerSubject(), "the upstream's own certificate");
        }
    }

    @Test
    void withoutUpstreamCertificatesTheSameClientRefusesTheLeafAsItDidBefore() throws Exception {
        try (ProxyFixture proxy = proxy(false)) {
            String answer = node(proxy.port(), "wss://127.0.0.1:" + upstream.port() + "/");
            assertEquals("{\"error\":\"Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: 127.0.0.1\"}", answer);
            List<String> wscat = wscat(proxy.port(), "wss://127.0.0.1:" + upstream.port() + "/", null);
            assertTrue(wscat.stream().anyMatch(l -> l.contains("does not match certificate's altnames")), wscat.toString());
        }
    }

    @Test
    void wscatWithProxyGetsItsEcho() throws Exception {
        try (ProxyFixture proxy = proxy(true)) {
            List<String> out = wscat(proxy.port(), "wss://127.0.0.1:" + upstream.port() + "/", proxy);
            assertTrue(out.stream().anyMatch(l -> l.endsWith("hello from wscat")), out.toString());
            assertEquals("exit 0", out.getLast(), out.toString());
            assertEquals(2, proxy.closeAndReadLog().stream()
                    .filter(r -> r.get("type").equals("frame") && "hello from wscat".equals(r.get("text"))).count(), "both ways, in clear");
        }
    }

    @Test
    void pythonWebsocketsInACONNECTTunnelGetsItsEcho() throws Exception {
        try (ProxyFixture proxy = proxy(true)) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                List<String> out = Peers.runClient(Peers.python(), "websockets_proxy_client.py", "http://127.0.0.1:" + proxy.port(),
                        "wss://" + host + ":" + upstream.port() + "/", wstapCa.toString());
                assertEquals("{\"echo\": \"hello from python\"}", out.getLast(), host);
            }
        }
    }

    @Test
    void anUnreachableUpstreamStillGetsTheClientALeafAndThenA502() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (ProxyFixture proxy = proxy(true)) {
            // By name: with SNI, the leaf names what the client asked for.
            String answer = node(proxy.port(), "wss://localhost:" + closed + "/");
            assertEquals("{\"error\":\"Unexpected server response: 502\"}", answer, "the TLS handshake with wstap succeeded; the upgrade got a 502");
            List<String> python = Peers.runClient(Peers.python(), "websockets_proxy_client.py", "http://127.0.0.1:" + proxy.port(),
                    "wss://127.0.0.1:" + closed + "/", wstapCa.toString());
            assertTrue(python.getLast().contains("502"), "by IP address, no SNI: the leaf names the CONNECT host; " + python);
        }
    }
}
