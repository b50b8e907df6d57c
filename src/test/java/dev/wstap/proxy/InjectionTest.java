package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.Waits;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injection respects framing (DESIGN.md invariant 4), checked by peers we did not write: the JDK
 * client and the Java-WebSocket server both fail a session on interleaved messages.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void injectedMessagesNeverLandInsideForwardedOnesUnderLoadInBothDirections() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/load"))) {
            Injector injector = new Injector(sessionOf(proxy));
            int clientMessages = 400;
            int injected = 100;
            Set<String> expected = new HashSet<>();
            // The client sends fragmented messages all along (each in two frames)...
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < clientMessages; i++) {
                        client.ws().sendText("client-" + i + "-first-half/", false).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                        client.ws().sendText("second-half", true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // ...while wstap injects fragmented messages with pings between the fragments towards the
            // server (which echoes them), and whole messages towards the client.
            for (int j = 0; j < injected; j++) {
                byte[] toServer = utf8("injected-c2s-" + j + "-in-three-fragments");
                injector.fragments(Direction.C2S, Opcode.TEXT, toServer, Injector.evenParts(toServer.length, 3), true, 0);
                injector.message(Direction.S2C, Opcode.TEXT, utf8("injected-s2c-" + j));
                expected.add("injected-c2s-" + j + "-in-three-fragments");
                expected.add("injected-s2c-" + j);
            }
            load.get(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS);
            for (int i = 0; i < clientMessages; i++) expected.add("client-" + i + "-first-half/second-half");

            // The server answers the injected pings with pongs the client never asked for; they are skipped here.
            Set<String> received = new HashSet<>();
            while (received.size() < clientMessages + 2 * injected) {
                if (client.next(Object.class) instanceof String text) received.add(text);
            }
            assertEquals(expected, received, "every message whole, none interleaved with another");
            assertEquals(List.of(), echo.errors(), "the server saw only well-formed messages");

            long injectedFrames = proxy.events().events(FrameSeen.class).stream().filter(FrameSeen::isInjected).count();
            assertEquals(injected * (3 + 2) + injected, injectedFrames, "3 fragments + 2 pings each way, 1 frame towards the client");
            assertTrue(proxy.events().events(FrameSeen.class).stream().filter(FrameSeen::isInjected)
                    .allMatch(f -> f.frame().header().isMasked() == (f.dir() == Direction.C2S)),
                    "masked towards the server, never towards the client");
        }
    }

    private static Session sessionOf(ProxyFixture proxy) {
        Poll.until(WAIT, () -> proxy.server().sessions().size() > 0, "a session through the proxy");
        return proxy.server().sessions().all().iterator().next();
    }

    @Test
    void badInjectionsAreRefusedWithASentence() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/bad"))) {
            Injector injector = new Injector(sessionOf(proxy));
            assertEquals("ping payload of 126 bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway",
                    assertThrows(IllegalArgumentException.class, () -> injector.control(Direction.C2S, Opcode.PING, new byte[126])).getMessage());
            assertEquals("close code 1005 (No Status Received) may not be sent (RFC 6455 §7.4.1); use raw to send one anyway",
                    assertThrows(IllegalArgumentException.class, () -> injector.close(Direction.C2S, 1005, "")).getMessage());
            assertEquals("fragment sizes [3, 5] add up to 8, not the message's 5 bytes",
                    assertThrows(IllegalArgumentException.class,
                            () -> injector.fragments(Direction.C2S, Opcode.TEXT, utf8("hello"), List.of(3, 5), false, 0)).getMessage());
            assertEquals(List.of(2, 2, 1), Injector.evenParts(5, 3));
            // The session is unharmed.
            client.sendText("still fine");
            assertEquals("still fine", client.nextText());
        }
    }
}
