package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.Waits;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.filter.EventFilter;
import dev.wstap.view.LogView;
import dev.wstap.view.SessionSummary;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision point between parser and writer, with peers we did not write on both ends: the
 * JDK's WebSocket client and Java-WebSocket's echo server. Each test installs one handler on a
 * live session and checks what the peers received, what the session counted as having left
 * wstap, and what the log says happened to each frame.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrameHandlersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A handler that sees whole frames (or messages) matching {@code which} and decides with {@code verdict}. */
    private static FrameHandler handler(FrameHandler.Need need, Predicate<FrameHeader> which, Function<List<WholeFrame>, Verdict> verdict) {
        return new FrameHandler() {
            @Override
            public Need need(Direction dir, FrameHeader header) {
                return which.test(header) ? need : Need.NOTHING;
            }

            @Override
            public Verdict decide(Direction dir, Arrival arrival) {
                return verdict.apply(arrival.frames());
            }
        };
    }

    private static String text(List<WholeFrame> frames) {
        StringBuilder s = new StringBuilder();
        for (WholeFrame f : frames) s.append(new String(f.payload(), StandardCharsets.UTF_8));
        return s.toString();
    }

    private static boolean isText(FrameHeader h) {
        return h.opcode() == Opcode.TEXT || h.opcode() == Opcode.CONTINUATION;
    }

    private static Session sessionOf(ProxyFixture proxy) {
        Poll.until(WAIT, () -> proxy.server().sessions().size() > 0, "a session");
        return proxy.server().sessions().all().iterator().next();
    }

    /** The log's frame records in {@code dir} as {@code fate:text}. */
    private static List<String> fates(List<Map<String, Object>> log, String dir) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : log) {
            if ("frame".equals(r.get("type")) && dir.equals(r.get("dir")) && r.get("text") != null) {
                out.add(r.get("fate") + ":" + r.get("text") + (r.get("note") == null ? "" : " (" + r.get("note") + ")"));
            }
        }
        return out;
    }

    private static Closed closeAndAwait(ProxyFixture proxy, JdkWsClient client) throws Exception {
        client.sendClose(1000, "done");
        return proxy.events().await(Closed.class, WAIT);
    }

    @Test
    void aDroppedFrameNeverReachesTheServerAndIsCountedAsNotSent() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/drop"))) {
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.FRAME, FrameHandlersTest::isText,
                    frames -> text(frames).contains("drop-me") ? new Verdict.Drop("test drops it") : Verdict.PASS));
            client.sendText("first");
            client.sendText("please drop-me");
            client.sendText("last");
            assertEquals("first", client.nextText());
            assertEquals("last", client.nextText(), "the dropped message was never echoed");
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(2, echo.messagesReceived());
            assertEquals(3, closed.c2s().frames(), "two messages and the close left wstap towards the server");
            assertEquals(2, closed.c2s().messages());
            assertEquals(1, closed.c2s().dropped());
            assertTrue(closed.isClean(), closed.toString());
            assertEquals(List.of("forwarded:first", "dropped:please drop-me (test drops it)", "forwarded:last"),
                    fates(proxy.closeAndReadLog(), "c2s"));
        }
    }

    @Test
    void aReplacedMessageReachesTheServerChangedAndTheLogKeepsTheOriginal() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/replace"))) {
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.MESSAGE, h -> true, frames -> {
                String text = text(frames);
                if (!text.contains("secret")) return Verdict.PASS;
                byte[] edited = text.replace("secret", "redacted").getBytes(StandardCharsets.UTF_8);
                return new Verdict.Replace(List.of(OutFrame.encode(true, true, 0, Opcode.TEXT, Opcode.TEXT, edited, false,
                        Fate.EDITED, null)), "secret removed");
            }));
            // A fragmented message: the handler sees it whole, its fragments are replaced by one frame.
            client.ws().sendText("my secret ", false).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
            client.ws().sendText("is out", true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
            assertEquals("my redacted is out", client.nextText());
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(2, closed.c2s().frames(), "the edited message and the close");
            assertEquals(1, closed.c2s().messages());
            assertEquals(2, closed.c2s().dropped(), "both original fragments were replaced");
            assertEquals(List.of("replaced:my secret  (secret removed)", "replaced:is out (secret removed)",
                    "edited:my redacted is out (secret removed)"), fates(proxy.closeAndReadLog(), "c2s"));
        }
    }

    @Test
    void aDelayedFrameArrivesLaterAndInOrderWhilePingsPassIt() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/delay"))) {
            Duration delay = Duration.ofMillis(600);
            sessionOf(proxy).handlers(Direction.S2C).add(handler(FrameHandler.Need.FRAME,
                    h -> h.opcode() == Opcode.TEXT, frames -> text(frames).equals("slow") ? new Verdict.Delay(delay, "slow link") : Verdict.PASS));
            long start = System.nanoTime();
            client.sendText("slow");
            client.sendText("fast but behind");
            client.sendPing("still alive".getBytes(StandardCharsets.UTF_8));
            // The pong passes the delayed data; the two texts keep their order.
            assertEquals("still alive", new String(client.next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() - start < delay.toNanos(), "the pong did not wait for the delayed text");
            assertEquals("slow", client.nextText());
            assertTrue(System.nanoTime() - start >= delay.toNanos(), "the text waited its delay");
            assertEquals("fast but behind", client.nextText());
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(0, closed.s2c().dropped());
            assertEquals(List.of("delayed:slow (slow link)", "forwarded:fast but behind"), fates(proxy.closeAndReadLog(), "s2c"));
        }
    }

    @Test
    void aHeldMessageKeepsLaterDataBehindItUntilReleasedWhileControlFramesFlow() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/hold"))) {
            CompletableFuture<HeldFrames> held = new CompletableFuture<>();
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.MESSAGE, h -> true,
                    frames -> text(frames).startsWith("hold") ? new Verdict.Hold(held::complete, "test holds it") : Verdict.PASS));
            client.sendText("hold me");
            client.sendText("behind it");
            HeldFrames h = held.get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
            assertEquals("hold me", text(h.arrival().frames()));
            client.sendPing("ping while held".getBytes(StandardCharsets.UTF_8));
            assertEquals("ping while held", new String(client.next(JdkWsClient.Pong.class).payload(), StandardCharsets.UTF_8),
                    "a ping passes the held message and the server answers it");
            assertEquals(0, echo.messagesReceived(), "nothing of the data passed the held message");
            assertTrue(h.release());
            assertEquals("hold me", client.nextText());
            assertEquals("behind it", client.nextText());
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(2, closed.c2s().messages());
            assertEquals(List.of("held:hold me (test holds it)", "released:hold me (test holds it)", "forwarded:behind it"),
                    fates(proxy.closeAndReadLog(), "c2s"));
            // view --stats over the log: a held frame that went on counts once, and not as not forwarded.
            SessionSummary summary = new SessionSummary(ZoneOffset.UTC);
            try (InputStream in = Files.newInputStream(proxy.logFile())) {
                new LogView(EventFilter.ALL, summary::add, System.err)
                        .read("log", in);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            summary.print(new PrintStream(out, true, StandardCharsets.UTF_8));
            String row = out.toString(StandardCharsets.UTF_8).lines().toList().get(1);
            assertEquals("4", row.trim().split("\\s+")[3], "c2s frames: two texts, the ping and the close: " + row);
            assertFalse(row.contains("not forwarded"), row);
        }
    }

    @Test
    void aCloseNeverPassesAMessageBeingBufferedForAHandler() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/close-behind");
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.MESSAGE, h -> true, frames -> Verdict.PASS));
            // A text message's first fragment, then a close before its last one.
            client.write(FrameEncoder.frame(false, Opcode.TEXT, 0x01020304, "unfinished".getBytes(StandardCharsets.UTF_8)),
                    FrameEncoder.frame(true, Opcode.CLOSE, 0x05060708, new ClosePayload(1000, "").encode()));
            proxy.events().await(FrameSeen.class, f -> f.dir() == Direction.S2C && f.frame().header().opcode() == Opcode.CLOSE, WAIT);
            client.close();
            proxy.events().await(Closed.class, WAIT);
            List<String> sent = new ArrayList<>();
            for (Map<String, Object> r : proxy.closeAndReadLog()) {
                if ("frame".equals(r.get("type")) && "c2s".equals(r.get("dir"))) sent.add(r.get("opcode") + ":" + r.get("fate"));
            }
            assertEquals(List.of("1:forwarded", "8:forwarded"), sent, "the fragment went first, then the close");
        }
    }

    @Test
    void duplicatesAndInsertedFramesGoOutMarkedAndCounted() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/dup"))) {
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.FRAME, FrameHandlersTest::isText, frames -> switch (text(frames)) {
                case "twice" -> new Verdict.Duplicate(1, "say it again");
                case "middle" -> new Verdict.Insert(
                        List.of(OutFrame.encode(true, true, 0, Opcode.TEXT, Opcode.TEXT, "before".getBytes(StandardCharsets.UTF_8), false, Fate.INSERTED, null)),
                        List.of(OutFrame.encode(true, true, 0, Opcode.TEXT, Opcode.TEXT, "after".getBytes(StandardCharsets.UTF_8), false, Fate.INSERTED, null)),
                        "framed");
                default -> Verdict.PASS;
            }));
            client.sendText("twice");
            client.sendText("middle");
            for (String expected : List.of("twice", "twice", "before", "middle", "after")) assertEquals(expected, client.nextText());
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(5, echo.messagesReceived());
            assertEquals(5, closed.c2s().messages());
            assertEquals(List.of("forwarded:twice", "duplicated:twice (say it again)", "inserted:before (framed)", "forwarded:middle",
                    "inserted:after (framed)"), fates(proxy.closeAndReadLog(), "c2s"));
        }
    }

    @Test
    void aFrameOverTheDecisionCapPassesUndecidedAndSaysWhy() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + echo.getPort(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/big"))) {
            sessionOf(proxy).handlers(Direction.C2S).add(handler(FrameHandler.Need.FRAME, h -> h.opcode() == Opcode.BINARY,
                    frames -> new Verdict.Drop("drops binary")));
            byte[] big = new byte[Pump.MAX_DECISION_BYTES + 1000];
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            client.sendBinary(big);
            assertTrue(java.util.Arrays.equals(big, client.nextBinary()), "the big frame went through whole and unchanged");
            FrameSeen seen = proxy.events().await(FrameSeen.class, f -> f.dir() == Direction.C2S && f.frame().header().opcode() == Opcode.BINARY, WAIT);
            assertEquals(Fate.FORWARDED, seen.fate());
            assertEquals(Pump.OVER_DECISION_CAP, seen.note());
            client.sendBinary(new byte[] {1, 2, 3});
            client.sendText("small");
            assertEquals("small", client.nextText(), "the small binary frame was dropped");
            Closed closed = closeAndAwait(proxy, client);
            assertEquals(1, closed.c2s().dropped());
            assertEquals(2, echo.messagesReceived());
        }
    }
}
