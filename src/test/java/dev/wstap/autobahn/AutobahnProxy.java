package dev.wstap.autobahn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Handshake;
import dev.wstap.testing.Json;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A wstap reverse proxy ({@link ProxyFixture}) in front of a {@link ScriptedServer} that answers
 * every upgrade with a correct 101, for running {@link AutobahnCase}s through: each run is one
 * session of its own, and one proxy serves a whole test class. A run checks that every byte crossed
 * unchanged both ways and that the JSON Lines log's frame records, read back as the proxy writes
 * them, name exactly the expected violations on exactly the expected frames.
 */
final class AutobahnProxy implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = WAIT.toSeconds();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ScriptedServer upstream;
    private final ProxyFixture proxy;
    private final LogTail log;
    private final Map<String, ScriptedServer.Script> scripts = new ConcurrentHashMap<>();
    private final AtomicInteger runs = new AtomicInteger();

    private AutobahnProxy(Path dir) throws IOException {
        this.upstream = ScriptedServer.start(ex -> {
            ScriptedServer.Script script = scripts.remove(ex.request().target());
            if (script == null) throw new AssertionError("no case waits for " + ex.request().target());
            ex.write(Handshake.switchingProtocols(ex.request()).encode());
            script.serve(ex);
        });
        this.proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port(), dir);
        this.log = new LogTail(proxy.logFile());
    }

    static AutobahnProxy start(Path dir) throws IOException {
        return new AutobahnProxy(dir);
    }

    /**
     * As Autobahn's fuzzingclient: the client sends the case, masked, then half-closes; the server
     * reads all of it and answers as a conforming server would.
     */
    void clientSends(AutobahnCase c) throws Exception {
        AutobahnCase answer = c.answer();
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        String target = register(c, ex -> {
            serverGot.complete(ex.readToEnd());
            answer.send(Direction.S2C, ex::write);
        });
        byte[] clientGot;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade(target);
            c.send(Direction.C2S, client::write);
            client.shutdownOutput();
            clientGot = client.readToEnd();
        }
        check(c, target, c, serverGot.get(WAIT_SECONDS, TimeUnit.SECONDS), answer, clientGot);
    }

    /**
     * As Autobahn's fuzzingserver: the server sends the case, unmasked, right after its 101, then
     * half-closes; the client reads all of it and answers as a conforming client would.
     */
    void serverSends(AutobahnCase c) throws Exception {
        AutobahnCase answer = c.answer();
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        String target = register(c, ex -> {
            c.send(Direction.S2C, ex::write);
            ex.shutdownOutput();
            serverGot.complete(ex.readToEnd());
        });
        byte[] clientGot;
        try (RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade(target);
            clientGot = client.readToEnd();
            answer.send(Direction.C2S, client::write);
            client.shutdownOutput();
        }
        check(c, target, answer, serverGot.get(WAIT_SECONDS, TimeUnit.SECONDS), c, clientGot);
    }

    private String register(AutobahnCase c, ScriptedServer.Script script) {
        String target = "/" + runs.incrementAndGet() + "/" + c.id();
        scripts.put(target, script);
        return target;
    }

    private void check(AutobahnCase c, String target, AutobahnCase fromClient, byte[] serverGot,
                       AutobahnCase fromServer, byte[] clientGot) {
        upstream.assertNoFailures();
        assertArrayEquals(fromClient.bytes(Direction.C2S), serverGot, c.id() + ": the server got exactly what the client sent");
        assertArrayEquals(fromServer.bytes(Direction.S2C), clientGot, c.id() + ": the client got exactly what the server sent");
        Map<String, List<String>> logged = log.frameRecords(target);
        assertEquals(expected(fromClient, Direction.C2S), logged.get("c2s"), c.id() + ": c2s frame records in the log");
        assertEquals(expected(fromServer, Direction.S2C), logged.get("s2c"), c.id() + ": s2c frame records in the log");
    }

    private static List<String> expected(AutobahnCase c, Direction sender) {
        return c.frames().stream().map(f -> frameRecord(f.opcode(), f.isFinal(), f.rsv(), sender.requiresMask(), f.payload().length, f.violations())).toList();
    }

    /** One frame record in the form the tests compare: {@code ping fin=0 rsv=0 masked len=9 [control-frame-fragmented]}. */
    static String frameRecord(int opcode, boolean isFinal, long rsv, boolean isMasked, long len, List<?> violations) {
        return Opcode.name(opcode) + " fin=" + (isFinal ? 1 : 0) + " rsv=" + rsv + (isMasked ? " masked" : " unmasked")
                + " len=" + len + " " + violations;
    }

    @Override
    public void close() {
        proxy.close();
        upstream.close();
    }

    /**
     * Reads the JSON Lines log as the proxy appends to it (it flushes as soon as its queue is empty),
     * parsing each complete line once. Every line must be valid JSON.
     */
    private static final class LogTail {
        private final Path file;
        private long offset;
        private final Map<String, Long> connByTarget = new HashMap<>();
        private final Set<Long> closedConns = new HashSet<>();
        private final Map<Long, Map<String, List<String>>> framesByConn = new HashMap<>();

        LogTail(Path file) {
            this.file = file;
        }

        /** The frame records of the session whose upgrade asked for {@code target}, per direction, once it has ended. */
        synchronized Map<String, List<String>> frameRecords(String target) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!isClosed(target)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for the log's close record"
                            + " of the session for " + target);
                }
                // The log is flushed as soon as the proxy's log queue is empty: look again very soon.
                LockSupport.parkNanos(POLL_NANOS);
            }
            Map<String, List<String>> frames = framesByConn.getOrDefault(connByTarget.get(target), Map.of());
            return Map.of("c2s", frames.getOrDefault("c2s", List.of()), "s2c", frames.getOrDefault("s2c", List.of()));
        }

        private boolean isClosed(String target) {
            readNewLines();
            Long conn = connByTarget.get(target);
            return conn != null && closedConns.contains(conn);
        }

        private void readNewLines() {
            byte[] fresh;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size <= offset) return;
                ByteBuffer buf = ByteBuffer.allocate((int) (size - offset));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) break;
                }
                fresh = buf.array();
            } catch (IOException e) {
                throw new AssertionError("cannot read the log " + file + ": " + e.getMessage(), e);
            }
            int end = lastNewline(fresh);
            if (end < 0) return;
            for (String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) add(Json.object(line));
            }
            offset += end + 1;
        }

        private static int lastNewline(byte[] bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') return i;
            }
            return -1;
        }

        @SuppressWarnings("unchecked")
        private void add(Map<String, Object> r) {
            Long conn = (Long) r.get("conn");
            switch ((String) r.get("type")) {
                case "open" -> connByTarget.put((String) ((Map<String, Object>) r.get("request")).get("target"), conn);
                case "close" -> closedConns.add(conn);
                case "frame" -> framesByConn.computeIfAbsent(conn, k -> new HashMap<>())
                        .computeIfAbsent((String) r.get("dir"), k -> new ArrayList<>())
                        .add(frameRecord(((Long) r.get("opcode")).intValue(), (Boolean) r.get("fin"), (Long) r.get("rsv"),
                                (Boolean) r.get("masked"), (Long) r.get("len"), (List<?>) r.get("violations")));
                default -> { } // http records and types added later are not about sessions
            }
        }
    }
}
