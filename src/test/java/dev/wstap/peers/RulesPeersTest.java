package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.rules.Rules;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules with peers we did not write: Node's ws server (reporting what it receives) and Node's ws
 * and Python's websockets as clients. The delay is measured by the client against a direct
 * connection in the same run; drops and duplicates are counted by the server; withheld pongs make
 * Python's own keep-alive give up; a corrupted message gets 1007 from Python; a fragmented one
 * reaches the server whole.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RulesPeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A proxy with the rules of {@code yaml} in front of port {@code upstream}, logging to memory. */
    private record Rig(ProxyServer proxy, Tap tap, ByteArrayOutputStream log) implements AutoCloseable {
        static Rig start(Path dir, int upstream, String yaml) throws Exception {
            Path file = dir.resolve("rules.yaml");
            Files.writeString(file, yaml);
            Rules rules = new Rules(7, line -> { });
            rules.load(file);
            Tap tap = new Tap();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            tap.attach("log", new JsonlLog(log), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
            ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                    WsUrl.parse("ws://127.0.0.1:" + upstream + "/")).withSessionSetup(rules), tap).start();
            return new Rig(proxy, tap, log);
        }

        String url() {
            return "ws://127.0.0.1:" + proxy.port() + "/";
        }

        /** The frame records, once the proxy has stopped. */
        List<JsonNode> frames() throws Exception {
            close();
            List<JsonNode> out = new ArrayList<>();
            for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
                JsonNode r = JSON.readTree(line);
                if (r.path("type").asText().equals("frame")) out.add(r);
            }
            return out;
        }

        @Override
        public void close() {
            proxy.close();
            tap.close();
        }
    }

    /** The close code the server got, once it got one. */
    private static int closeCodeAt(Reporter server) {
        dev.wstap.testing.Poll.until(java.time.Duration.ofSeconds(20), () -> !server.where("event", "close").isEmpty(), "the server's close");
        return server.where("event", "close").get(0).get("code").asInt();
    }

    /** The three first rules: a slower server, dropped messages, pongs that never come. */
    @Test
    void aSlowServerDroppedMessagesAndWithheldPongsAllShownAndLogged() throws Exception {
        Peers.require();
        int port = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(port), "deflate", "quiet");
             Rig rig = Rig.start(dir, port, """
                     - name: slow server
                       when: dir:s2c op:text
                       delay: 200ms
                     - when: dir:c2s body~/drop-me/
                       drop: true
                     - name: server never answers pings
                       when: dir:s2c op:pong
                       drop: true
                     """)) {
            List<String> direct = Peers.runClient("node", "ws-rules-client.js", "ws://127.0.0.1:" + port + "/");
            List<String> through = Peers.runClient("node", "ws-rules-client.js", rig.url());
            JsonNode d = JSON.readTree(direct.get(direct.size() - 1));
            JsonNode t = JSON.readTree(through.get(through.size() - 1));
            // The delay is a floor under every round trip through wstap; the direct ones, measured at another moment
            // on a loaded machine, may be slower than the through ones less the delay, so they are no baseline to add to.
            double fastest = StreamSupport.stream(t.get("rtts").spliterator(), false).mapToDouble(JsonNode::asDouble).min().orElse(0);
            assertTrue(fastest >= 200, "every round trip through wstap takes the 200 ms delay: through wstap " + t.get("rtts")
                    + " (direct " + d.get("rtts") + ")");
            assertTrue(d.get("pongs").asInt() > 0, "the server answers pings: " + d);
            assertEquals(0, t.get("pongs").asInt(), "through wstap no pong comes back");
            long dropMes = server.where("event", "message").stream().filter(m -> m.get("data").asText().contains("drop-me")).count();
            assertEquals(3, dropMes, "only the direct connection's three reached the server");

            List<JsonNode> frames = rig.frames();
            long delayed = frames.stream().filter(f -> f.path("rule").asText().equals("slow server") && f.path("fate").asText().equals("delayed")).count();
            long dropped = frames.stream().filter(f -> f.path("rule").asText().equals("#2") && f.path("fate").asText().equals("dropped")).count();
            long pongs = frames.stream().filter(f -> f.path("rule").asText().equals("server never answers pings")).count();
            assertTrue(delayed >= 6, "the echoes and bye were delayed, and logged so: " + delayed);
            assertEquals(3, dropped);
            assertEquals(5, pongs);
        }
    }

    @Test
    void aFragmentedMessageReachesTheServerWholeAndDuplicatesAreCounted() throws Exception {
        Peers.require();
        int port = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(port), "deflate", "quiet");
             Rig rig = Rig.start(dir, port, """
                     - {when: 'dir:c2s body~/^fragment/', fragment: {parts: 3, ping_between: true}}
                     - {when: 'dir:c2s body~/^twice/', duplicate: 1}
                     """)) {
            // The duplicate comes first: from it on wstap compresses this way itself, so the fragments are cut from its output.
            // Python's websockets compresses every message (Node's ws client leaves those under 1 KiB alone); the later
            // messages repeat earlier words, so they refer back into the changed stretch.
            Peers.runClient(Peers.python(), "websockets_sender.py", rig.url(), "twice, and again", "fragment me, please",
                    "after: twice, and again; fragment me, please", "done");
            List<String> got = server.where("event", "message").stream().map(m -> m.get("data").asText()).toList();
            assertEquals(List.of("twice, and again", "twice, and again", "fragment me, please", "after: twice, and again; fragment me, please",
                    "done"), got,
                    "on a compressed session with context takeover, the copy and the fragments were compressed again and everything "
                            + "after read right");
            List<JsonNode> frames = rig.frames();
            assertEquals(3, frames.stream().filter(f -> f.path("fate").asText().equals("edited") && f.path("dir").asText().equals("c2s")).count());
            assertTrue(frames.stream().anyMatch(f -> f.path("fate").asText().equals("recompressed")), "wstap compressed c2s itself");
            assertEquals(2, frames.stream().filter(f -> f.path("fate").asText().equals("inserted") && f.path("opcode").asInt() == 9).count());
        }
    }

    @Test
    void invalidUtf8GetsA1007FromPythonWebsockets() throws Exception {
        Peers.require();
        int port = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(port), "plain", "quiet");
             Rig rig = Rig.start(dir, port, "- {when: 'dir:s2c body~/^corrupt/', corrupt: invalid-utf8}\n")) {
            List<String> out = Peers.runClient(Peers.python(), "websockets_fault_client.py", rig.url(), "corrupt");
            assertEquals(1007, closeCodeAt(server), "the client failed the connection with 1007: " + out + " " + server.lines);
        }
    }

    @Test
    void withheldPongsMakePythonsKeepAliveGiveUp() throws Exception {
        Peers.require();
        int port = freePort();
        try (Reporter server = new Reporter("listening", "node", "ws-watch-server.js", Integer.toString(port), "plain", "quiet");
             Rig rig = Rig.start(dir, port, "- {name: no pongs, when: 'dir:s2c op:pong', drop: true}\n")) {
            List<String> out = Peers.runClient(Peers.python(), "websockets_fault_client.py", rig.url(), "keepalive");
            assertEquals(1011, closeCodeAt(server), "websockets closes with 1011 when its keep-alive ping goes unanswered: " + out
                    + " " + server.lines);
        }
    }
}
