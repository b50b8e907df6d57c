package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wstap.cli.WstapProcess;
import dev.wstap.deflate.DeflateOffer;
import dev.wstap.probe.Suite;
import dev.wstap.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wstap probe --serve} with clients we did not write, driven as their projects drive them
 * against Autobahn's fuzzingserver, permessage-deflate offered as they offer it by default: Node's
 * ws and Python's websockets run every case and fail none; each agent gets reports of its own.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbeServePeersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void peers() {
        Peers.require();
    }

    @Test
    void nodeWsAndPythonWebsocketsClientsFailNoCase() throws Exception {
        int port = WstapProcess.freePort();
        Path json = dir.resolve("clients.json");
        try (WstapProcess p = WstapProcess.start(dir, List.of(), "probe", "--serve", String.valueOf(port), "--case-timeout", "1",
                "--json", json.toString())) {
            long deadline = System.nanoTime() + Waits.scaled(Duration.ofSeconds(30)).toNanos();
            while (!p.stderrText().contains("as Autobahn's fuzzingserver")) {
                assertTrue(System.nanoTime() < deadline, "wstap probe --serve did not listen: " + p.stderrText());
                Thread.sleep(20);
            }
            String url = "ws://127.0.0.1:" + port;
            assertEquals("{\"count\":" + Suite.all().size() + "}", Peers.runClient("node", "ws-autobahn-client.js", url, "ws").getLast());
            Peers.runClient(Peers.python(), "websockets_autobahn_client.py", url, "python websockets");
            for (String agent : List.of("ws", "python_websockets")) {
                JsonNode cases = JSON.readTree(Files.readString(dir.resolve("clients-" + agent + ".json")));
                assertEquals(Suite.all().size(), cases.size(), agent);
                TreeSet<String> failed = new TreeSet<>();
                cases.forEach(c -> {
                    if (c.path("behaviour").asText().equals("FAILED") || c.path("close").asText().equals("FAILED")) failed.add(c.path("id").asText());
                });
                assertEquals(new TreeSet<>(), failed, agent);
                // Both offer "permessage-deflate; client_max_window_bits": no client_no_context_takeover, which Autobahn's
                // fuzzingserver needs to agree in 13.2, 13.5 and 13.6; every other compressed case runs compressed.
                TreeSet<String> unimplemented = new TreeSet<>();
                cases.forEach(c -> {
                    if (c.path("behaviour").asText().equals("UNIMPLEMENTED")) unimplemented.add(c.path("id").asText());
                });
                TreeSet<String> unagreed = new TreeSet<>();
                Suite.all().forEach(c -> {
                    if (c.compression() != null
                            && c.compression().accept(DeflateOffer.parse("permessage-deflate; client_max_window_bits")) == null) unagreed.add(c.id());
                });
                assertEquals(54, unagreed.size());
                assertEquals(unagreed, unimplemented, agent);
            }
            assertTrue(p.stdoutText().contains("agent ws: 517 cases, 0 FAILED"), p.stdoutText());
            assertTrue(p.stdoutText().contains("agent python websockets: 517 cases, 0 FAILED"), p.stdoutText());
            p.signal("INT");
            assertEquals(130, p.awaitExit(Duration.ofSeconds(30)));
        }
    }
}
