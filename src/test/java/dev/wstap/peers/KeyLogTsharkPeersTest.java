package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.tls.KeyLog;
import dev.wstap.tls.ServerTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key log as Wireshark users use it: dumpcap captures the loopback traffic of a Node ws client
 * talking wss:// through wstap's forward proxy to an upstream, and tshark, given only the capture
 * and wstap's key log, decrypts both legs (client to wstap, wstap to upstream) and shows the
 * WebSocket frames in clear, both ways.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeyLogTsharkPeersTest {
    private static final String MESSAGE = "a secret only the key log can read";

    @TempDir
    Path dir;

    private static void requireTools() {
        for (String tool : List.of("/usr/bin/tshark", "/usr/bin/dumpcap")) {
            if (!Files.isExecutable(Path.of(tool))) {
                String message = tool + " is not installed (apt-get install tshark); bin/test installs it";
                if ("required".equals(System.getProperty("wstap.peers"))) fail(message);
                Assumptions.abort(message);
            }
        }
    }

    @Test
    void tsharkDecryptsBothLegsWithTheKeyLogAndShowsTheFrames() throws Exception {
        Peers.require();
        requireTools();
        CaPair cas = CaPair.in(dir);
        Path keys = dir.resolve("keys.log");
        Path capture = dir.resolve("capture.pcapng");
        try (EchoServer upstream = Peers.tlsEchoNamed(cas, dir, "ws.example.test", List.of("localhost", "127.0.0.1"));
             KeyLog log = KeyLog.open(keys);
             ProxyFixture proxy = ProxyFixture.start(ProxyConfig.forward(new HostPort("127.0.0.1", 0))
                     .withInterceptTls(ServerTls.minting(cas.wstapLeaves).withKeyLog(log))
                     .withUpstreamTls(cas.upstreamTrustingServerCa().withKeyLog(log)), dir)) {
            Path said = dir.resolve("dumpcap.txt");
            Process dumpcap = new ProcessBuilder("/usr/bin/dumpcap", "-i", "lo", "-f", "tcp port " + proxy.port() + " or tcp port " + upstream.port(),
                    "-w", capture.toString()).redirectErrorStream(true).redirectOutput(said.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try {
                // dumpcap says where it captures once it does.
                dev.wstap.testing.Poll.until(Duration.ofSeconds(30), () -> readQuietly(said).contains("Capturing on"),
                        () -> "dumpcap did not start capturing: " + readQuietly(said));
                String echo = Peers.runClient("node", "ws-proxy-client.js", "http://127.0.0.1:" + proxy.port(), "wss://localhost:" + upstream.port() + "/",
                        cas.wstapCa.certificateFile().toString(), MESSAGE).getLast();
                assertEquals("{\"echo\":\"" + MESSAGE + "\"}", echo);
                // dumpcap gets packets from the kernel in batches: tshark reads the capture as it grows, until the frames are in.
                List<String> expected = List.of("client→wstap", "wstap→upstream", "upstream→wstap", "wstap→client");
                AtomicReference<List<String>> frames = new AtomicReference<>(List.of());
                dev.wstap.testing.Poll.until(Duration.ofSeconds(30), () -> {
                    frames.set(tshark(capture, keys, proxy.port(), upstream.port()));
                    return legs(frames.get(), proxy.port(), upstream.port()).size() >= expected.size();
                }, () -> "tshark shows " + frames.get() + "; dumpcap: " + readQuietly(said));
                assertEquals(expected, legs(frames.get(), proxy.port(), upstream.port()),
                        "the message in clear on both legs, both ways: " + frames.get() + "\nkey log:\n" + Files.readString(keys));
            } finally {
                dumpcap.destroy();
                dumpcap.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Which way each frame with the message went, by its ports. */
    private static List<String> legs(List<String> frames, int proxyPort, int upstreamPort) {
        String p = String.valueOf(proxyPort);
        String u = String.valueOf(upstreamPort);
        return frames.stream().filter(f -> f.endsWith("\t" + MESSAGE)).map(f -> f.split("\t"))
                .map(f -> f[0].equals(p) ? "wstap→client" : f[1].equals(p) ? "client→wstap" : f[1].equals(u) ? "wstap→upstream" : "upstream→wstap")
                .toList();
    }

    /** What tshark decrypts of the capture with the key log: the WebSocket text frames, as source port, destination port, text. */
    private static List<String> tshark(Path capture, Path keys, int proxyPort, int upstreamPort) {
        try {
            Process tshark = new ProcessBuilder("/usr/bin/tshark", "-r", capture.toString(), "-o", "tls.keylog_file:" + keys,
                    "-d", "tcp.port==" + proxyPort + ",http", "-d", "tcp.port==" + upstreamPort + ",tls", "-Y", "websocket.payload.text", "-T", "fields",
                    "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "websocket.payload.text").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> frames = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(tshark.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) frames.add(line);
            }
            tshark.waitFor(60, TimeUnit.SECONDS);
            return frames;
        } catch (IOException | InterruptedException e) {
            return List.of("tshark failed: " + e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
