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
 * wstap probe against servers we did not write: Node's ws and Python's websockets, with
 * permessage-deflate, fail no case and pass every compressed one; ws servers made to answer pings
 * with the wrong payload, to take invalid UTF-8, or never to close, fail exactly the cases that
 * cover their bug, and nothing else.
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

    private Probe probe(String url, String... more) throws Exception {
        Path json = dir.resolve("probe.json");
        Path junit = dir.resolve("probe.xml");
        List<String> args = new ArrayList<>(List.of("probe", url, "--jobs", "8", "--case-timeout", "1", "--json", json.toString(),
                "--junit", junit.toString()));
        args.addAll(List.of(more));
        try (WstapProcess p = WstapProcess.start(dir, List.of(), args.toArray(String[]::new))) {
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
        Process server = start("listening", "node", "ws-probe-echo-server.js", String.valueOf(port), "deflate");
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/");
            assertEquals(0, p.exit(), p.stdout() + p.stderr());
            assertEquals(new TreeSet<>(), failed(p.cases()));
            assertEquals(Suite.all().size(), p.cases().size());
            assertTrue(p.stdout().contains("1 framing             16          0      0     0      0"), p.stdout());
            assertTrue(p.stdout().contains("12 compression        90          0      0     0      0"), p.stdout());
            assertTrue(p.stdout().contains("13 deflate params    126          0      0     0      0"), p.stdout());
            assertEquals(517, Suite.all().size(), "families 1-7, 9, 10, 12 and 13: as many cases as Autobahn has");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void pythonWebsocketsFailsNoCaseAndItsNonStrictOnesShowInTheHtmlReport() throws Exception {
        int port = WstapProcess.freePort();
        Process server = start("LISTENING", Peers.python(), "websockets_echo_server.py", String.valueOf(port), "deflate");
        Path html = dir.resolve("probe.html");
        try {
            Probe p = probe("ws://127.0.0.1:" + port + "/", "--html", html.toString());
            assertEquals(0, p.exit(), p.stdout() + p.stderr());
            assertEquals(new TreeSet<>(), failed(p.cases()));
            List<String> nonStrict = new ArrayList<>();
            p.cases().forEach(c -> {
                if (c.path("behaviour").asText().equals("NON-STRICT")) nonStrict.add(c.path("id").asText());
            });
            assertTrue(nonStrict.size() > 0, "websockets fails some connections before echoing what came first");
            assertTrue(p.cases().findValuesAsText("behaviour").stream().noneMatch("UNIMPLEMENTED"::equals), "it agrees to permessage-deflate");
            // The page, opened in headless Chromium with a filter in its address, shows those cases only.
            String dom = dumpDom(html.toUri() + "#non-strict");
            assertTrue(dom.contains(nonStrict.size() + " of " + Suite.all().size() + " cases shown"), dom.length() > 2000 ? dom.substring(0, 2000) : dom);
            Probe strict = probe("ws://127.0.0.1:" + port + "/", "--fail-on", "non-strict");
            assertEquals(1, strict.exit(), "--fail-on non-strict: " + strict.stderr());
        } finally {
            server.destroyForcibly();
        }
    }

    /** The page's DOM once its script ran, from headless Chromium. */
    private static String dumpDom(String url) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!java.nio.file.Files.isExecutable(chromium)) {
            String message = "chromium is not installed (apt-get install chromium); bin/test installs it";
            if ("required".equals(System.getProperty("wstap.peers"))) org.junit.jupiter.api.Assertions.fail(message);
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        Path home = java.nio.file.Files.createTempDirectory("wstap-chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + home, "--dump-dom", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "chromium did not finish");
        return out;
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

    @Test
    void aServerThatNeverClosesFailsWhereItMustFailTheConnectionAndIsUncleanWhereItMustAnswerAClose() throws Exception {
        // A case of each kind: valid frames, a ping, bad RSV, a reserved opcode, a bad fragment, invalid UTF-8, closes, compression.
        List<String> chosen = List.of("1.1.1", "2.1", "3.1", "4.1.1", "5.1", "6.3.1", "7.1.1", "7.3.1", "12.1.1");
        TreeSet<String> mustFail = new TreeSet<>();
        Suite.chosen(chosen, List.of(), false).forEach(c -> {
            if (!Expectation.of(c).close().isClosedByProbe()) mustFail.add(c.id());
        });
        assertEquals(new TreeSet<>(List.of("3.1", "4.1.1", "5.1", "6.3.1")), mustFail);
        int port = WstapProcess.freePort();
        Process server = start("listening", "node", "ws-probe-echo-server.js", String.valueOf(port), "never-close");
        try {
            Path json = dir.resolve("never.json");
            try (WstapProcess p = WstapProcess.start(dir, List.of(), "probe", "ws://127.0.0.1:" + port + "/", "--only", String.join(",", chosen),
                    "--jobs", "9", "--case-timeout", "1", "--json", json.toString())) {
                assertEquals(1, p.awaitExit(Duration.ofSeconds(120)), p.stdoutText() + p.stderrText());
                JsonNode cases = JSON.readTree(json.toFile());
                assertEquals(mustFail, failed(cases));
                cases.forEach(c -> {
                    String id = c.path("id").asText();
                    String close = c.path("close").asText();
                    if (mustFail.contains(id)) {
                        assertEquals("FAILED", close, id);
                        assertTrue(c.path("close_why").asText().startsWith("the server did not fail the connection"), id + ": " + c);
                    } else {
                        assertEquals("UNCLEAN", close, id + ": wstap's close went unanswered: " + c.path("close_why").asText());
                    }
                });
                assertTrue(p.stdoutText().contains("3.1 "), p.stdoutText());
            }
        } finally {
            server.destroyForcibly();
        }
    }
}
