package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.cli.WstapProcess;
import dev.wstap.probe.Expectation;
import dev.wstap.probe.Observed;
import dev.wstap.probe.Suite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * wstap probe against servers we did not write: Node's ws and Python's websockets fail no case of
 * the families so far; ws servers made to answer pings with the wrong payload, or to take invalid
 * UTF-8, fail exactly the cases that cover their bug, and nothing else.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbePeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void peers() {
        Peers.require();
    }

    private record Probe(int exit, String stdout, String stderr, JsonNode cases) {}

    private Probe probe(String url) throws Exception {
        Path json = dir.resolve("probe.json");
        Path junit = dir.resolve("probe.xml");
        try (WstapProcess p = WstapProcess.start(dir, List.of(), "probe", url, "--jobs", "8", "--case-timeout", "1",
                "--json", json.toString(), "--junit", junit.toString())) {
            int exit = p.awaitExit(Duration.ofSeconds(240));
            var suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement();
            assertEquals(String.valueOf(Suite.all().size()), suite.getAttribute("tests"));
            return new Probe(exit, p.stdoutText(), p.stderrText(), JSON.readTree(json.toFile()));
        }
    }

    private static TreeSet<String> failed(JsonNode cases) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode c : cases) {
            if (c.path("behaviour").asText().equals("FAILED") || c.path("close").asText().equals("FAILED")) out.add(c.path("id").asText());
        }
        return out;
    }

    private static Process start(String ready, String... command) throws Exception {
        return Peers.startServer(ready, command);
    }

    @Test
    void nodeWsPassesEveryCase() throws Exception {
        int port = WstapProcess.freePort();
        Process server = start("listening", "node", "ws-probe-echo-server.js", String.valueOf(port));
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/");
            assertEquals(0, p.exit(), p.stdout() + p.stderr());
            assertEquals(new TreeSet<>(), failed(p.cases()));
            assertEquals(Suite.all().size(), p.cases().size());
            assertTrue(p.stdout().contains("1 framing             16          0      0     0"), p.stdout());
            assertEquals(301, Suite.all().size(), "families 1-7, 9 and 10: as many cases as Autobahn has");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void pythonWebsocketsFailsNoCase() throws Exception {
        int port = WstapProcess.freePort();
        Process server = start("LISTENING", Peers.python(), "websockets_echo_server.py", String.valueOf(port));
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/");
            assertEquals(0, p.exit(), p.stdout() + p.stderr());
            assertEquals(new TreeSet<>(), failed(p.cases()));
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aServerWithWrongPongsFailsExactlyTheCasesThatExpectAPong() throws Exception {
        TreeSet<String> pongCases = new TreeSet<>();
        Suite.all().forEach(c -> {
            if (Expectation.of(c).ok().stream().anyMatch(o -> o.kind() == Observed.Kind.PONG)) pongCases.add(c.id());
        });
        assertEquals(13, pongCases.size(), "2.1-2.4, 2.6, 2.9-2.11, 5.6-5.8, 5.19, 5.20: " + pongCases);
        int port = WstapProcess.freePort();
        Process server = start("listening", "node", "ws-probe-echo-server.js", String.valueOf(port), "wrong-pong");
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/");
            assertEquals(1, p.exit(), p.stdout() + p.stderr());
            assertEquals(pongCases, failed(p.cases()));
            assertTrue(p.stdout().contains("a pong answers each ping with the ping's payload (RFC 6455 §5.5.2, §5.5.3)"), p.stdout());
            List<String> closes = new ArrayList<>();
            p.cases().forEach(c -> closes.add(c.path("close").asText()));
            assertTrue(closes.stream().allMatch(c -> c.equals("OK") || c.equals("INFORMATIONAL")), "its closes are fine: " + closes);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aServerThatAcceptsInvalidUtf8FailsExactlyTheCasesThatSendIt() throws Exception {
        TreeSet<String> invalid = new TreeSet<>();
        Suite.all().forEach(c -> {
            if (c.frames().stream().anyMatch(f -> f.violations().contains("invalid-utf8"))) invalid.add(c.id());
        });
        int port = WstapProcess.freePort();
        Process server = start("listening", "node", "ws-probe-echo-server.js", String.valueOf(port), "accept-invalid-utf8");
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/");
            assertEquals(1, p.exit(), p.stdout() + p.stderr());
            assertEquals(invalid, failed(p.cases()));
            assertTrue(invalid.contains("6.3.1") && invalid.contains("7.5.1") && invalid.size() > 60, invalid.toString());
        } finally {
            server.destroyForcibly();
        }
    }
}
