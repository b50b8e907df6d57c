package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Closed;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Interest;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Json;
import dev.wstap.testing.LiveThreads;
import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn and soak on loopback: {@value #DEFAULT_SESSIONS} short sessions open and close (most of
 * them raw clients, which close cleanly or hang up without a close frame, every tenth the JDK's
 * {@link java.net.http.WebSocket}), while {@value #DEFAULT_LONG_SESSIONS} long sessions exchange
 * messages all along and wstap injects pings into them both ways ({@link Injector}). The server is
 * Java-WebSocket's echo server; wstap runs as {@code wstap proxy} does, with the console (into a
 * counter) and the JSONL log.
 *
 * <p>Afterwards: no session and no thread of any connection is left, the platform thread count
 * and the heap after a collection are back near the baseline taken after a warm-up, no exception
 * escaped a thread, nothing anywhere speaks of an internal error, and the log accounts for every
 * frame that crossed: per session and direction, its frame records (count and payload bytes) and
 * its close record's totals match what the client itself sent and received, and over all
 * sessions the data frames towards the server match what the server itself received.
 *
 * <p>The default size runs in well under a minute on two cores. A longer run:
 * <pre>{@code mvn -o test -Dtest=ChurnSoakTest -Dwstap.soak.sessions=20000 -Dwstap.soak.long=200}</pre>
 * The figures (sessions, frames, threads and heap before and after) go to the test's output
 * ({@code target/surefire-reports/dev.wstap.proxy.ChurnSoakTest-output.txt}).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChurnSoakTest {
    static final int DEFAULT_SESSIONS = 2000;
    static final int DEFAULT_LONG_SESSIONS = 50;
    private static final int SESSIONS = Integer.getInteger("wstap.soak.sessions", DEFAULT_SESSIONS);
    private static final int LONG_SESSIONS = Integer.getInteger("wstap.soak.long", DEFAULT_LONG_SESSIONS);
    private static final int CHURN_WORKERS = 16;
    private static final int WARM_UP_SESSIONS = 2 * CHURN_WORKERS;
    /** Every tenth short session is the JDK's client; of the raw ones, every fourth hangs up without a close frame. */
    private static final int JDK_EVERY = 10;
    private static final int ABRUPT_EVERY = 4;
    private static final int MAX_PAYLOAD_BYTES = 512;
    private static final long LONG_PAUSE_MILLIS = 40;
    private static final long INJECT_PAUSE_MILLIS = 10;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A collection leaves some slack: the pool of pumps' read buffers alone may keep 4 MiB. */
    private static final long HEAP_SLACK_BYTES = 16L << 20;
    /** Carrier threads of virtual threads that the JDK added while busy, which idle out in their own time. */
    private static final int THREAD_SLACK = 4;

    @TempDir
    Path dir;

    private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
    /**
     * What each client saw, one line per session, in a file: kept in memory it would grow with the
     * sessions and blur the heap comparison of a long run.
     */
    private PrintWriter seen;

    @Test
    void sessionsChurnWhileLongOnesTalkAndNothingLeaksAndTheLogAccountsForEveryFrame() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
        // A sink that fails on an event says so on stderr and goes on: that counts as escaped too.
        PrintStream stderr = System.err;
        ByteArrayOutputStream errText = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                stderr.write(b);
                synchronized (errText) {
                    errText.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stderr.write(b, off, len);
                synchronized (errText) {
                    errText.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        Path logFile = dir.resolve("soak.jsonl");
        Path seenFile = dir.resolve("seen.tsv");
        seen = new PrintWriter(Files.newBufferedWriter(seenFile, StandardCharsets.UTF_8));
        Tap tap = new Tap();
        Watch watch = new Watch();
        AtomicLong consoleLines = new AtomicLong();
        long startNanos = System.nanoTime();
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launch();
             HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                     .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            OutputStream log = new BufferedOutputStream(Files.newOutputStream(logFile), 64 * 1024);
            tap.attach("log", new JsonlLog(log), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
            tap.attach("console", new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), (line, isColored) -> {
                consoleLines.incrementAndGet();
                if (line.toString().contains("internal error")) watch.internalErrors.add(line.toString());
            }, false), true, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
            tap.attach("watch", watch, false, Tap.LOG_QUEUE_EVENTS, Interest.SESSIONS_ONLY);
            ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                    WsUrl.parse("ws://127.0.0.1:" + echo.getPort())), tap).start();
            try {
                // Warm up (classes, JIT, pools), then take the baseline.
                churn(proxy.port(), http, 0, WARM_UP_SESSIONS);
                awaitQuiet(proxy);
                Snapshot before = Snapshot.take();

                AtomicBoolean isTalking = new AtomicBoolean(true);
                AtomicBoolean isInjecting = new AtomicBoolean(true);
                List<LongSession> longOnes = new ArrayList<>();
                for (int i = 0; i < LONG_SESSIONS; i++) longOnes.add(LongSession.open(proxy.port(), "/long/" + i));
                Injections injections = new Injections(proxy, tap, longOnes);
                List<Future<?>> talking = new ArrayList<>();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                for (LongSession s : longOnes) talking.add(threads.submit(() -> s.talk(isTalking, injections)));
                Future<?> injecting = threads.submit(() -> injections.run(isInjecting));

                churn(proxy.port(), http, WARM_UP_SESSIONS, WARM_UP_SESSIONS + SESSIONS);
                // Injection stops first, so that every ping has its pong before the close handshakes begin.
                isInjecting.set(false);
                injecting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                isTalking.set(false);
                for (Future<?> f : talking) f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                for (LongSession s : longOnes) saw(s.path, s.peer.seen(injections.of(s)));
                threads.close();

                awaitQuiet(proxy);
                Snapshot after = Snapshot.settled(before);
                long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
                System.out.printf("soak: %d short sessions (+%d warm-up), %d long ones, %d pings injected, %d console lines, %d s%n",
                        SESSIONS, WARM_UP_SESSIONS, LONG_SESSIONS, injections.total(), consoleLines.get(), seconds);
                System.out.printf("soak: platform threads %d before, %d after; heap after a collection %.1f MB before, %.1f MB after%n",
                        before.platformThreads, after.platformThreads, before.heapBytes / 1e6, after.heapBytes / 1e6);

                assertEquals(List.of(), after.connectionThreads, "threads of connections still alive");
                assertTrue(after.platformThreads <= before.platformThreads + THREAD_SLACK,
                        "platform threads: " + before.platformThreads + " before, " + after.platformThreads + " after: " + after.threadNames);
                assertTrue(after.heapBytes - before.heapBytes < HEAP_SLACK_BYTES,
                        "heap after a collection grew from " + before.heapBytes + " to " + after.heapBytes + " bytes");
                assertEquals(List.of(), echo.errors(), "Java-WebSocket's errors");

                Accounts accounts = readLog(proxy, tap, logFile);
                System.out.printf("soak: the log holds %d sessions, %d frames c2s and %d s2c (%d injected), %d payload bytes%n",
                        accounts.sessions.size(), accounts.frames(Direction.C2S), accounts.frames(Direction.S2C),
                        accounts.injectedFrames(), accounts.payloadBytes());
                accounts.assertMatches(readSeen(seenFile));
                assertEquals(echo.messagesReceived(), accounts.c2sDataFrames, "data frames the server received, as logged");
                assertEquals(echo.messageBytesReceived(), accounts.c2sDataBytes, "their payload bytes");
                assertEquals(echo.pingsReceived(), accounts.injectedC2sPings, "the server got every injected ping, and no other");
                assertEquals(injections.total(), accounts.injectedFrames(), "injected frames logged");
            } finally {
                proxy.close();
                tap.close();
            }
            assertEquals(List.of(), watch.internalErrors, "internal errors in events or on the console");
            assertEquals(List.of(), watch.httpSeen, "connections that became no session");
            assertEquals(List.of(), escaped, "exceptions that escaped a thread");
            synchronized (errText) {
                assertFalse(errText.toString(StandardCharsets.UTF_8).contains("wstap:"), "wstap on stderr: " + errText);
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            System.setErr(stderr);
        }
    }

    // ---- short sessions ----

    /** Sessions {@code from} to {@code to} (exclusive), on {@link #CHURN_WORKERS} threads at once. */
    private void churn(int port, HttpClient http, int from, int to) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < CHURN_WORKERS; w++) {
                done.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                        if (i % JDK_EVERY == 0) {
                            jdkSession(http, port, i);
                        } else {
                            rawSession(port, i, i % ABRUPT_EVERY == 1);
                        }
                    }
                    return null;
                }));
            }
            long budgetSeconds = 60 + (to - from) / 20;
            for (Future<?> f : done) f.get(budgetSeconds, TimeUnit.SECONDS);
        }
    }

    /** One message and its echo, then a close handshake, or ({@code isAbrupt}) a hang-up without one. */
    private void rawSession(int port, int i, boolean isAbrupt) throws IOException {
        String path = "/short/" + i;
        try (RawPeer peer = RawPeer.open(port, path)) {
            byte[] text = ("short session " + i + " says hello").getBytes(StandardCharsets.UTF_8);
            peer.send(Opcode.TEXT, text);
            assertFrame(peer.next(), Opcode.TEXT, path);
            if (!isAbrupt) {
                peer.send(Opcode.CLOSE, new ClosePayload(1000, "bye").encode());
                assertFrame(peer.next(), Opcode.CLOSE, path);
                assertNull(peer.next(), path + ": the server closes the connection after the close handshake");
            }
            saw(path, peer.seen(Injected.NONE).ending(isAbrupt ? Ending.ABRUPT : Ending.CLEAN));
        }
    }

    /** The JDK's client: one message and its echo, then a close handshake. */
    private void jdkSession(HttpClient http, int port, int i) throws Exception {
        String path = "/jdk/" + i;
        String text = "the JDK's client, session " + i;
        try (JdkWsClient client = JdkWsClient.connect(http, URI.create("ws://127.0.0.1:" + port + path))) {
            client.sendText(text);
            assertEquals(text, client.nextText());
            client.sendClose(1000, "bye");
            JdkWsClient.Close close = client.next(JdkWsClient.Close.class);
            int length = text.getBytes(StandardCharsets.UTF_8).length;
            // Frames and payload as sent and received; the JDK does not say which bytes it put on the wire.
            saw(path, new Seen(2, length + 2 + 3, -1, 2, length + 2 + close.reason().getBytes(StandardCharsets.UTF_8).length,
                    -1, Injected.NONE, Ending.CLEAN));
        }
    }

    private void saw(String path, Seen s) {
        synchronized (seen) {
            seen.println(s.line(path));
        }
    }

    private Map<String, Seen> readSeen(Path file) throws IOException {
        synchronized (seen) {
            seen.close();
            assertFalse(seen.checkError(), "every line of " + file + " was written");
        }
        Map<String, Seen> bySession = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            assertNull(bySession.put(f[0], Seen.parse(f)), "one line per session: " + line);
        }
        return bySession;
    }

    private static void assertFrame(ParsedFrame frame, int opcode, String path) {
        assertNotNull(frame, path + ": the connection ended early");
        assertEquals(Opcode.name(opcode), Opcode.name(frame.header().opcode()), path);
    }

    /** Waits until no session, no connection thread and no connection is left. */
    private static void awaitQuiet(ProxyServer proxy) {
        Poll.until(WAIT, () -> proxy.sessions().size() == 0, () -> proxy.sessions().size() + " sessions still open");
        Poll.until(WAIT, () -> Snapshot.liveConnectionThreads().isEmpty(), () -> "connection threads to end: " + Snapshot.liveConnectionThreads());
    }

    // ---- long sessions and injection ----

    /** A session that talks all along: messages (at most 4 unanswered), echoes, pongs for pings. */
    private static final class LongSession {
        final String path;
        final RawPeer peer;

        private LongSession(String path, RawPeer peer) {
            this.path = path;
            this.peer = peer;
        }

        static LongSession open(int port, String path) throws IOException {
            return new LongSession(path, RawPeer.open(port, path));
        }

        /**
         * Talks until {@code isGoingOn} turns false, waits for the last echoes and for the pings
         * wstap injected towards it (injection has ended by then) to be answered, and ends with a
         * close handshake.
         */
        Void talk(AtomicBoolean isGoingOn, Injections injections) throws Exception {
            Semaphore unanswered = new Semaphore(4);
            AtomicBoolean isCloseAnswered = new AtomicBoolean();
            Thread reader = Thread.ofVirtual().name("soak-reader" + path.replace('/', '-')).start(() -> {
                try {
                    for (ParsedFrame f = peer.next(); f != null; f = peer.next()) {
                        switch (f.header().opcode()) {
                            case Opcode.PING -> peer.pong(f.preview()); // RFC 6455 §5.5.2
                            case Opcode.TEXT, Opcode.BINARY -> unanswered.release();
                            case Opcode.CLOSE -> isCloseAnswered.set(true);
                            default -> { }
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(path + " failed", e);
                }
            });
            Random random = new Random(path.hashCode());
            while (isGoingOn.get()) {
                if (!unanswered.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError(path + ": no echo");
                byte[] payload = new byte[random.nextInt(MAX_PAYLOAD_BYTES + 1)];
                boolean isText = random.nextBoolean();
                if (isText) {
                    for (int i = 0; i < payload.length; i++) payload[i] = (byte) ('a' + random.nextInt(26));
                } else {
                    random.nextBytes(payload);
                }
                peer.send(isText ? Opcode.TEXT : Opcode.BINARY, payload);
                Thread.sleep(LONG_PAUSE_MILLIS);
            }
            if (!unanswered.tryAcquire(4, WAIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError(path + ": echoes missing");
            long pings = injections.of(this).s2c();
            Poll.until(WAIT, () -> peer.pongsSent() == pings, () -> path + ": pongs for " + pings + " pings, sent " + peer.pongsSent());
            peer.send(Opcode.CLOSE, new ClosePayload(1000, "soak over").encode());
            reader.join(WAIT);
            assertTrue(isCloseAnswered.get(), path + ": the server answered the close");
            peer.close();
            return null;
        }
    }

    /** Pings injected by wstap into the long sessions, both ways, counted per session. */
    private static final class Injections {
        private final ProxyServer proxy;
        private final Tap tap;
        private final List<LongSession> sessions;
        private final Map<String, long[]> counts = new ConcurrentHashMap<>(); // path → c2s, c2s bytes, s2c, s2c bytes

        Injections(ProxyServer proxy, Tap tap, List<LongSession> sessions) {
            this.proxy = proxy;
            this.tap = tap;
            this.sessions = sessions;
        }

        Void run(AtomicBoolean isGoingOn) throws Exception {
            Map<String, Session> byPath = new HashMap<>();
            for (Session s : proxy.sessions().all()) byPath.put(URI.create(s.opened().url()).getPath(), s);
            Random random = new Random(42);
            for (int n = 0; isGoingOn.get(); n++) {
                LongSession target = sessions.get(random.nextInt(sessions.size()));
                Session session = byPath.get(target.path);
                assertNotNull(session, target.path + " is open in wstap");
                Direction dir = random.nextBoolean() ? Direction.C2S : Direction.S2C;
                byte[] payload = ("soak ping " + n).getBytes(StandardCharsets.US_ASCII);
                new Injector(session).control(dir, Opcode.PING, payload);
                long[] c = counts.computeIfAbsent(target.path, p -> new long[4]);
                synchronized (c) {
                    int at = dir == Direction.C2S ? 0 : 2;
                    c[at]++;
                    c[at + 1] += payload.length;
                }
                Thread.sleep(INJECT_PAUSE_MILLIS);
            }
            return null;
        }

        Injected of(LongSession s) {
            long[] c = counts.getOrDefault(s.path, new long[4]);
            synchronized (c) {
                return new Injected(c[0], c[1], c[2], c[3]);
            }
        }

        long total() {
            return counts.values().stream().mapToLong(c -> c[0] + c[2]).sum();
        }
    }

    // ---- the raw client ----

    /**
     * A WebSocket client made of a bare socket that counts every frame it sends and receives,
     * with its payload and wire bytes. Sends are serialized; reads belong to one thread.
     */
    private static final class RawPeer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final ArrayDeque<ParsedFrame> arrived = new ArrayDeque<>();
        private final FrameParser parser = new FrameParser(Direction.S2C, MAX_PAYLOAD_BYTES, arrived::add);
        private final ReentrantLock sending = new ReentrantLock();
        private final byte[] buf = new byte[8192];
        private long sentFrames;
        private long sentPayload;
        private long sentWire;
        private long receivedFrames;
        private long receivedPayload;
        private long receivedWire;
        private final AtomicLong pongs = new AtomicLong();

        private RawPeer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Connects and upgrades; fails unless the answer is a 101. */
        static RawPeer open(int port, String path) throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout((int) dev.wstap.testing.Waits.scaledMillis(WAIT.toMillis())); // waits stretch with the machine's load
            RawPeer peer = new RawPeer(s);
            peer.out.write(RawClient.upgradeRequest(port, path, List.of()));
            HeadBuffer head = new HeadBuffer();
            while (!head.isComplete()) {
                int n = peer.in.read(peer.buf);
                if (n < 0) throw new IOException(path + ": the connection ended before the answer's head");
                try {
                    head.add(peer.buf, 0, n);
                } catch (dev.wstap.http.HttpException e) {
                    throw new IOException(path + ": " + e.getMessage(), e);
                }
            }
            String status = new String(head.head(), StandardCharsets.ISO_8859_1);
            if (!status.startsWith("HTTP/1.1 101 ")) throw new AssertionError(path + ": expected a 101, got " + status);
            byte[] early = head.leftover();
            peer.received(early, early.length);
            return peer;
        }

        /** One whole frame, masked with a fresh key. */
        void send(int opcode, byte[] payload) throws IOException {
            byte[] frame = FrameEncoder.frame(true, opcode, ThreadLocalRandom.current().nextInt(), payload);
            sending.lock();
            try {
                out.write(frame);
                sentFrames++;
                sentPayload += payload.length;
                sentWire += frame.length;
            } finally {
                sending.unlock();
            }
        }

        /** A pong answering a ping, counted once it is sent. */
        void pong(byte[] payload) throws IOException {
            send(Opcode.PONG, payload);
            pongs.incrementAndGet();
        }

        long pongsSent() {
            return pongs.get();
        }

        /** The next frame, or null when the server closed the connection. */
        ParsedFrame next() throws IOException {
            while (arrived.isEmpty()) {
                int n = in.read(buf);
                if (n < 0) {
                    if (!parser.isBetweenFrames()) throw new IOException("the connection ended inside a frame");
                    return null;
                }
                received(buf, n);
            }
            ParsedFrame f = arrived.poll();
            receivedFrames++;
            receivedPayload += f.header().payloadLength();
            return f;
        }

        private void received(byte[] bytes, int n) {
            receivedWire += n;
            parser.feed(bytes, 0, n);
        }

        Seen seen(Injected injected) {
            sending.lock();
            try {
                return new Seen(sentFrames, sentPayload, sentWire, receivedFrames, receivedPayload, receivedWire, injected, Ending.CLEAN);
            } finally {
                sending.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- what the peers saw, and what the log says ----

    /** How a session ended: with a close handshake, or the client hung up without a close frame. */
    private enum Ending { CLEAN, ABRUPT }

    /** Frames wstap injected into one session, and their payload bytes, per direction. */
    private record Injected(long c2s, long c2sBytes, long s2c, long s2cBytes) {
        static final Injected NONE = new Injected(0, 0, 0, 0);
    }

    /**
     * What one client sent and received: frames, payload bytes and wire bytes (-1 when unknown);
     * what it received includes the frames wstap injected towards it.
     */
    private record Seen(long sentFrames, long sentPayload, long sentWire, long receivedFrames, long receivedPayload,
                        long receivedWire, Injected injected, Ending ending) {
        Seen ending(Ending e) {
            return new Seen(sentFrames, sentPayload, sentWire, receivedFrames, receivedPayload, receivedWire, injected, e);
        }

        /** {@code path}, then every number and the ending, separated by tabs. */
        String line(String path) {
            return String.join("\t", path, "" + sentFrames, "" + sentPayload, "" + sentWire, "" + receivedFrames,
                    "" + receivedPayload, "" + receivedWire, "" + injected.c2s(), "" + injected.c2sBytes(), "" + injected.s2c(),
                    "" + injected.s2cBytes(), ending.name());
        }

        /** The fields of a {@link #line}, the path first. */
        static Seen parse(String[] f) {
            return new Seen(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), new Injected(Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Long.parseLong(f[9]), Long.parseLong(f[10])), Ending.valueOf(f[11]));
        }
    }

    /** One session as the log tells it. */
    private static final class Logged {
        final long[] frames = new long[2];
        final long[] payload = new long[2];
        final long[] injected = new long[2];
        final long[] injectedPayload = new long[2];
        final long[] injectedWire = new long[2];
        Map<String, Object> close;
    }

    /** The log read back: every session by path, and totals over all of them. */
    private static final class Accounts {
        final Map<String, Logged> sessions = new HashMap<>();
        long c2sDataFrames;
        long c2sDataBytes;
        long injectedC2sPings;

        long frames(Direction dir) {
            int d = dir.ordinal();
            return sessions.values().stream().mapToLong(s -> s.frames[d] + s.injected[d]).sum();
        }

        long injectedFrames() {
            return sessions.values().stream().mapToLong(s -> s.injected[0] + s.injected[1]).sum();
        }

        long payloadBytes() {
            return sessions.values().stream().mapToLong(s -> s.payload[0] + s.payload[1] + s.injectedPayload[0] + s.injectedPayload[1]).sum();
        }

        @SuppressWarnings("unchecked")
        void assertMatches(Map<String, Seen> seen) {
            assertEquals(new java.util.TreeSet<>(seen.keySet()), new java.util.TreeSet<>(sessions.keySet()), "sessions in the log");
            int c2s = Direction.C2S.ordinal();
            int s2c = Direction.S2C.ordinal();
            for (Map.Entry<String, Seen> e : seen.entrySet()) {
                String path = e.getKey();
                Seen peer = e.getValue();
                Logged log = sessions.get(path);
                Injected inj = peer.injected();
                assertEquals(List.of(peer.sentFrames(), peer.sentPayload(), inj.c2s(), inj.c2sBytes()),
                        List.of(log.frames[c2s], log.payload[c2s], log.injected[c2s], log.injectedPayload[c2s]),
                        path + " c2s: frames and payload bytes the client sent, then those wstap injected");
                assertEquals(List.of(peer.receivedFrames() - inj.s2c(), peer.receivedPayload() - inj.s2cBytes(), inj.s2c(), inj.s2cBytes()),
                        List.of(log.frames[s2c], log.payload[s2c], log.injected[s2c], log.injectedPayload[s2c]),
                        path + " s2c: frames and payload bytes the server sent (what the client got, less what wstap injected), then those wstap injected");
                assertNotNull(log.close, path + " has a close record");
                Map<String, Object> stats = (Map<String, Object>) log.close.get("stats");
                Map<String, Object> up = (Map<String, Object>) stats.get("c2s");
                Map<String, Object> down = (Map<String, Object>) stats.get("s2c");
                assertEquals(log.frames[c2s] + log.injected[c2s], up.get("frames"), path + " close record: c2s frames");
                assertEquals(log.frames[s2c] + log.injected[s2c], down.get("frames"), path + " close record: s2c frames");
                if (peer.sentWire() >= 0) {
                    assertEquals(peer.sentWire() + log.injectedWire[c2s], up.get("bytes"), path + " close record: c2s bytes");
                    assertEquals(peer.receivedWire(), down.get("bytes"), path + " close record: s2c bytes");
                }
                assertEquals("client", log.close.get("closed_by"), path);
                if (peer.ending() == Ending.CLEAN) {
                    assertEquals(true, log.close.get("clean"), path);
                    assertNull(log.close.get("error"), path);
                } else {
                    assertEquals(false, log.close.get("clean"), path);
                    assertEquals("client closed the connection without a close frame", log.close.get("error"), path);
                }
            }
        }
    }

    /** Reads the log line by line (it can be large) once wstap has stopped and the tap is drained. */
    private static Accounts readLog(ProxyServer proxy, Tap tap, Path logFile) throws IOException {
        proxy.close();
        tap.close();
        Accounts accounts = new Accounts();
        Map<Long, Logged> byConn = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                assertFalse(line.contains("internal error"), line);
                Map<String, Object> r = Json.object(line);
                long conn = (Long) r.get("conn");
                switch ((String) r.get("type")) {
                    case "open" -> {
                        Logged logged = new Logged();
                        byConn.put(conn, logged);
                        assertNull(accounts.sessions.put(URI.create((String) r.get("url")).getPath(), logged), line);
                    }
                    case "frame" -> {
                        Logged logged = byConn.get(conn);
                        assertNotNull(logged, "a frame of a session that never opened: " + line);
                        assertEquals(List.of(), r.get("violations"), line);
                        int d = "c2s".equals(r.get("dir")) ? Direction.C2S.ordinal() : Direction.S2C.ordinal();
                        long len = (Long) r.get("len");
                        long opcode = (Long) r.get("opcode");
                        if ((Boolean) r.get("injected")) {
                            logged.injected[d]++;
                            logged.injectedPayload[d] += len;
                            logged.injectedWire[d] += 2 + ((Boolean) r.get("masked") ? 4 : 0) + len; // pings: 7-bit length
                            if (d == Direction.C2S.ordinal() && opcode == Opcode.PING) accounts.injectedC2sPings++;
                        } else {
                            logged.frames[d]++;
                            logged.payload[d] += len;
                            if (d == Direction.C2S.ordinal() && (opcode == Opcode.TEXT || opcode == Opcode.BINARY)) {
                                accounts.c2sDataFrames++;
                                accounts.c2sDataBytes += len;
                            }
                        }
                    }
                    case "close" -> {
                        Logged logged = byConn.get(conn);
                        assertNotNull(logged, "a close of a session that never opened: " + line);
                        assertNull(logged.close, "a second close record: " + line);
                        logged.close = r;
                    }
                    default -> throw new AssertionError("unexpected record: " + line);
                }
            }
        }
        return accounts;
    }

    /** Events that should never come: an internal error, a connection that became no session. */
    private static final class Watch implements TapSink {
        final List<String> internalErrors = new CopyOnWriteArrayList<>();
        final List<String> httpSeen = new CopyOnWriteArrayList<>();

        @Override
        public void accept(TapEvent event) {
            switch (event) {
                case Closed c when c.error() != null && c.error().contains("internal error") -> internalErrors.add(c.toString());
                case HttpSeen h -> httpSeen.add(h.toString());
                default -> { }
            }
        }
    }

    // ---- threads and heap ----

    /** Threads and heap at one moment. */
    private record Snapshot(int platformThreads, long heapBytes, List<String> connectionThreads, List<String> threadNames) {
        static Snapshot take() {
            for (int i = 0; i < 3; i++) System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
            return new Snapshot(ManagementFactory.getThreadMXBean().getThreadCount(), heap, liveConnectionThreads(), names);
        }

        /** A snapshot once the platform threads have come back to {@code before} (give or take the slack), or after a while. */
        static Snapshot settled(Snapshot before) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Snapshot s = take();
            while (s.platformThreads > before.platformThreads && System.nanoTime() < deadline) {
                Thread.sleep(500);
                s = take();
            }
            return s;
        }

        /** Threads of connections and sessions, virtual ones included: {@code wstap-12}, {@code wstap-12-c2s}. */
        static List<String> liveConnectionThreads() {
            return LiveThreads.names().stream().filter(n -> n.matches("wstap-\\d+(-.*)?")).toList();
        }
    }
}
