package dev.wstap.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium as a child process, with a home of its own, using wstap as its HTTP
 * proxy for 127.0.0.1 and nothing else, and read through the DevTools protocol. Its trust comes from
 * the NSS database in {@code $HOME/.pki/nssdb}, where Chromium on Linux looks for the CAs a user
 * added. bin/test installs chromium and certutil (libnss3-tools) and sets
 * {@code -Dwstap.peers=required}, so that CI fails rather than skips when one is missing; a plain
 * {@code mvn test} skips instead.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration TOOL_LIMIT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final Process process;
    private final Path log;
    private DevTools devTools;
    private String page;

    private Chromium(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Skips (or, when required, fails) unless chromium and certutil are installed. */
    static void require() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(BINARY)) missing.add(BINARY + " (apt-get install chromium)");
        if (onPath("certutil") == null) missing.add("certutil (apt-get install libnss3-tools)");
        if (missing.isEmpty()) return;
        String message = "browser test tools not installed: " + String.join(", ", missing) + "; bin/test installs them";
        if ("required".equals(System.getProperty("wstap.peers"))) fail(message);
        Assumptions.abort(message);
    }

    /**
     * Makes {@code home} a home directory whose NSS database trusts the CA in {@code caDir}, by
     * running the throwaway steps {@code wstap ca trust-help} prints, as written, with {@code home}
     * for the folder they name: the test of that text.
     */
    static void trustAsTrustHelpSays(Path home, Path caDir) throws IOException, InterruptedException {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = dev.wstap.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        if (cl.execute("ca", "trust-help", "--ca-dir", caDir.toString()) != 0) throw new IOException("ca trust-help failed: " + out);
        List<String> steps = out.toString().lines().map(String::strip)
                .filter(l -> l.startsWith("mkdir -p /tmp/wstap-home") || l.startsWith("certutil -d sql:/tmp/wstap-home")).toList();
        if (steps.size() != 3) throw new AssertionError("ca trust-help's throwaway steps are not the three expected:\n" + out);
        for (String step : steps) run(List.of("sh", "-c", step.replace("/tmp/wstap-home", home.toString())));
    }

    /**
     * Makes {@code home} a home directory whose NSS database trusts {@code caPem} to identify TLS
     * servers: the only CA there, next to Chromium's built-in roots.
     */
    static void trustInHome(Path home, Path caPem) throws IOException, InterruptedException {
        Path db = home.resolve(".pki").resolve("nssdb");
        Files.createDirectories(db);
        String sqlDb = "sql:" + db;
        run(List.of("certutil", "-d", sqlDb, "-N", "--empty-password"));
        run(List.of("certutil", "-d", sqlDb, "-A", "-t", "C,,", "-n", "wstap", "-i", caPem.toString()));
    }

    /**
     * Starts Chromium with {@code home} as its home, opening {@code url} through the HTTP proxy at
     * 127.0.0.1:{@code proxyPort}, and attaches to that page. Chromium's own output goes to
     * {@code chromium.log} in the home, quoted when something fails.
     */
    static Chromium start(Path home, int proxyPort, String url, Duration limit) throws IOException, InterruptedException {
        return start(home, "http://127.0.0.1:" + proxyPort, url, limit);
    }

    /** As above, through the proxy {@code proxy} ({@code http://HOST:PORT} or {@code socks5://HOST:PORT}). */
    static Chromium start(Path home, String proxy, String url, Duration limit) throws IOException, InterruptedException {
        Path profile = home.resolve("profile");
        Path log = home.resolve("chromium.log");
        List<String> command = List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--proxy-server=" + proxy,
                // Later rules override earlier ones: "*" sends everything direct, where the resolver
                // rule below makes it fail at once, and then <-loopback> sends 127.0.0.1 to the proxy
                // after all, which Chromium never does by default. Only loopback traffic leaves Chromium.
                "--proxy-bypass-list=*;<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                url);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOME", home.toString());
        // Chromium keeps its singleton socket in $TMPDIR: inside the home, it goes with the test's folder.
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        builder.environment().put("TMPDIR", tmp.toString());
        Chromium chromium = new Chromium(builder.start(), log);
        try {
            chromium.attach(profile.resolve("DevToolsActivePort"), url, System.nanoTime() + limit.toNanos());
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            chromium.close();
            throw e;
        }
    }

    /** Reads the DevTools port Chromium chose, connects, and attaches to its tab. */
    private void attach(Path activePort, String url, long deadline) throws IOException, InterruptedException {
        List<String> lines = List.of();
        while (lines.size() < 2) {
            if (!process.isAlive()) fail("chromium exited " + process.exitValue() + " at start; its output:\n" + log());
            if (System.nanoTime() - deadline > 0) fail("chromium did not open its DevTools port; its output:\n" + log());
            Thread.sleep(POLL_INTERVAL.toMillis());
            if (Files.exists(activePort)) lines = Files.readAllLines(activePort, StandardCharsets.US_ASCII);
        }
        devTools = DevTools.connect(URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()));
        String targetId = null;
        while (targetId == null) {
            if (System.nanoTime() - deadline > 0) fail("chromium opened no tab for " + url + "; its output:\n" + log());
            Map<String, Object> result = devTools.send(null, "Target.getTargets", "{}");
            for (Object info : (List<?>) result.get("targetInfos")) {
                Map<?, ?> target = (Map<?, ?>) info;
                if ("page".equals(target.get("type"))) targetId = (String) target.get("targetId");
            }
            if (targetId == null) Thread.sleep(POLL_INTERVAL.toMillis());
        }
        Map<String, Object> attached = devTools.send(null, "Target.attachToTarget",
                "{\"targetId\":" + DevTools.quote(targetId) + ",\"flatten\":true}");
        page = (String) attached.get("sessionId");
    }

    /** Evaluates {@code expression} in the page; its value as a string. */
    String evaluate(String expression) throws IOException, InterruptedException {
        Map<String, Object> result = devTools.send(page, "Runtime.evaluate",
                "{\"expression\":" + DevTools.quote(expression) + ",\"returnByValue\":true}");
        Map<?, ?> value = (Map<?, ?>) result.get("result");
        return String.valueOf(value.get("value"));
    }

    /**
     * Polls the page's title until {@code isFinal} accepts it; fails after {@code limit}. While the
     * tab navigates it has no context to evaluate in for a moment: that counts as no title yet.
     */
    String awaitTitle(Predicate<String> isFinal, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String title = titleOrEmpty();
        while (!isFinal.test(title)) {
            if (System.nanoTime() - deadline > 0) {
                fail("the page's title was still '" + title + "' after " + limit.toSeconds() + " s; the page:\n"
                        + evaluate("document.documentElement.outerHTML") + "\nchromium:\n" + log());
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
            title = titleOrEmpty();
        }
        return title;
    }

    private String titleOrEmpty() throws IOException, InterruptedException {
        try {
            return evaluate("document.title");
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("execution context")) return "";
            throw e;
        }
    }

    /** The last lines Chromium wrote, for failure messages. */
    String log() throws IOException {
        if (!Files.exists(log)) return "(no output)";
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Ends Chromium and every process it started. */
    @Override
    public void close() throws InterruptedException {
        if (devTools != null) devTools.close();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // a password prompt reads end of input rather than waiting
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TOOL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + TOOL_LIMIT.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** The executable {@code name} on PATH, or null. */
    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
