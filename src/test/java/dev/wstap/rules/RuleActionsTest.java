package dev.wstap.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule action with the JDK's client and Java-WebSocket's echo server on a live session: what
 * the peers received, and how the hit was marked.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RuleActionsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private record Rig(JavaWebSocketEcho echo, ProxyFixture proxy, JdkWsClient client) implements AutoCloseable {
        /** A session through a proxy with one rule, typed as in the shell: {@code when} and its actions. */
        static Rig start(Path dir, String when, String... actions) throws Exception {
            Rules rules = new Rules(7, line -> { });
            rules.add(RuleParser.fromWords(when, List.of(actions), 1));
            JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
            ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + echo.getPort()).withSessionSetup(rules), dir);
            return new Rig(echo, proxy, JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/")));
        }

        FrameSeen hit(Fate fate) {
            return proxy.events().await(FrameSeen.class, f -> f.fate() == fate && f.note() != null && f.note().startsWith("rule #1: "), WAIT);
        }

        @Override
        public void close() throws Exception {
            client.close();
            proxy.close();
            echo.close();
        }
    }

    @Test
    void replaceSetsJsonAtAPointer() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s json:/type==\"subscribe\"", "replace={json_set: {\"/channel\": test}}")) {
            rig.client().sendText("{\"type\":\"subscribe\",\"channel\":\"prices\"}");
            assertEquals("{\"type\":\"subscribe\",\"channel\":\"test\"}", rig.client().nextText());
            assertEquals("rule #1: replace --json-set /channel=\"test\"", rig.hit(Fate.EDITED).note());
        }
    }

    @Test
    void reorderSendsAMessageAfterTheNextOne() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s body~/^first/", "reorder")) {
            rig.client().sendText("first");
            rig.client().sendText("second");
            assertEquals("second", rig.client().nextText());
            assertEquals("first", rig.client().nextText());
        }
    }

    @Test
    void aReorderedMessageGoesAfterTheNextOneAndItsCopies() throws Exception {
        Rules rules = new Rules(7, line -> { });
        rules.add(RuleParser.fromWords("dir:c2s body~/^first/", List.of("reorder"), 1));
        rules.add(RuleParser.fromWords("dir:c2s body~/^second/", List.of("duplicate=1"), 2));
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + echo.getPort()).withSessionSetup(rules), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/"))) {
            client.sendText("first");
            client.sendText("second");
            assertEquals(List.of("second", "second", "first"), List.of(client.nextText(), client.nextText(), client.nextText()));
        }
    }

    @Test
    void aReorderedLastMessageStillGoesBeforeTheClose() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s body~/^last/", "reorder")) {
            rig.client().sendText("last");
            rig.client().sendClose(1000, "done");
            assertEquals("last", rig.client().nextText(), "the server got it before the close, and echoed it");
            assertEquals(1000, rig.client().next(JdkWsClient.Close.class).code());
        }
    }

    @Test
    void answerPingAnswersForTheServer() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s op:ping", "answer_ping")) {
            rig.client().sendPing("are you there".getBytes(StandardCharsets.UTF_8));
            assertEquals("are you there", new String(rig.client().next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8));
            rig.client().sendText("after");
            assertEquals("after", rig.client().nextText());
            assertEquals(0, rig.echo().pingsReceived(), "the server never saw the ping");
        }
    }

    @Test
    void closeToTheClientEndsTheSessionWithTheCodeGiven() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s body~/^bye now/", "close={code: 1008, reason: policy, to: client}")) {
            rig.client().sendText("bye now");
            JdkWsClient.Close close = rig.client().next(JdkWsClient.Close.class);
            assertEquals(1008, close.code());
            assertEquals("policy", close.reason());
            assertEquals(0, rig.echo().messagesReceived());
        }
    }

    @Test
    void resetDropsBothConnectionsAndTheCloseRecordSaysWhy() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s body~/^crash/", "reset")) {
            rig.client().sendText("crash");
            Closed closed = rig.proxy().events().await(Closed.class, WAIT);
            assertEquals("rule #1: reset", closed.error(),
                    closed.toString());
        }
    }

    @Test
    void stallForwardsNothingMoreThatWayWhileTheOtherWayFlows() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:s2c body~/^stall/", "stall")) {
            rig.client().sendText("stall here");
            rig.client().sendText("after");
            Poll.until(WAIT, () -> rig.echo().messagesReceived() == 2, "the client's messages reached the server");
            FrameSeen stalled = rig.proxy().events().await(FrameSeen.class, f -> f.fate() == Fate.HELD, WAIT);
            assertEquals("rule #1: stall", stalled.note());
            assertEquals(0, rig.proxy().events().events(FrameSeen.class).stream()
                    .filter(f -> f.dir() == Direction.S2C && f.fate().isSent()).count(), "nothing went to the client");
        }
    }

    @Test
    void throttlePacesADirection() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:s2c", "throttle=20000")) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) rig.client().sendText("x".repeat(4000));
            for (int i = 0; i < 10; i++) assertEquals(4000, rig.client().nextText().length());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1500, "40 kB at 20,000 B/s takes about 2 s, not " + millis + " ms");
        }
    }

    @Test
    void setChangesTheOpcodeTheServerSees() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s op:text", "set={opcode: binary}")) {
            rig.client().sendText("as bytes");
            assertEquals("as bytes", new String(rig.client().nextBinary(), StandardCharsets.UTF_8), "the server got and echoed a binary message");
        }
    }

    @Test
    void corruptBadRsvGetsAProtocolErrorFromTheServer() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:c2s op:text", "corrupt=bad-rsv")) {
            rig.client().sendText("hello");
            assertEquals(1002, rig.client().next(JdkWsClient.Close.class).code(), "Java-WebSocket fails the connection (RFC 6455 §5.2)");
            assertEquals(2, rig.hit(Fate.EDITED).frame().header().rsv());
        }
    }

    @Test
    void aJitterRangeDelaysEachHitByItsOwnAmount() throws Exception {
        try (Rig rig = Rig.start(dir, "dir:s2c", "delay=100ms..300ms")) {
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                rig.client().sendText("m" + i);
                assertEquals("m" + i, rig.client().nextText());
                assertTrue((System.nanoTime() - start) / 1_000_000 >= 100, "each echo waits at least 100 ms");
            }
            Set<String> delays = rig.proxy().events().events(FrameSeen.class).stream().filter(f -> f.fate() == Fate.DELAYED)
                    .map(FrameSeen::note).collect(Collectors.toSet());
            assertTrue(delays.size() >= 3, "the delays vary: " + delays);
            for (String d : delays) assertTrue(d.matches("rule #1: delay (1\\d\\d|2\\d\\d|300) ms"), d);
        }
    }

    @Test
    void probabilityWithASeedHitsTheSameMessagesInTwoRuns() throws Exception {
        List<String> first = droppedIn(dir.resolve("a"));
        List<String> second = droppedIn(dir.resolve("b"));
        assertEquals(first, second);
        assertTrue(!first.isEmpty() && first.size() < 20, first.toString());
    }

    private static List<String> droppedIn(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        try (Rig rig = Rig.start(dir, "dir:c2s op:text", "drop", "probability=0.3")) {
            for (int i = 0; i < 20; i++) rig.client().sendText("m" + i);
            rig.client().sendText("end");
            rig.proxy().events().await(FrameSeen.class, f -> f.dir() == Direction.C2S && f.frame().header().opcode() == Opcode.TEXT
                    && "end".equals(new String(f.frame().preview(), StandardCharsets.UTF_8)), WAIT);
            return rig.proxy().events().events(FrameSeen.class).stream().filter(f -> f.fate() == Fate.DROPPED)
                    .map(f -> new String(f.frame().preview(), StandardCharsets.UTF_8)).toList();
        }
    }
}
