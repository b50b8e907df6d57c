package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The third-party peers in src/test/peers (Node's ws, Python's websockets), run as child
 * processes. bin/test installs them and sets {@code -Dwstap.peers=required}, so that CI fails
 * rather than skips when one is missing; a plain {@code mvn test} skips these tests instead.
 */
final class Peers {
    static final Path DIR = Path.of("src", "test", "peers").toAbsolutePath();

    private Peers() {}

    /** Skips (or, when required, fails) unless the tools and libraries for the peers are installed. */
    static void require() {
        List<String> missing = new ArrayList<>();
        if (!runs("node", "--version")) missing.add("node");
        if (!Files.isDirectory(DIR.resolve("node_modules/ws"))) missing.add("ws (npm install in src/test/peers)");
        for (String module : List.of("har-validator", "https-proxy-agent", "wscat")) {
            if (!Files.isDirectory(DIR.resolve("node_modules").resolve(module))) missing.add(module + " (npm install in src/test/peers)");
        }
        if (python() == null) missing.add("python3 websockets (apt-get install python3-websockets)");
        else if (!runs(python(), "-c", "import socks")) missing.add("python3 socks (apt-get install python3-socks)");
        if (missing.isEmpty()) return;
        String message = "third-party peers not installed: " + String.join(", ", missing) + "; bin/test installs them";
        if ("required".equals(System.getProperty("wstap.peers"))) fail(message);
        Assumptions.abort(message);
    }

    /**
     * A python3 that can import websockets: Debian's (where apt installs python3-websockets) before
     * whatever python3 comes first on PATH; null when there is none.
     */
    static String python() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (runs(candidate, "-c", "import websockets")) return candidate;
        }
        return null;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts a server process and waits for its first stdout line to start with {@code readyPrefix}. */
    static Process startServer(String readyPrefix, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith(readyPrefix)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not start: " + line);
        }
        return p;
    }

    /** Runs a client to its end; returns its output lines, failing on a non-zero exit or after 60 s. */
    static List<String> runClient(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) lines.add(line);
            } catch (IOException ignored) {
                // The process ended.
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s: " + lines);
        }
        reader.join(5000);
        if (p.exitValue() != 0) fail(String.join(" ", command) + " exited " + p.exitValue() + ": " + String.join("\n", lines));
        return lines;
    }

    /**
     * A wss:// echo server whose certificate, from {@code cas}' server CA, has the subject CN
     * {@code commonName} and a SAN for each of {@code names}: an upstream with several names.
     */
    static dev.wstap.echo.EchoServer tlsEchoNamed(dev.wstap.testing.CaPair cas, Path dir, String commonName, List<String> names) throws Exception {
        Path cert = dir.resolve("upstream.pem");
        Path key = dir.resolve("upstream-key.pem");
        dev.wstap.testing.TlsContexts.writePem(cas.serverLeaves.forNames(commonName, names), cert, key);
        return new dev.wstap.echo.EchoServer(new dev.wstap.http.HostPort("127.0.0.1", 0), dev.wstap.tls.ServerTls.fixed(cert, key), line -> {}).start();
    }
}
