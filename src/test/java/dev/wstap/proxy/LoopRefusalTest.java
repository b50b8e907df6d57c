package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Tap;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forward proxy asked for its own listen address would relay the request to itself, which
 * relays it again, until sockets run out. wstap refuses it with 508 Loop Detected, a console line
 * and a log record, whatever name the address goes by; and a reverse proxy whose upstream is itself
 * does not start.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopRefusalTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "GET ws://{0}:PORT/")
    @ValueSource(strings = {"127.0.0.1", "localhost", "0.0.0.0"})
    void anAbsoluteFormUpgradeForTheProxyItselfGets508(String host) throws Exception {
        try (ProxyFixture proxy = forwardOn("127.0.0.1")) {
            int port = proxy.port();
            String answer = send(port, "GET ws://" + host + ":" + port + "/chat HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + RawClient.KEY
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n");

            String reason = host + ":" + port + " is wstap's own listen address (127.0.0.1:" + port
                    + "): relaying there would loop back into wstap";
            assertTrue(answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\nwstap: " + reason + "\n"), answer);
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals(508, seen.status());
            assertEquals(reason, seen.error());
            assertEquals("ws://" + host + ":" + port + "/chat", seen.url());
            assertEquals(0, proxy.server().sessions().size(), "no session was made");
            Map<String, Object> record = onlyRecord(proxy.closeAndReadLog());
            assertEquals("http", record.get("type"));
            assertEquals(508L, record.get("status"));
            assertEquals("Loop Detected", record.get("reason"));
            assertEquals(reason, record.get("error"));
        }
    }

    @Test
    void aPlainHttpRequestForTheProxyItselfGets508() throws Exception {
        try (ProxyFixture proxy = forwardOn("127.0.0.1")) {
            int port = proxy.port();
            String answer = send(port, "GET http://127.0.0.1:" + port + "/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"), answer);
            assertEquals(508, proxy.events().await(HttpSeen.class, WAIT).status());
        }
    }

    @ParameterizedTest(name = "CONNECT {0}:PORT")
    @ValueSource(strings = {"127.0.0.1", "localhost", "0.0.0.0"})
    void aConnectToTheProxyItselfGets508InsteadOfATunnel(String host) throws Exception {
        try (ProxyFixture proxy = forwardOn("127.0.0.1")) {
            int port = proxy.port();
            String answer = send(port, "CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"), answer);
            assertTrue(answer.contains("wstap: " + host + ":" + port + " is wstap's own listen address"), answer);
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals("CONNECT", seen.method());
            assertEquals(508, seen.status());
        }
    }

    @Test
    void aListenerOnTheWildcardAddressIsReachedByEveryAddressOfThisHost() throws Exception {
        List<String> hosts = new java.util.ArrayList<>(List.of("127.0.0.1", "127.0.0.2", "localhost", "[::1]"));
        InetAddress external = nonLoopbackAddress();
        if (external != null) hosts.add(external.getHostAddress());
        try (ProxyFixture proxy = forwardOn("0.0.0.0")) {
            int port = proxy.port();
            for (String host : hosts) {
                String answer = send(port, "CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"), host + ": " + answer);
                assertTrue(answer.contains("(0.0.0.0:" + port + ")"), answer);
            }
        }
    }

    @Test
    void anotherAddressWithTheSamePortIsNoLoop() throws Exception {
        // Bound to 127.0.0.1 only, wstap cannot be reached on 127.0.0.2: that is someone else's
        // (here nobody's) server, so the answer is the usual 502, not a 508.
        try (ProxyFixture proxy = forwardOn("127.0.0.1")) {
            int port = proxy.port();
            String answer = send(port, "CONNECT 127.0.0.2:" + port + " HTTP/1.1\r\nHost: 127.0.0.2:" + port + "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 Connection established\r\n"), answer);
        }
    }

    @Test
    void anotherPortOnTheSameAddressIsRelayedAsUsual() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start();
             ProxyFixture proxy = forwardOn("127.0.0.1");
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(ascii("CONNECT localhost:" + echo.port() + " HTTP/1.1\r\nHost: localhost:" + echo.port() + "\r\n\r\n"));
            assertArrayEquals(ascii("HTTP/1.1 200 Connection established\r\n\r\n"), client.readHead());
            client.upgrade("/");
        }
    }

    @Test
    void aReverseProxyWhoseUpstreamIsItselfDoesNotStart() throws Exception {
        int port = freePort();
        ProxyServer server = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", port),
                WsUrl.parse("ws://localhost:" + port + "/")), new Tap());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, server::start);
        assertEquals("the upstream ws://localhost:" + port + "/ is wstap's own listen address (127.0.0.1:" + port
                + "): every connection would loop back into wstap", e.getMessage());
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port was given back");
        }
    }

    @Test
    void aReverseProxyOnAnotherPortStarts() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + freePort() + "/", dir)) {
            assertTrue(proxy.port() > 0);
        }
    }

    private ProxyFixture forwardOn(String host) throws IOException {
        return ProxyFixture.start(ProxyConfig.forward(new HostPort(host, 0)), dir);
    }

    /** Sends {@code request} and reads all of the answer, up to the proxy's close. */
    private static String send(int port, String request) throws IOException {
        try (RawClient client = RawClient.connect(port)) {
            client.write(request.getBytes(StandardCharsets.ISO_8859_1));
            if (request.startsWith("CONNECT ")) {
                byte[] head = client.readHead();
                String text = new String(head, StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/1.1 200 ")) return text;
                return text + new String(client.readToEnd(), StandardCharsets.UTF_8);
            }
            return new String(client.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> onlyRecord(List<Map<String, Object>> log) {
        assertEquals(1, log.size(), "one record: " + log);
        return log.get(0);
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface n : NetworkInterface.networkInterfaces().toList()) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : n.inetAddresses().toList()) {
                if (a instanceof Inet4Address) return a;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
