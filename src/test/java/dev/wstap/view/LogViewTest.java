package dev.wstap.view;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.filter.EventFilter;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.LogReader;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs of real proxied sessions read back: the same view as live, every filter, cut lines, follow mode. */
class LogViewTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final EventFilter ALL = EventFilter.ALL;

    @TempDir
    Path dir;

    private Path log;
    private List<TapEvent> live;

    /** Two sessions through the proxy to Java-WebSocket's echo server, one of them breaking a rule. */
    @BeforeEach
    void logTwoSessions() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + server.getPort(), dir)) {
            try (JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/first"))) {
                client.sendText("hello");
                assertEquals("hello", client.nextText());
                client.sendText("error: disk full");
                assertEquals("error: disk full", client.nextText());
                client.sendBinary(new byte[] {1, 2, 3});
                client.nextBinary();
                client.sendPing(ascii("ping?"));
                client.next(JdkWsClient.Pong.class);
                client.sendClose(1000, "bye");
                client.next(JdkWsClient.Close.class);
            }
            proxy.awaitNoSessions(WAIT);
            try (RawClient raw = RawClient.connect(proxy.port())) {
                raw.upgrade("/second");
                raw.write(FrameEncoder.frame(true, Opcode.TEXT, null, ascii("unmasked"))); // a client must mask
                proxy.events().await(FrameSeen.class, f -> f.frame().hasViolations(), WAIT);
            }
            proxy.awaitNoSessions(WAIT);
            proxy.close(); // drains every sink
            live = proxy.events().events();
            log = proxy.logFile();
        }
    }

    private List<TapEvent> read(Predicate<TapEvent> filter) throws Exception {
        List<TapEvent> shown = new ArrayList<>();
        try (InputStream in = Files.newInputStream(log)) {
            new LogView(filter, shown::add, System.err).read(log.toString(), in);
        }
        return shown;
    }

    /** Each event as the console shows it; sorted, since two sinks may see concurrent events in either order. */
    private static List<String> rendered(List<TapEvent> events) {
        ConsoleView view = new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC);
        List<String> out = new ArrayList<>();
        for (TapEvent e : events) out.add(String.join("\n", view.render(e).stream().map(Object::toString).toList()));
        Collections.sort(out);
        return out;
    }

    @Test
    void aLogReadBackLooksExactlyAsTheLiveConsoleDid() throws Exception {
        List<TapEvent> fromLog = read(ALL);
        assertEquals(live.size(), fromLog.size());
        assertEquals(rendered(live), rendered(fromLog));
    }

    @Test
    void everyFilterChoosesWhatItSays() throws Exception {
        List<TapEvent> all = read(ALL);
        int second = all.stream().filter(e -> e instanceof Opened o && o.url().endsWith("/second")).findFirst().orElseThrow().conn();

        List<TapEvent> session = read(EventFilter.of("sess:" + second));
        assertTrue(session.stream().allMatch(e -> e.conn() == second));
        assertTrue(session.stream().anyMatch(e -> e instanceof Closed));

        List<TapEvent> s2c = traffic(read(EventFilter.of("dir:s2c")));
        assertTrue(!s2c.isEmpty() && s2c.stream().allMatch(e -> e instanceof FrameSeen f ? f.dir() == Direction.S2C
                : ((MessageSeen) e).dir() == Direction.S2C));

        List<TapEvent> pongs = traffic(read(EventFilter.of("op:pong")));
        assertEquals(1, pongs.size());
        assertEquals("ping?", new String(((FrameSeen) pongs.get(0)).frame().preview(), StandardCharsets.UTF_8));

        // Each of these messages is its single frame: the frame's record, and the message made again from it.
        List<TapEvent> errors = traffic(read(EventFilter.of("body~/^error:/")));
        assertEquals(List.of("FrameSeen", "MessageSeen", "FrameSeen", "MessageSeen"), names(errors), "the message and its echo");
        assertTrue(errors.stream().allMatch(e -> "error: disk full".equals(e instanceof FrameSeen f ? f.frame().text()
                : ((MessageSeen) e).text())));

        List<TapEvent> flagged = traffic(read(EventFilter.of("viol")));
        assertEquals(List.of("FrameSeen", "MessageSeen"), names(flagged));
        assertEquals("unmasked", ((FrameSeen) flagged.get(0)).frame().text());

        Instant secondOpened = all.stream().filter(e -> e.conn() == second).findFirst().orElseThrow().time();
        List<TapEvent> since = read(EventFilter.allOf(List.of(), secondOpened, null));
        assertTrue(since.stream().allMatch(e -> e.conn() == second), "--since the second session opened");
        List<TapEvent> until = read(EventFilter.allOf(List.of(), null, secondOpened.minusNanos(1000)));
        assertTrue(!until.isEmpty() && until.stream().noneMatch(e -> e.conn() == second), "--until before it");
    }

    private static List<TapEvent> traffic(List<TapEvent> events) {
        return events.stream().filter(e -> e instanceof FrameSeen || e instanceof MessageSeen).toList();
    }

    private static List<String> names(List<TapEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void statsKeepsTheSessionsOfRunsAppendedToOneLogApart() throws Exception {
        Path twice = dir.resolve("twice.jsonl");
        Files.write(twice, Files.readAllBytes(log));
        Files.write(twice, Files.readAllBytes(log), StandardOpenOption.APPEND); // a second proxy run numbers from #1 again
        SessionSummary summary = new SessionSummary(ZoneOffset.UTC);
        try (InputStream in = Files.newInputStream(twice)) {
            assertTrue(new LogView(ALL, summary::add, System.err).read("twice", in));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> rows = out.toString(StandardCharsets.UTF_8).lines().skip(1).toList();
        assertEquals(4, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).contains("1000 Normal Closure by client · ws://") && rows.get(0).endsWith("/first"), rows.get(0));
        assertTrue(rows.get(0).matches("#1 +\\S+ +\\d+\\.\\d+s +5 .*"), "5 frames each way in the first session: " + rows.get(0));
        assertEquals(rows.subList(0, 2), rows.subList(2, 4));
    }

    @Test
    void aFileThatIsNoLogIsSaidToBeOne() throws Exception {
        Path text = dir.resolve("text.log");
        Files.writeString(text, "04:15:02.880731 #1 open 127.0.0.1:41054 → ws://127.0.0.1:35131/demo\n");
        try (InputStream in = Files.newInputStream(text)) {
            assertTrue(!new LogView(ALL, e -> { }, System.err).read("text.log", in));
        }
    }

    @Test
    void aCutLastLineIsReportedAndSkipped() throws Exception {
        byte[] whole = Files.readAllBytes(log);
        Path cut = dir.resolve("cut.jsonl");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 30));
        int lines = (int) new String(whole, StandardCharsets.UTF_8).lines().count();
        int events = read(ALL).size();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<TapEvent> shown = new ArrayList<>();
        LogView view = new LogView(ALL, shown::add, new PrintStream(err, true, StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(cut)) {
            view.read("cut.jsonl", in);
        }
        assertEquals(events - 1, shown.size(), "all but the last line, the second session's close record");
        assertEquals(1, view.skipped());
        assertEquals("wstap: cut.jsonl:" + lines + ": the last line is cut short (was the writer killed?); skipped\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void followPicksUpLinesAsTheyAreAppended() throws Exception {
        List<String> lines = Files.readAllLines(log);
        Path growing = dir.resolve("growing.jsonl");
        Files.write(growing, lines.subList(0, 2));
        List<TapEvent> shown = new CopyOnWriteArrayList<>();
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                new LogView(ALL, shown::add, System.err).follow(growing);
            } catch (InterruptedException ended) {
                // The test is over.
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try {
            int firstTwo = eventsOf(lines.subList(0, 2));
            Poll.until(WAIT, () -> shown.size() == firstTwo, "the first two lines");
            String rest = String.join("\n", lines.subList(2, lines.size())) + "\n";
            int half = rest.length() / 2;
            Files.writeString(growing, rest.substring(0, half), StandardOpenOption.APPEND); // a line written in two pieces
            Thread.sleep(3 * LogLines.FOLLOW_POLL_MILLIS);
            Files.writeString(growing, rest.substring(half), StandardOpenOption.APPEND);
            int all = eventsOf(lines);
            Poll.until(WAIT, () -> shown.size() == all, () -> shown.size() + " of " + all + " shown");
        } finally {
            follower.interrupt();
        }
        assertEquals(rendered(read(ALL)), rendered(shown));
    }

    /** How many events {@code lines} of a log hold. */
    private static int eventsOf(List<String> lines) throws LogReader.BadRecord {
        LogReader reader = new LogReader();
        int n = 0;
        for (String line : lines) n += reader.parse(line).size();
        return n;
    }
}
