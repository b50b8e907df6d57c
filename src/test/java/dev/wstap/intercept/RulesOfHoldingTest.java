package dev.wstap.intercept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.filter.FilterParser;
import dev.wstap.proxy.HoldRules;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.Waits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of holding (docs/intercept.md) with the JDK's client and Java-WebSocket's echo server:
 * order behind a held message, control frames passing it or not, the hold timeout's three
 * outcomes, and the cap that keeps memory bounded.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RulesOfHoldingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static Intercept.Settings holding(String expr, boolean isControlHeld, Duration timeout, Intercept.OnTimeout onTimeout, long max) {
        return new Intercept.Settings(FilterParser.parse(expr), isControlHeld, timeout, onTimeout, max);
    }

    private record Rig(JavaWebSocketEcho echo, ProxyFixture proxy, JdkWsClient client, Intercept intercept) implements AutoCloseable {
        static Rig start(Path dir, Intercept.Settings settings) throws Exception {
            Intercept intercept = new Intercept();
            intercept.set(settings);
            JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
            ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + echo.getPort()).withSessionSetup(intercept), dir);
            JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/"));
            return new Rig(echo, proxy, client, intercept);
        }

        HeldMessages.Held nextHeld() throws InterruptedException {
            HeldMessages.Held h = intercept.held().awaitNext(Waits.scaledMillis(10_000));
            assertTrue(h != null, "a message was held");
            return h;
        }

        /** The frame records towards the server with text, as fate:text. */
        List<String> c2sFates() {
            return proxy.events().events(FrameSeen.class).stream()
                    .filter(f -> f.dir() == dev.wstap.wire.Direction.C2S && f.frame().header().opcode() == dev.wstap.wire.Opcode.TEXT)
                    .map(f -> f.fate().label() + ":" + new String(f.frame().preview(), StandardCharsets.UTF_8)).toList();
        }

        @Override
        public void close() throws Exception {
            client.close();
            proxy.close();
            echo.close();
        }
    }

    @Test
    void laterMessagesWaitBehindAHeldOneWhilePingsPassItAndTheOtherWayFlows() throws Exception {
        try (Rig rig = Rig.start(dir, holding("dir:c2s body~/^hold/", false, null, null, HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            HeldMessages.Held held = rig.nextHeld();
            rig.client().sendText("second");
            rig.client().sendText("third");
            rig.client().sendPing("while held".getBytes(StandardCharsets.UTF_8));
            assertEquals("while held", new String(rig.client().next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8));
            assertEquals(0, rig.echo().messagesReceived(), "nothing passed the held message");
            assertTrue(held.frames().release());
            assertEquals(List.of("hold 1", "second", "third"), List.of(rig.client().nextText(), rig.client().nextText(), rig.client().nextText()));
        }
    }

    @Test
    void withHoldControlMatchingPingsAreHeldAndTheOthersWaitInOrder() throws Exception {
        try (Rig rig = Rig.start(dir, holding("dir:c2s body~/^hold/", true, null, null, HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            HeldMessages.Held text = rig.nextHeld();
            rig.client().sendPing("hold ping".getBytes(StandardCharsets.UTF_8));
            HeldMessages.Held ping = rig.nextHeld();
            assertEquals(dev.wstap.wire.Opcode.PING, ping.frames().arrival().opcode());
            rig.client().sendPing("behind".getBytes(StandardCharsets.UTF_8));
            assertTrue(text.frames().release());
            assertEquals("hold 1", rig.client().nextText());
            assertEquals(0, rig.echo().pingsReceived(), "the held ping, and the one behind it, wait");
            assertTrue(ping.frames().release());
            assertEquals("hold ping", new String(rig.client().next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8));
            assertEquals("behind", new String(rig.client().next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHoldTimeoutReleasesByDefault() throws Exception {
        try (Rig rig = Rig.start(dir, holding("body~/^hold/", false, Duration.ofMillis(300), Intercept.OnTimeout.RELEASE,
                HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            assertEquals("hold 1", rig.client().nextText(), "released when the timeout came");
            assertEquals(List.of("held:hold 1", "released:hold 1"), rig.c2sFates());
            FrameSeen released = rig.proxy().events().await(FrameSeen.class, f -> f.fate() == Fate.RELEASED, WAIT);
            assertEquals("#1 held past --hold-timeout 0.3 s", released.note());
        }
    }

    @Test
    void aHoldTimeoutCanDropTheMessage() throws Exception {
        try (Rig rig = Rig.start(dir, holding("body~/^hold/", false, Duration.ofMillis(300), Intercept.OnTimeout.DROP,
                HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            rig.client().sendText("after");
            assertEquals("after", rig.client().nextText(), "the held one was dropped, the next went on");
            FrameSeen dropped = rig.proxy().events().await(FrameSeen.class, f -> f.fate() == Fate.DROPPED, WAIT);
            assertEquals("#1 held past --hold-timeout 0.3 s", dropped.note());
        }
    }

    @Test
    void aHoldTimeoutCanCloseTheSession() throws Exception {
        try (Rig rig = Rig.start(dir, holding("body~/^hold/", false, Duration.ofMillis(300), Intercept.OnTimeout.CLOSE,
                HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            JdkWsClient.Close close = rig.client().next(JdkWsClient.Close.class);
            assertEquals(1001, close.code());
            Closed closed = rig.proxy().events().await(Closed.class, WAIT);
            assertEquals(0, closed.c2s().messages(), "the held message never reached the server");
        }
    }

    @Test
    void overTheCapTheOldestHeldMessageGoesAndSaysWhy() throws Exception {
        try (Rig rig = Rig.start(dir, holding("body~/^hold/", false, null, null, 1000))) {
            rig.client().sendText("hold 1");
            rig.nextHeld();
            rig.client().sendText("x".repeat(2000));
            assertEquals("hold 1", rig.client().nextText(), "over the cap, the held message went");
            assertEquals(2000, rig.client().nextText().length());
            FrameSeen released = rig.proxy().events().await(FrameSeen.class, f -> f.fate() == Fate.RELEASED, WAIT);
            assertTrue(released.note().startsWith("#1 over --hold-max: "), released.note());
            assertTrue(rig.intercept().held().all().isEmpty());
        }
    }

    @Test
    void aCloseArrivingBehindAHeldMessageWaitsForIt() throws Exception {
        try (Rig rig = Rig.start(dir, holding("dir:c2s body~/^hold/", false, null, null, HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            HeldMessages.Held held = rig.nextHeld();
            rig.client().sendClose(1000, "bye");
            assertEquals(0, rig.echo().messagesReceived());
            assertTrue(held.frames().release());
            assertEquals("hold 1", rig.client().nextText(), "the message went before the close");
            assertEquals(1000, rig.client().next(JdkWsClient.Close.class).code(), "then the close, answered by the server");
            Closed closed = rig.proxy().events().await(Closed.class, WAIT);
            assertEquals(1, closed.c2s().messages());
        }
    }

    @Test
    void interceptOffHoldsNothingMoreAndKeepsWhatIsHeld() throws Exception {
        try (Rig rig = Rig.start(dir, holding("body~/^hold/", false, null, null, HoldRules.DEFAULT_MAX_WAITING_BYTES))) {
            rig.client().sendText("hold 1");
            HeldMessages.Held held = rig.nextHeld();
            rig.intercept().off();
            rig.client().sendText("hold 2");
            assertEquals(1, rig.intercept().held().all().size(), "still held");
            assertTrue(held.frames().drop(held.label()));
            assertEquals("hold 2", rig.client().nextText(), "not held: intercept is off");
        }
    }
}
