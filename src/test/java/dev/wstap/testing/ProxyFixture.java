package dev.wstap.testing;

import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.Interest;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A wstap reverse proxy on a free loopback port, as the {@code proxy} command wires it: a tap with
 * the JSONL log (to a file) and a {@link RecordingSink} that keeps the events for assertions.
 */
public final class ProxyFixture implements AutoCloseable {
    private final ProxyServer server;
    private final Tap tap;
    private final RecordingSink events = new RecordingSink();
    private final Path logFile;
    private boolean isClosed;

    private ProxyFixture(ProxyConfig config, Path logFile) throws IOException {
        this.logFile = logFile;
        this.tap = new Tap();
        OutputStream log = new BufferedOutputStream(Files.newOutputStream(logFile), 64 * 1024);
        tap.attach("log", new JsonlLog(log), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
        tap.attach("recorder", events, false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
        this.server = new ProxyServer(config, tap).start();
    }

    /** A proxy to {@code upstream} with default settings, logging to {@code dir}/wstap.jsonl. */
    public static ProxyFixture start(String upstream, Path dir) throws IOException {
        return start(config(upstream), dir);
    }

    public static ProxyFixture start(ProxyConfig config, Path dir) throws IOException {
        return new ProxyFixture(config, dir.resolve("wstap.jsonl"));
    }

    /** The default configuration, listening on a free loopback port. */
    public static ProxyConfig config(String upstream) {
        return ProxyConfig.reverse(new HostPort("127.0.0.1", 0), WsUrl.parse(upstream));
    }

    public int port() {
        return server.port();
    }

    public ProxyServer server() {
        return server;
    }

    public Tap tap() {
        return tap;
    }

    public RecordingSink events() {
        return events;
    }

    /** Waits until no session is open any more. */
    public void awaitNoSessions(Duration limit) {
        Poll.until(limit, () -> server.sessions().size() == 0, () -> server.sessions().size() + " sessions still open");
    }

    /** Stops the proxy, drains the tap, and parses every line of the log (each must be valid JSON). */
    public List<Map<String, Object>> closeAndReadLog() throws IOException {
        close();
        return Json.lines(logFile);
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        if (isClosed) return;
        isClosed = true;
        server.close();
        tap.close();
    }
}
