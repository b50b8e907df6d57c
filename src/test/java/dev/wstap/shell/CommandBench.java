package dev.wstap.shell;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpResponse;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A proxy in front of a scripted server, one raw client session through it, a console that
 * records its lines, and the commands: what a shell user has, with every byte each peer received
 * parsed into frames.
 */
final class CommandBench implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    final ScriptedServer upstream;
    final ProxyFixture proxy;
    final CommandRunner runner;
    /** What intercept, held, forward, drop and edit act on, as in wstap proxy. */
    final dev.wstap.intercept.Intercept intercept;
    /** What rules and rule act on, as in wstap proxy (no file). */
    final dev.wstap.rules.Rules rules;
    final ConsoleSink console;
    final List<String> consoleLines = new CopyOnWriteArrayList<>();
    final BlockingQueue<ParsedFrame> atServer = new LinkedBlockingQueue<>();
    final BlockingQueue<ParsedFrame> atClient = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<RawClient> clients = new ArrayList<>();

    /** {@code extensions}: what the server agrees to in Sec-WebSocket-Extensions, or null. */
    CommandBench(Path dir, String extensions) throws IOException {
        upstream = ScriptedServer.start(ex -> {
            HttpResponse ok = Handshake.switchingProtocols(ex.request());
            if (extensions != null) {
                List<Header> headers = new ArrayList<>(ok.headers().list());
                headers.add(new Header("Sec-WebSocket-Extensions", extensions));
                ok = new HttpResponse(ok.version(), 101, ok.reason(), new Headers(headers));
            }
            ex.write(ok.encode());
            readFrames(ex.input(), Direction.C2S, atServer);
        });
        intercept = new dev.wstap.intercept.Intercept();
        rules = new dev.wstap.rules.Rules(7, line -> { });
        proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()).withSessionSetup(session -> {
            rules.setUp(session);
            intercept.setUp(session);
        }), dir);
        console = new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), (line, isColored) -> consoleLines.add(line.toString()), false);
        proxy.tap().attach("console", console, true, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
        runner = new CommandRunner(proxy.server().sessions(), proxy.tap(), console,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        runner.intercept(intercept);
        runner.rules(rules);
    }

    /** Opens a session through the proxy; what the client receives is parsed into {@link #atClient}. */
    RawClient connect(String target) throws Exception {
        RawClient client = RawClient.connect(proxy.port());
        clients.add(client);
        client.upgrade(target);
        client.socket().setSoTimeout(0);
        Thread.ofVirtual().start(() -> readFrames(rethrowing(client), Direction.S2C, atClient));
        proxy.events().await(Opened.class, o -> o.url().endsWith(target), WAIT);
        return client;
    }

    private static InputStream rethrowing(RawClient client) {
        try {
            return client.socket().getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFrames(InputStream in, Direction dir, BlockingQueue<ParsedFrame> into) {
        FrameParser parser = new FrameParser(dir, 1 << 20, into::add);
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) parser.feed(buf, 0, n);
        } catch (IOException ended) {
            // The test is over.
        }
    }

    /** Runs one line as the shell does; returns what it printed to its error stream, stripped. */
    String run(String line) {
        synchronized (err) {
            err.reset();
        }
        runner.runLine(line);
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8).strip();
        }
    }

    /** Runs one line that must succeed; returns what it printed. */
    String output(String line) {
        out.reset();
        String problem = run(line);
        if (!problem.isEmpty()) throw new AssertionError(line + " failed: " + problem);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ParsedFrame next(BlockingQueue<ParsedFrame> frames) throws InterruptedException {
        ParsedFrame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) throw new AssertionError("no frame arrived within " + WAIT);
        return f;
    }

    static String text(ParsedFrame f) {
        return new String(f.preview(), StandardCharsets.UTF_8);
    }

    /** Console lines that contain {@code part}. */
    List<String> shown(String part) {
        return consoleLines.stream().filter(l -> l.contains(part)).toList();
    }

    @Override
    public void close() throws IOException {
        for (RawClient c : clients) c.close();
        proxy.close();
        upstream.close();
    }
}
