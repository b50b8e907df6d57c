package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.intercept.Intercept;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.shell.CommandRunner;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Waits;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Intercept with peers we did not write: Node's ws as the server (reporting every message, pong
 * and tick it sends, with times) and Python's websockets or Node's ws as the client. A script
 * holds a message for three seconds, then edits or drops it: meanwhile the server's pings must be
 * answered and its stream must reach the client; afterwards every later message must arrive
 * readable and in order, also on a compressed session with context takeover (both libraries'
 * defaults), where wstap compresses the direction again from the change on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterceptPeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOLD_MILLIS = 3000;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A proxy to {@code upstream} whose sessions can be intercepted, and a runner for scripts against it. */
    private record Rig(ProxyServer proxy, Tap tap, CommandRunner runner, ByteArrayOutputStream out, ByteArrayOutputStream log)
            implements AutoCloseable {
        static Rig start(int upstreamPort) throws IOException {
            Tap tap = new Tap();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            tap.attach("log", new JsonlLog(log), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
            Intercept intercept = new Intercept();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                    WsUrl.parse("ws://127.0.0.1:" + upstreamPort + "/")).withSessionSetup(intercept), tap);
            CommandRunner runner = new CommandRunner(proxy.sessions(), tap, null, print, print);
            runner.intercept(intercept);
            return new Rig(proxy.start(), tap, runner, out, log);
        }

        CompletableFuture<Integer> script(String... lines) {
            return CompletableFuture.supplyAsync(() -> runner.runScript("test", List.of(lines)));
        }

        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            proxy.close();
            tap.close();
        }
    }

    /** The done-when script of the intercept: hold, edit with --replace, forward; the server gets the redacted text. */
    @ParameterizedTest(name = "python websockets client, node ws server, compression {0}")
    @ValueSource(booleans = {false, true})
    void aHeldMessageIsEditedWhileTheServersPingsAreAnsweredAndItsStreamFlows(boolean isCompressed) throws Exception {
        Peers.require();
        int nodePort = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(nodePort), isCompressed ? "deflate" : "plain");
             Rig rig = Rig.start(nodePort)) {
            CompletableFuture<Integer> script = rig.script(
                    "intercept 'dir:c2s body~/secret/'",
                    "wait held --timeout 60",
                    "sleep " + HOLD_MILLIS,
                    "edit 1 --replace '/secret/redacted/'",
                    "forward --all",
                    "wait frame --timeout 60 'dir:s2c body~/^bye$/'");
            // Later messages repeat the held one's words from before the change: with context takeover they refer back
            // into it, over the changed part, so the server reads them right only if wstap compresses them again.
            try (Reporter client = new Reporter(null, Peers.python(), "websockets_sender.py", "ws://127.0.0.1:" + rig.proxy().port() + "/",
                    "the token is 0123456789abcdefghij; my secret is 42", "after 1: the token is 0123456789abcdefghij",
                    "after 2: the token is 0123456789abcdefghij, again", "done")) {
                assertEquals(0, client.awaitExit(), client.lines.toString());
                assertEquals(0, script.get(Waits.scaledMillis(60_000), TimeUnit.MILLISECONDS), rig.output());

                List<String> received = server.where("event", "message").stream().map(r -> r.get("data").asText()).toList();
                assertEquals(List.of("the token is 0123456789abcdefghij; my redacted is 42", "after 1: the token is 0123456789abcdefghij",
                        "after 2: the token is 0123456789abcdefghij, again", "done"), received, "the edit arrived first, then the rest in order, all readable");
                String extensions = server.where("event", "open").get(0).path("agreed").asText();
                assertEquals(isCompressed ? "permessage-deflate" : "", extensions);

                long released = server.where("event", "message").get(0).get("t").asLong();
                long heldFrom = released - HOLD_MILLIS;
                List<JsonNode> pongsWhileHeld = server.where("event", "pong").stream()
                        .filter(p -> p.get("t").asLong() > heldFrom && p.get("t").asLong() < released).toList();
                assertTrue(pongsWhileHeld.size() >= 3, "the server's pings were answered during the hold: " + pongsWhileHeld);
                for (JsonNode p : pongsWhileHeld) assertTrue(p.get("rtt_ms").asLong() < HOLD_MILLIS, "answered at once, not after the hold: " + p);
                long ticksWhileHeld = client.records.stream()
                        .filter(r -> r.path("recv").asText("").startsWith("tick") && r.get("t").asLong() > heldFrom
                                && r.get("t").asLong() < released).count();
                assertTrue(ticksWhileHeld >= 5, "the server's messages reached the client during the hold: " + ticksWhileHeld);
            }
            String out = rig.output();
            assertTrue(out.contains("edited #1 (--replace /secret/redacted/"), out);
            assertTrue(out.contains("nothing was forwarded") || out.contains("nothing is held"), "only #1 was held: " + out);
        }
    }

    /**
     * Server to client on a compressed session, Node's ws at both ends: one held message is dropped
     * and another edited; every later message must still inflate at the client (a wrong context
     * makes ws fail the connection with 1007).
     */
    @ParameterizedTest(name = "node ws client, server to client, {0}")
    @ValueSource(strings = {"drop", "edit"})
    void changesServerToClientLeaveTheClientAbleToReadEveryLaterMessage(String change) throws Exception {
        Peers.require();
        int nodePort = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(nodePort), "deflate");
             Rig rig = Rig.start(nodePort)) {
            CompletableFuture<Integer> script = rig.script(
                    "intercept 'dir:s2c body~/secret/'",
                    "wait held --timeout 60",
                    change.equals("drop") ? "drop 1" : "edit 1 --json-set /secret=\"none\"",
                    "wait held --timeout 60",
                    "forward 2",
                    "wait held --timeout 60",
                    "forward 3",
                    "wait frame --timeout 60 'dir:s2c body~/^bye$/'");
            try (Reporter client = new Reporter(null, "node", "ws-sender.js", "ws://127.0.0.1:" + rig.proxy().port() + "/",
                    "say:{\"secret\":\"s3cr3t\",\"user\":\"ann\"}", "say:the secret word is in this one too",
                    "say:{\"secret\":\"s3cr3t\",\"user\":\"bob\"}", "say:last words", "done")) {
                assertEquals(0, client.awaitExit(), client.lines + "\n" + rig.output());
                assertEquals(0, script.get(Waits.scaledMillis(60_000), TimeUnit.MILLISECONDS), rig.output());
                assertEquals("permessage-deflate", client.records.get(0).path("extensions").asText(), client.lines.toString());
                List<String> got = client.records.stream().map(r -> r.path("recv").asText(null))
                        .filter(t -> t != null && !t.startsWith("tick")).toList();
                List<String> expected = new ArrayList<>();
                if (change.equals("edit")) expected.add("{\"secret\":\"none\",\"user\":\"ann\"}");
                expected.addAll(List.of("the secret word is in this one too", "{\"secret\":\"s3cr3t\",\"user\":\"bob\"}", "last words", "bye"));
                assertEquals(expected, got);
            }
        }
    }
}
