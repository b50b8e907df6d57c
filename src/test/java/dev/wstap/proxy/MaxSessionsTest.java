package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.Handshake;
import dev.wstap.http.HostPort;
import dev.wstap.tap.HttpSeen;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.RecordingRelay;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-sessions}: an upgrade beyond the limit gets 503 with the reason, a console line
 * and a log record, and never reaches the upstream; the open sessions go on; a slot comes back
 * when a session ends, and when an upgrade does not become one.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MaxSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x11223344;
    private static final String REASON = "wstap has 2 sessions open, as many as --max-sessions allows; try again once one has closed";

    @TempDir
    Path dir;

    @Test
    void anUpgradeBeyondTheLimitGets503AndTheOpenSessionsGoOn() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start();
             RecordingRelay toEcho = RecordingRelay.to(echo.port());
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + toEcho.port()).withMaxSessions(2), dir);
             RawClient first = session(proxy, "/first");
             RawClient second = session(proxy, "/second")) {
            String answer = refusedUpgrade(proxy.port(), "/third");

            assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
            assertTrue(answer.contains("\r\nRetry-After: 1\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\nwstap: " + REASON + "\n"), answer);
            HttpSeen seen = proxy.events().await(HttpSeen.class, WAIT);
            assertEquals(503, seen.status());
            assertEquals(REASON, seen.error());
            assertEquals(2, toEcho.connectionCount(), "the refused upgrade never reached the upstream");
            for (RawClient open : List.of(first, second)) assertEchoes(open, "still here");
            assertEquals(2, proxy.server().sessions().size());

            Map<String, Object> record = proxy.closeAndReadLog().stream().filter(r -> r.get("type").equals("http")).findFirst().orElseThrow();
            assertEquals(503L, record.get("status"));
            assertEquals("Service Unavailable", record.get("reason"));
            assertEquals(REASON, record.get("error"));
        }
    }

    @Test
    void whenASessionEndsTheNextUpgradeIsAccepted() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start();
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config(echo.url()).withMaxSessions(2), dir);
             RawClient stays = session(proxy, "/stays")) {
            RawClient leaves = session(proxy, "/leaves");
            assertTrue(refusedUpgrade(proxy.port(), "/early").startsWith("HTTP/1.1 503 "));

            leaves.close();
            Poll.until(WAIT, () -> proxy.server().sessions().size() == 1, () -> "the session that left is still counted");
            try (RawClient next = session(proxy, "/next")) {
                assertEchoes(next, "in");
                assertEchoes(stays, "undisturbed");
            }
        }
    }

    @Test
    void anUpgradeTheUpstreamRefusesGivesItsSlotBack() throws Exception {
        // The 403's connection stays open (its bytes are relayed until either side closes), but it is no session.
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                if (ex.request().target().equals("/refuse")) {
                    ex.write(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
                    ex.input().transferTo(java.io.OutputStream.nullOutputStream());
                } else {
                    ex.write(Handshake.switchingProtocols(ex.request()).encode());
                    ex.input().transferTo(ex.socket().getOutputStream());
                }
             });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()).withMaxSessions(1), dir);
             RawClient refused = RawClient.connect(proxy.port())) {
            refused.write(RawClient.upgradeRequest(proxy.port(), "/refuse", List.of()));
            assertTrue(new String(refused.readHead(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 403 "));
            try (RawClient accepted = session(proxy, "/ok")) {
                byte[] frame = FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8("the one session"));
                accepted.write(frame);
                assertArrayEquals(frame, accepted.readExactly(frame.length), "the scripted server echoes bytes as they came");
            }
        }
    }

    @Test
    void anUpgradeThatFailsGivesItsSlotBack() throws Exception {
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        try (ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + nobody).withMaxSessions(1), dir)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(refusedUpgrade(proxy.port(), "/").startsWith("HTTP/1.1 502 "), "502, not 503, each time");
            }
        }
    }

    /** A session through the proxy, once the proxy counts it. */
    private static RawClient session(ProxyFixture proxy, String target) throws IOException {
        RawClient client = RawClient.connect(proxy.port());
        client.upgrade(target);
        Poll.until(WAIT, () -> proxy.server().sessions().all().stream().anyMatch(s -> s.opened().url().endsWith(target)),
                () -> "no session for " + target);
        return client;
    }

    /** An upgrade whose answer is not a 101: all of it, up to the proxy's close. */
    private static String refusedUpgrade(int port, String target) throws IOException {
        try (RawClient client = RawClient.connect(port)) {
            client.write(RawClient.upgradeRequest(port, target, List.of()));
            return new String(client.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    private static void assertEchoes(RawClient client, String text) throws IOException {
        client.write(FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8(text)));
        byte[] echoed = client.readExactly(2 + text.length());
        assertArrayEquals(FrameEncoder.frame(true, Opcode.TEXT, null, utf8(text)), echoed, "an unmasked echo of " + text);
    }
}
