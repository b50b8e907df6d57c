package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.cli.WstapProcess;
import dev.wstap.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * wstap replay with peers we did not write. Once for the class, a Node ws client talks to a Python
 * websockets server through {@code wstap proxy --log-payload full} (hello, two orders carrying the
 * session id the server gave, the second in two fragments, a ping, a binary message, bye; both
 * sides compress). That log is then replayed, by the real command line: the client side against
 * fresh servers (one answering as before, one whose prices changed), the server side to a fresh
 * Node client, with captures, --expect-same, a JUnit report and the original timing.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplayPeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Path recording;
    /** What the Node client printed when it was recorded: the server's messages, the pong, the close. */
    private static JsonNode recordedClient;

    @BeforeAll
    static void record() throws Exception {
        Peers.require();
        recording = dir.resolve("chat.jsonl");
        try (Server server = Server.start("same")) {
            int port = WstapProcess.freePort();
            try (WstapProcess proxy = WstapProcess.start(dir, List.of(), "proxy", "--listen", String.valueOf(port),
                    "--upstream", server.url(), "--log", recording.toString(), "--log-payload", "full", "-q")) {
                proxy.awaitListening(port, Waits.scaled(Duration.ofSeconds(30)));
                recordedClient = last(Peers.runClient("node", "ws-chat-client.js", "ws://127.0.0.1:" + port + "/", "250"));
                proxy.signal("INT");
                proxy.awaitExit(EXIT);
            }
        }
        assertEquals(4, recordedClient.path("received").size(), recordedClient.toString());
    }

    /** A Python websockets chat server, for one test. */
    private record Server(Process process, int port) implements AutoCloseable {
        static Server start(String mode) throws Exception {
            int port = WstapProcess.freePort();
            return new Server(Peers.startServer("LISTENING", Peers.python(), "websockets_chat_server.py", String.valueOf(port), mode), port);
        }

        String url() {
            return "ws://127.0.0.1:" + port + "/";
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private record Run(int exit, String stderr) {}

    private static Run replay(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("replay", recording.toString()));
        all.addAll(List.of(args));
        try (WstapProcess p = WstapProcess.start(dir, List.of(), all.toArray(String[]::new))) {
            int exit = p.awaitExit(EXIT);
            return new Run(exit, p.stderrText());
        }
    }

    private static JsonNode last(List<String> lines) throws Exception {
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    private static List<JsonNode> records(Path log, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode r = JSON.readTree(line);
            if (r.path("type").asText().equals(type)) out.add(r);
        }
        return out;
    }

    private static String frames(Path log, String dir) throws Exception {
        return String.join(" ", records(log, "frame").stream().filter(f -> f.path("dir").asText().equals(dir))
                .map(f -> f.path("opcode").asInt() + (f.path("fin").asBoolean() ? "" : "~") + "/" + f.path("rsv").asInt()).toList());
    }

    @Test
    void theClientSideReplaysAgainstAFreshServerAndExitsZero() throws Exception {
        Path log = dir.resolve("client.jsonl");
        try (Server server = Server.start("same")) {
            Run run = replay("--as", "client", server.url(), "--log", log.toString(), "-q");
            assertEquals(0, run.exit(), run.stderr());
            assertTrue(run.stderr().contains("completed: sent the client's 8 recorded frames; the server sent what the recording has "
                    + "(3 text messages, 1 binary message, 1 close, 1 pong)"), run.stderr());
        }
        // As recorded: the same frames (opcode, FIN, RSV), compressed again by wstap where Node had compressed them; the
        // server inflated them (it answered every one) and closed as it did then.
        assertEquals(frames(recording, "c2s"), frames(log, "c2s"));
        assertTrue(frames(log, "c2s").startsWith("1/4 1/4 1~/4 0/0 9/0 2/4"), frames(log, "c2s"));
        JsonNode close = records(log, "close").get(0);
        assertEquals(List.of(1000, "bye", "server", true), List.of(close.path("code").asInt(), close.path("reason").asText(),
                close.path("closed_by").asText(), close.path("clean").asBoolean()));
        JsonNode ping = records(log, "frame").stream().filter(f -> f.path("opcode").asInt() == 9).findFirst().orElseThrow();
        assertEquals("are you there", new String(java.util.Base64.getDecoder().decode(ping.path("payload_b64").asText()),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(ping.path("masked").asBoolean());
    }

    @Test
    void aServerWhoseAnswersChangedFailsWithADiffAndAJunitReport() throws Exception {
        Path junit = dir.resolve("changed.xml");
        try (Server server = Server.start("changed")) {
            Run run = replay("--as", "client", server.url(), "-q", "--expect-same", "--ignore", "/session",
                    "--capture", "session=/session", "--junit", junit.toString());
            assertEquals(1, run.exit(), run.stderr());
            assertTrue(run.stderr().contains("the server's message 2 differs from the recording (line "), run.stderr());
            assertTrue(run.stderr().contains("  /price: recorded 101.5, live 99.0"), run.stderr());
            assertTrue(run.stderr().contains("2 of 5 compared differ (above)"), run.stderr());
        }
        var suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
        assertEquals("2", suite.getAttribute("failures"));
        assertTrue(suite.getTextContent().contains("/price: recorded 101.5, live 99.0"), suite.getTextContent());
    }

    @Test
    void aCapturedSessionIdGoesIntoTheMessagesThatCarriedTheRecordedOne() throws Exception {
        try (Server server = Server.start("same")) {
            Run without = replay("--as", "client", server.url(), "-q", "--expect-same", "--ignore", "/session");
            assertEquals(1, without.exit(), without.stderr());
            assertTrue(without.stderr().contains("  /valid: recorded true, live false"), without.stderr());

            Run with = replay("--as", "client", server.url(), "-q", "--expect-same", "--ignore", "/session",
                    "--capture", "session=/session@json:/type==\"welcome\"");
            assertEquals(0, with.exit(), with.stderr());
            assertTrue(with.stderr().contains("captured session = "), with.stderr());
            assertTrue(with.stderr().contains("all 5 compared are the same"), with.stderr());
        }
    }

    @Test
    void theServerSidePlaysTheRecordedServerToAFreshNodeClient() throws Exception {
        int port = WstapProcess.freePort();
        Path log = dir.resolve("server.jsonl");
        try (WstapProcess p = WstapProcess.start(dir, List.of(), "replay", recording.toString(), "--as", "server",
                "--listen", String.valueOf(port), "--expect-same", "-q", "--log", log.toString())) {
            long deadline = System.nanoTime() + Waits.scaled(Duration.ofSeconds(30)).toNanos();
            while (!p.stderrText().contains("waiting for a client")) {
                assertTrue(System.nanoTime() < deadline, "wstap replay did not listen: " + p.stderrText());
                Thread.sleep(20);
            }
            JsonNode client = last(Peers.runClient("node", "ws-chat-client.js", "ws://127.0.0.1:" + port + "/"));
            // The recorded server's messages (its session id of then included), its pong and its close.
            assertEquals(recordedClient, client);
            int exit = p.awaitExit(EXIT);
            assertEquals(0, exit, p.stderrText());
            assertTrue(p.stderrText().contains("all 6 compared are the same"), p.stderrText()); // 5 messages and the close
        }
        assertEquals(frames(recording, "s2c"), frames(log, "s2c"));
        assertTrue(frames(log, "s2c").startsWith("1/4"), "compressed again for the new client: " + frames(log, "s2c"));
    }

    @Test
    void originalTimingTakesTheRecordedTimeWithinTenPercent() throws Exception {
        Path log = dir.resolve("timed.jsonl");
        try (Server server = Server.start("same")) {
            Run run = replay("--as", "client", server.url(), "-q", "--timing", "original", "--log", log.toString());
            assertEquals(0, run.exit(), run.stderr());
        }
        // From the open to the client's last message (its "bye"): what --timing original schedules. The whole
        // session adds the server's answer to it, which the replay does not time.
        double recorded = lastClientMessageMillis(recording);
        double replayed = lastClientMessageMillis(log);
        assertTrue(recorded > 900, "the recording has four gaps of 250 ms: " + recorded);
        assertTrue(Math.abs(replayed - recorded) <= 0.1 * recorded, "recorded " + recorded + " ms, replayed " + replayed + " ms");
        double recordedTotal = records(recording, "close").get(0).path("duration_ms").asDouble();
        double replayedTotal = records(log, "close").get(0).path("duration_ms").asDouble();
        assertTrue(replayedTotal >= 0.9 * recordedTotal, "the whole session: recorded " + recordedTotal + " ms, replayed " + replayedTotal);
    }

    /** Milliseconds from the session's open record to the client's last text frame. */
    private static double lastClientMessageMillis(Path log) throws Exception {
        java.time.Instant open = java.time.Instant.parse(records(log, "open").get(0).path("ts").asText());
        JsonNode last = records(log, "frame").stream()
                .filter(f -> f.path("dir").asText().equals("c2s") && f.path("opcode").asInt() == 1).reduce((a, b) -> b).orElseThrow();
        return Duration.between(open, java.time.Instant.parse(last.path("ts").asText())).toNanos() / 1e6;
    }

    @Test
    void aServerThatClosesEarlyFailsTheReplayAtOnceAndItsCloseIsAnswered() throws Exception {
        Path log = dir.resolve("early.jsonl");
        long start = System.nanoTime();
        try (Server server = Server.start("early")) {
            Run run = replay("--as", "client", server.url(), "-q", "--wait-timeout", "60", "--log", log.toString());
            assertEquals(1, run.exit(), run.stderr());
            assertTrue(run.stderr().contains("the server closed (1011 \"oops\") without what the recording has it send by this point: "
                    + "1 text message"), run.stderr());
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "no wait for --wait-timeout 60");
        JsonNode close = records(log, "close").get(0);
        assertEquals(List.of(1011, "server", true), List.of(close.path("code").asInt(), close.path("closed_by").asText(),
                close.path("clean").asBoolean()), close.toString());
    }

    @Test
    void ctrlCStopsAReplayWithTheStepsSoFarInTheReport() throws Exception {
        Path junit = dir.resolve("stopped.xml");
        try (Server server = Server.start("silent");
             WstapProcess p = WstapProcess.start(dir, List.of(), "replay", recording.toString(), "--as", "client", server.url(),
                     "--no-color", "--wait-timeout", "120", "--junit", junit.toString())) {
            long deadline = System.nanoTime() + Waits.scaled(Duration.ofSeconds(30)).toNanos();
            // The hello has gone, and the silent server's welcome is awaited.
            while (!p.stdoutText().contains("client→server text")) {
                assertTrue(System.nanoTime() < deadline, "the replay did not connect: " + p.stderrText());
                Thread.sleep(20);
            }
            p.signal("INT");
            assertEquals(130, p.awaitExit(EXIT), p.stderrText());
            assertTrue(p.stderrText().contains("wstap replay: wstap was stopped after 1 of the client's 8 recorded frames"), p.stderrText());
        }
        var suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
        assertEquals("1", suite.getAttribute("failures"));
        assertTrue(suite.getTextContent().contains("wstap was stopped after 1 of the client's 8 recorded frames"), suite.getTextContent());
    }
}
