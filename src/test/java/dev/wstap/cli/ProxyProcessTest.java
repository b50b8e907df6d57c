package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.echo.EchoServer;
import dev.wstap.http.Handshake;
import dev.wstap.http.HostPort;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy as a user runs it: a child JVM, a real client, and a signal to stop it. */
class ProxyProcessTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void afterASignalEveryLogLineParsesAndOpenSessionsAreClosed(String signal) throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("traffic.jsonl");
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", echo.url(), "--no-color", "--log", log.toString())) {
                wstap.awaitListening(port, Duration.ofSeconds(20));
                LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                HttpClient client = HttpClient.newHttpClient();
                WebSocket ws = client.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal"), collector(received))
                        .get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
                for (int i = 0; i < 200; i++) ws.sendText("message " + i, true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                for (int i = 0; i < 200; i++) assertEquals("message " + i, received.poll(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS));

                wstap.signal(signal);
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "wstap did not exit after SIG" + signal);

                List<String> lines = Files.readAllLines(log);
                long frames = 0;
                long closes = 0;
                for (String line : lines) {
                    String type = typeOf(line);
                    if (type.equals("frame") && line.contains("\"opcode\":1,")) frames++;
                    if (type.equals("close")) {
                        closes++;
                        // wstap closed the session with 1001 both ways (cleanly, when the peers answered), or it
                        // dropped it and says so, or the JDK client had closed it cleanly just before the signal;
                        // never is a peer blamed for what wstap did.
                        boolean isClosedByWstap = line.contains("\"code\":1001,\"reason\":\"wstap is stopping\",\"closed_by\":\"wstap\"");
                        boolean isStoppedByWstap = line.contains("\"error\":\"wstap was stopped\"");
                        boolean isCleanClientClose = line.contains("\"closed_by\":\"client\"") && line.contains("\"clean\":true");
                        assertTrue(isClosedByWstap || isStoppedByWstap || isCleanClientClose, "the close record says how the session ended: " + line);
                    }
                }
                assertEquals(400, frames, "every text message each way is in the log: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 4), lines.size())));
                assertEquals(1, closes, "the session interrupted by the signal has its close record");
                assertTrue(wstap.stdoutText().contains(" open 127.0.0.1:"), wstap.stdoutText());
                java.lang.ref.Reference.reachabilityFence(ws);
                client.shutdownNow();
            }
        }
    }

    @Test
    void aStalledTerminalDoesNotKeepWstapFromExiting() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("stalled.jsonl");
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), true, "proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", echo.url(), "--no-color", "--log", log.toString())) {
                wstap.awaitListening(port, Duration.ofSeconds(20));
                HttpClient client = HttpClient.newHttpClient();
                LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                WebSocket ws = client.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/flood"), collector(received)).get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
                // Far more console output than a pipe holds (64 KiB): the console thread blocks in a write.
                String message = "x".repeat(1000);
                for (int i = 0; i < 2000; i++) ws.sendText(message, true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                for (int i = 0; i < 2000; i++) assertEquals(message, received.poll(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "traffic flows while the console is stuck");

                wstap.signal("TERM");
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "wstap must exit although nobody reads its output");
                long frames = Files.readAllLines(log).stream()
                        .filter(l -> l.contains("\"type\":\"frame\"") && l.contains("\"opcode\":1,")).count();
                assertEquals(4000, frames, "the log still has every text frame");
                client.shutdownNow();
            }
        }
    }

    /**
     * Peers that never answer a close: the upstream reads and says nothing, the raw client too. wstap
     * waits up to --shutdown-grace for their answers; a second Ctrl-C drops them at once, and the
     * log still gets the session's close record.
     */
    @Test
    void aSecondCtrlCDropsSilentPeersAtOnceAndTheLogIsStillFlushed() throws Exception {
        try (ScriptedServer upstream = silentUpstream()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("traffic.jsonl");
            try (WstapProcess wstap = proxyWithGrace(upstream, port, log, "60");
                 RawClient client = awaitSession(wstap, port)) {
                wstap.signal("INT");
                assertFalse(wstap.process.waitFor(1500, TimeUnit.MILLISECONDS), "wstap waits for the peers' answers");
                long second = System.nanoTime();
                wstap.signal("INT");
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "a second Ctrl-C ends the wait");
                assertTrue(System.nanoTime() - second < TimeUnit.SECONDS.toNanos(5), "at once, not after the grace");
                assertEquals(ExitCodes.INTERRUPTED, wstap.process.exitValue());
                assertTrue(wstap.stderrText().contains("wstap: dropping the connections now"), wstap.stderrText());
                String close = closeRecord(log);
                assertTrue(close.contains("\"closed_by\":\"wstap\"") && close.contains("\"code\":1001"), close);
            }
        }
    }

    /** After quit, wstap waits for the peers as after a first Ctrl-C: a Ctrl-C meanwhile drops them. */
    @Test
    void aCtrlCWhileQuitWaitsForSilentPeersDropsThemAtOnce() throws Exception {
        try (ScriptedServer upstream = silentUpstream()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("traffic.jsonl");
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", "ws://127.0.0.1:" + upstream.port(), "--log", log.toString(), "--shutdown-grace", "60");
                 RawClient client = awaitSession(wstap, port)) {
                wstap.process.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
                wstap.process.getOutputStream().flush();
                assertFalse(wstap.process.waitFor(1500, TimeUnit.MILLISECONDS), "wstap waits for the peers' answers");
                long interrupt = System.nanoTime();
                wstap.signal("INT");
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "Ctrl-C ends the wait");
                assertTrue(System.nanoTime() - interrupt < TimeUnit.SECONDS.toNanos(5), "at once, not after the grace");
                assertEquals(ExitCodes.OK, wstap.process.exitValue(), "quit asked for the end");
                assertTrue(wstap.stderrText().contains("wstap: dropping the connections now"), wstap.stderrText());
                String close = closeRecord(log);
                assertTrue(close.contains("\"closed_by\":\"wstap\"") && close.contains("\"code\":1001"), close);
            }
        }
    }

    @Test
    void theShutdownGraceIsHowLongSilentPeersAreAwaited() throws Exception {
        try (ScriptedServer upstream = silentUpstream()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("traffic.jsonl");
            try (WstapProcess wstap = proxyWithGrace(upstream, port, log, "0.5");
                 RawClient client = awaitSession(wstap, port)) {
                long start = System.nanoTime();
                wstap.signal("TERM");
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "wstap did not exit after SIGTERM");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "half a second of grace, then out");
                // The client got wstap's close 1001 before its connection was dropped.
                byte[] close = client.readExactly(2 + 2 + "wstap is stopping".length());
                assertEquals(0x88, close[0] & 0xff, "a close frame");
                assertEquals(1001, ((close[2] & 0xff) << 8) | (close[3] & 0xff));
                assertTrue(closeRecord(log).contains("\"code\":1001"), closeRecord(log));
            }
        }
    }

    /**
     * kill -9 mid-traffic: the log is cut wherever the kernel had it, so at most its last line is
     * incomplete, and wstap view reads the rest, saying that it skipped the cut line.
     */
    @Test
    void afterKillMinus9AtMostTheLastLogLineIsCutAndViewSkipsIt() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start()) {
            int port = WstapProcess.freePort();
            Path log = dir.resolve("traffic.jsonl");
            try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", echo.url(), "--no-shell", "--quiet", "--log", log.toString())) {
                wstap.awaitListening(port, Duration.ofSeconds(20));
                HttpClient http = HttpClient.newHttpClient();
                WebSocket ws = http.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), collector(new LinkedBlockingQueue<>()))
                        .get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
                String text = "x".repeat(300);
                for (int i = 0; i < 3000; i++) ws.sendText(text, true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                // Killed while the log is being written: once it holds some of the traffic (it is
                // flushed every 200 ms while events flow), and while more is still coming.
                Thread sender = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) ws.sendText(text, true).join();
                });
                dev.wstap.testing.Poll.until(Duration.ofSeconds(10), () -> lineCount(log) > 100, "the log to hold some traffic");
                wstap.process.destroyForcibly(); // SIGKILL
                sender.interrupt();
                assertTrue(wstap.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS));
                http.shutdownNow();
            }
            List<String> lines = Files.readAllLines(log);
            assertTrue(lines.size() > 100, "the log was being written: " + lines.size() + " lines");
            for (String line : lines.subList(0, lines.size() - 1)) typeOf(line);
            boolean isLastCut = !Files.readString(log).endsWith("\n");
            try (WstapProcess view = WstapProcess.start(dir, List.of(), "view", "--no-color", log.toString())) {
                assertTrue(view.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS));
                assertEquals(0, view.process.exitValue(), view.stderrText());
                assertEquals(isLastCut, view.stderrText().contains("the last line is cut short"), view.stderrText());
                assertTrue(view.stdoutText().contains(" open 127.0.0.1:"), "the session is shown");
            }
        }
    }

    /** An upstream that completes the handshake, then reads and never answers anything. */
    private static ScriptedServer silentUpstream() throws java.io.IOException {
        return ScriptedServer.start(ex -> {
            ex.write(Handshake.switchingProtocols(ex.request()).encode());
            ex.readToEnd();
        });
    }

    private WstapProcess proxyWithGrace(ScriptedServer upstream, int port, Path log, String graceSeconds) throws Exception {
        return WstapProcess.start(dir, List.of(), "proxy", "--listen", "127.0.0.1:" + port,
                "--upstream", "ws://127.0.0.1:" + upstream.port(), "--no-shell", "--log", log.toString(),
                "--shutdown-grace", graceSeconds);
    }

    /** A raw client's session through wstap, open once wstap has shown it. */
    private static RawClient awaitSession(WstapProcess wstap, int port) throws Exception {
        wstap.awaitListening(port, Duration.ofSeconds(20));
        RawClient client = RawClient.connect(port);
        client.upgrade("/");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!wstap.stdoutText().contains(" open 127.0.0.1:") && System.nanoTime() < deadline) Thread.sleep(20);
        return client;
    }

    /** The log's one close record. */
    private static String closeRecord(Path log) throws Exception {
        List<String> closes = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(log)) if (typeOf(line).equals("close")) closes.add(line);
        assertEquals(1, closes.size(), closes.toString());
        return closes.get(0);
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             WstapProcess wstap = WstapProcess.start(dir, List.of(), "proxy", "--listen", "127.0.0.1:" + taken.getLocalPort(),
                     "--upstream", "ws://127.0.0.1:9")) {
            assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS));
            assertEquals(1, wstap.process.exitValue());
            String err = wstap.stderrText().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("wstap: cannot listen on 127.0.0.1:" + taken.getLocalPort()), err);
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutProxyAuthWarns() throws Exception {
        int port = WstapProcess.freePort();
        try (WstapProcess wstap = WstapProcess.start(dir, List.of(), "proxy", "--listen", "0.0.0.0:" + port,
                "--ca-dir", dir.resolve("ca").toString(), "--no-color")) {
            String err = awaitBanner(wstap, port);
            assertTrue(err.contains("wstap: warning: listening on 0.0.0.0, reachable from other machines, without --proxy-auth; "
                    + "anyone who can connect can use this proxy\n"), err);
        }
    }

    @Test
    void withProxyAuthOrOnLoopbackThereIsNoWarning() throws Exception {
        int open = WstapProcess.freePort();
        int loopback = WstapProcess.freePort();
        try (WstapProcess authenticated = WstapProcess.start(dir, List.of(), "proxy", "--listen", "0.0.0.0:" + open,
                     "--proxy-auth", "debug:secret", "--ca-dir", dir.resolve("ca").toString(), "--no-color");
             WstapProcess local = WstapProcess.start(dir, List.of(), "proxy", "--listen", String.valueOf(loopback),
                     "--upstream", "ws://127.0.0.1:9", "--no-color")) {
            for (String err : List.of(awaitBanner(authenticated, open), awaitBanner(local, loopback))) {
                assertTrue(!err.contains("warning"), err);
            }
            assertTrue(local.stderrText().startsWith("wstap proxy: ws://127.0.0.1:" + loopback + " → "), local.stderrText());
        }
    }

    /** Waits for the line wstap prints once it listens, and returns its stderr so far (warnings come just before). */
    private static String awaitBanner(WstapProcess wstap, int port) throws Exception {
        wstap.awaitListening(port, Duration.ofSeconds(20));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!wstap.stderrText().contains("wstap proxy: ") && System.nanoTime() < deadline) Thread.sleep(20);
        return wstap.stderrText();
    }

    /** Parses a whole line with jackson-core and returns its "type"; fails on any malformed line. */
    private static String typeOf(String line) throws Exception {
        String type = null;
        try (JsonParser p = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) throw new AssertionError("truncated line: " + line);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) depth++;
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) depth--;
                if (depth == 1 && t == JsonToken.FIELD_NAME && p.currentName().equals("type")) {
                    p.nextToken();
                    type = p.getText();
                }
            }
            assertEquals(null, p.nextToken(), "one value per line: " + line);
        }
        if (type == null) throw new AssertionError("no type: " + line);
        return type;
    }

    private static WebSocket.Listener collector(LinkedBlockingQueue<String> received) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                ws.request(1);
                return null;
            }
        };
    }

    private static long lineCount(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
