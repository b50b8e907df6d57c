package dev.wstap.autobahn.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Poll;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A wstap reverse proxy ({@link ProxyFixture}) in front of a {@link ScriptedServer} whose 101 agrees
 * whatever {@code Sec-WebSocket-Extensions} a case asks for, for running the compression cases
 * through: each run is one session of its own, and one proxy serves a whole test class. In a run
 * both peers send their {@link PeerScript} at the same time, then half-close. A run checks that
 * every byte crossed unchanged both ways, and that the tap's events and the JSON Lines log, read
 * back as the proxy writes it, hold exactly the frame and message records the scripts expect.
 *
 * <p>The preview limit is the largest message of the corpus, so that every inflated message is
 * kept whole and can be compared with what was sent.
 */
final class CompressionProxy implements AutoCloseable {
    /** The largest message of Autobahn's families 12 and 13. */
    static final int MAX_MESSAGE_BYTES = 131072;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ScriptedServer upstream;
    private final ProxyFixture proxy;
    private final SessionRecorder recorder = new SessionRecorder();
    private final LogTail log;
    private final Map<String, ScriptedServer.Script> scripts = new ConcurrentHashMap<>();
    private final AtomicInteger runs = new AtomicInteger();

    private CompressionProxy(Path dir) throws IOException {
        this.upstream = ScriptedServer.start(ex -> {
            ScriptedServer.Script script = scripts.remove(ex.request().target());
            if (script == null) throw new AssertionError("no case waits for " + ex.request().target());
            script.serve(ex);
        });
        this.proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port())
                .withMaxPreviewBytes(MAX_MESSAGE_BYTES), dir);
        proxy.tap().attach("compression-cases", recorder, false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
        this.log = new LogTail(proxy.logFile());
    }

    static CompressionProxy start(Path dir) throws IOException {
        return new CompressionProxy(dir);
    }

    /**
     * Runs one session: the client offers {@code offer} and the upstream answers {@code answer}
     * (either null: no extension header); then the client sends {@code client}'s bytes and the
     * upstream {@code server}'s, at the same time, and both half-close.
     */
    void run(String caseId, String offer, String answer, PeerScript client, PeerScript server) throws Exception {
        run(caseId, offer, answer, () -> client, () -> server);
    }

    /**
     * As {@link #run(String, String, String, PeerScript, PeerScript)}, each script built by the
     * peer that sends it, on its own thread: compressing a large case takes as long as sending it.
     */
    void run(String caseId, String offer, String answer, Supplier<PeerScript> clientScript,
             Supplier<PeerScript> serverScript) throws Exception {
        String target = "/" + runs.incrementAndGet() + "/" + caseId.replaceAll("[^A-Za-z0-9._-]", "_");
        CompletableFuture<PeerScript> server = new CompletableFuture<>();
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        scripts.put(target, ex -> {
            try {
                List<Header> headers = new ArrayList<>(Handshake.switchingProtocols(ex.request()).headers().list());
                if (answer != null) headers.add(new Header("Sec-WebSocket-Extensions", answer));
                ex.write(new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(headers)).encode());
                Background writer = Background.start(() -> {
                    PeerScript script = serverScript.get();
                    server.complete(script);
                    ex.write(script.bytes());
                    ex.shutdownOutput();
                });
                byte[] got = ex.readToEnd();
                writer.join();
                serverGot.complete(got);
            } catch (Throwable t) {
                serverGot.completeExceptionally(t);
            }
        });
        PeerScript client;
        byte[] clientGot;
        try (RawClient c = RawClient.connect(proxy.port())) {
            c.write(RawClient.upgradeRequest(proxy.port(), target,
                    offer == null ? List.of() : List.of(new Header("Sec-WebSocket-Extensions", offer))));
            String head = new String(c.readHead(), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 101 "), caseId + ": expected a 101, got:\n" + head);
            if (answer != null) {
                assertTrue(head.contains("\r\nSec-WebSocket-Extensions: " + answer + "\r\n"),
                        caseId + ": the server's extensions were relayed as written:\n" + head);
            }
            CompletableFuture<PeerScript> sent = new CompletableFuture<>();
            Background writer = Background.start(() -> {
                PeerScript script = clientScript.get();
                sent.complete(script);
                c.write(script.bytes());
                c.shutdownOutput();
            });
            clientGot = c.readToEnd();
            writer.join();
            client = sent.get();
        }
        assertArrayEquals(client.bytes(), serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                caseId + ": the server got exactly the bytes the client sent");
        PeerScript serverSent = server.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(serverSent.bytes(), clientGot, caseId + ": the client got exactly the bytes the server sent");

        Map<String, List<String>> events = recorder.await(target);
        Map<String, List<String>> logged = log.await(target);
        for (PeerScript script : List.of(client, serverSent)) {
            String dir = script.sender().label();
            assertRecords(script.frameRecords(), events.get("frame " + dir), caseId + ": " + dir + " FrameSeen events");
            assertRecords(script.messageRecords(), events.get("message " + dir), caseId + ": " + dir + " MessageSeen events");
            assertRecords(script.frameRecords(), logged.get("frame " + dir), caseId + ": " + dir + " frame records in the log");
            assertRecords(script.messageRecords(), logged.get("message " + dir), caseId + ": " + dir + " message records in the log");
        }
    }

    /**
     * Runs a session in which {@code sender} sends what {@code script} adds to its script and the
     * other peer only a close.
     */
    void runOneWay(String caseId, String offer, String answer, Direction sender, UnaryOperator<PeerScript> script)
            throws Exception {
        Supplier<PeerScript> flagged = () -> script.apply(new PeerScript(sender));
        Supplier<PeerScript> quiet = () -> new PeerScript(sender.reverse()).close();
        run(caseId + " " + sender.label(), offer, answer, sender == Direction.C2S ? flagged : quiet,
                sender == Direction.C2S ? quiet : flagged);
    }

    /** Fails naming the first record that differs, rather than printing hundreds of them. */
    private static void assertRecords(List<String> expected, List<String> actual, String what) {
        List<String> got = actual == null ? List.of() : actual;
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
            if (!expected.get(i).equals(got.get(i))) {
                throw new AssertionError(what + ": record #" + i + " differs\n expected: " + expected.get(i)
                        + "\n   actual: " + got.get(i));
            }
        }
        if (expected.size() != got.size()) {
            throw new AssertionError(what + ": expected " + expected.size() + " records, got " + got.size()
                    + (got.size() > expected.size() ? "; the first extra one: " + got.get(expected.size())
                    : "; the first missing one: " + expected.get(got.size())));
        }
    }

    /** One frame record in the form the cases compare: {@code text fin=1 rsv=4 masked len=7 []}. */
    static String frameRecord(int opcode, boolean isFinal, long rsv, boolean isMasked, long len, List<?> violations) {
        return Opcode.name(opcode) + " fin=" + (isFinal ? 1 : 0) + " rsv=" + rsv + (isMasked ? " masked" : " unmasked")
                + " len=" + len + " " + violations;
    }

    /**
     * One message record in the form the cases compare, the payload and text by digest:
     * {@code text fragments=2 compressed wire_len=31 len=64 payload=5f3a… text=5f3a… []}.
     */
    static String messageRecord(int opcode, int fragments, long wireLength, boolean isCompressed, long length,
                                byte[] preview, boolean isTruncated, String text, List<?> violations) {
        return Opcode.name(opcode) + " fragments=" + fragments + (isCompressed ? " compressed" : " plain")
                + " wire_len=" + wireLength + " len=" + length + " payload=" + digest(preview)
                + " text=" + (text == null ? "none" : digest(text.getBytes(StandardCharsets.UTF_8)))
                + (isTruncated ? " truncated" : "") + " " + violations;
    }

    /** The text a message record must show: the payload of a text message that is valid UTF-8, else null. */
    static String textOf(int opcode, byte[] message) {
        if (opcode != Opcode.TEXT) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(List<Violation> violations) {
        return violations.stream().map(v -> v.rule().id()).toList();
    }

    @Override
    public void close() {
        proxy.close();
        upstream.close();
        upstream.assertNoFailures();
    }

    /** A writer on a thread of its own, so that both peers send at once and neither blocks the other. */
    private static final class Background {
        interface Job {
            void run() throws Exception;
        }

        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        private Background(Job job) {
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    job.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        static Background start(Job job) {
            return new Background(job);
        }

        void join() throws Exception {
            if (!thread.join(WAIT)) throw new AssertionError("a writer did not finish within " + WAIT.toSeconds() + " s");
            if (failure.get() != null) throw new AssertionError("a writer failed", failure.get());
        }
    }

    /**
     * Keeps, per session, the frame and message records built from the tap's events, digests in
     * place of payloads so that memory stays small. Thread safe.
     */
    private static final class SessionRecorder implements TapSink {
        private final Map<Integer, String> targetByConn = new HashMap<>();
        private final Map<String, Map<String, List<String>>> recordsByTarget = new HashMap<>();
        private final Set<String> closedTargets = new HashSet<>();

        @Override
        public synchronized void accept(TapEvent event) {
            switch (event) {
                case Opened o -> {
                    targetByConn.put(o.conn(), o.request().target());
                    recordsByTarget.put(o.request().target(), new HashMap<>());
                }
                case FrameSeen f -> {
                    FrameHeader h = f.frame().header();
                    add(f.conn(), "frame " + f.dir().label(), frameRecord(h.opcode(), h.isFinal(), h.rsv(), h.isMasked(),
                            h.payloadLength(), ids(f.frame().violations())));
                }
                case MessageSeen m -> add(m.conn(), "message " + m.dir().label(), messageRecord(m.opcode(), m.fragments(),
                        m.wireLength(), m.isCompressed(), m.length(), m.preview(), m.isTruncated(), m.text(), ids(m.violations()))
                        + (m.isInjected() ? " injected" : ""));
                case Closed c -> closedTargets.add(targetByConn.get(c.conn()));
                default -> { } // http records are not about sessions
            }
        }

        private void add(int conn, String key, String record) {
            recordsByTarget.get(targetByConn.get(conn)).computeIfAbsent(key, k -> new ArrayList<>()).add(record);
        }

        /** The records of the session for {@code target}, once it has ended. */
        Map<String, List<String>> await(String target) {
            Poll.until(WAIT, () -> isClosed(target), () -> "the end of the session for " + target);
            synchronized (this) {
                return recordsByTarget.remove(target);
            }
        }

        private synchronized boolean isClosed(String target) {
            return closedTargets.contains(target);
        }
    }

    /**
     * Reads the JSON Lines log as the proxy appends to it (it flushes as soon as its queue is
     * empty), parsing each complete line once with a streaming parser; every line must be valid
     * JSON. Frame payloads are skipped unread: the cases compare payloads on message records.
     */
    private static final class LogTail {
        private static final JsonFactory JSON = new JsonFactory();

        private final Path file;
        private long offset;
        private final Map<Long, String> targetByConn = new HashMap<>();
        private final Map<String, Map<String, List<String>>> recordsByTarget = new HashMap<>();
        private final Set<String> closedTargets = new HashSet<>();

        LogTail(Path file) {
            this.file = file;
        }

        /** The records of the session for {@code target}, once its close record is in the log. */
        synchronized Map<String, List<String>> await(String target) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!closedTargets.contains(target)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for the log's close record"
                            + " of the session for " + target);
                }
                if (!readNewLines()) LockSupport.parkNanos(POLL_NANOS);
            }
            return recordsByTarget.remove(target);
        }

        private boolean readNewLines() {
            byte[] fresh;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size <= offset) return false;
                ByteBuffer buf = ByteBuffer.allocate((int) (size - offset));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, offset + buf.position()) < 0) break;
                }
                fresh = buf.array();
            } catch (IOException e) {
                throw new AssertionError("cannot read the log " + file + ": " + e.getMessage(), e);
            }
            int start = 0;
            for (int i = 0; i < fresh.length; i++) {
                if (fresh[i] != '\n') continue;
                if (i > start) add(fresh, start, i - start);
                start = i + 1;
            }
            offset += start;
            return start > 0;
        }

        private void add(byte[] bytes, int off, int len) {
            try (JsonParser p = JSON.createParser(bytes, off, len)) {
                add(new LogLine(p));
                if (p.nextToken() != null) throw new IOException("text after the object");
            } catch (IOException e) {
                throw new AssertionError("log line is not valid JSON (" + e.getMessage() + "): "
                        + new String(bytes, off, Math.min(len, 300), StandardCharsets.UTF_8), e);
            }
        }

        private void add(LogLine r) {
            switch (r.type) {
                case "open" -> {
                    targetByConn.put(r.conn, r.target);
                    recordsByTarget.put(r.target, new HashMap<>());
                }
                case "frame" -> add(r.conn, "frame " + r.dir, frameRecord(r.opcode, r.isFinal, r.rsv, r.isMasked, r.len,
                        r.violations));
                case "message" -> add(r.conn, "message " + r.dir, messageRecord(r.opcode, r.fragments, r.wireLength,
                        r.isCompressed, r.len, r.payload, r.isTruncated, r.text, r.violations) + (r.isInjected ? " injected" : ""));
                case "close" -> closedTargets.add(targetByConn.get(r.conn));
                default -> { } // http records and types added later are not about sessions
            }
        }

        private void add(long conn, String key, String record) {
            recordsByTarget.get(targetByConn.get(conn)).computeIfAbsent(key, k -> new ArrayList<>()).add(record);
        }
    }

    /** The fields of one log line that the cases compare, read in one pass; {@code type} comes first. */
    private static final class LogLine {
        String type = "";
        long conn;
        String dir;
        String target;
        int opcode;
        boolean isFinal;
        long rsv;
        boolean isMasked;
        long len;
        int fragments;
        boolean isCompressed;
        long wireLength;
        byte[] payload;
        boolean isTruncated;
        String text;
        boolean isInjected;
        List<String> violations = List.of();

        LogLine(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "type" -> type = p.getText();
                    case "conn" -> conn = p.getLongValue();
                    case "dir" -> dir = p.getText();
                    case "opcode" -> opcode = p.getIntValue();
                    case "fin" -> isFinal = p.getBooleanValue();
                    case "rsv" -> rsv = p.getLongValue();
                    case "masked" -> isMasked = p.getBooleanValue();
                    case "len" -> len = p.getLongValue();
                    case "fragments" -> fragments = p.getIntValue();
                    case "compressed" -> isCompressed = p.getBooleanValue();
                    case "wire_len" -> wireLength = p.getLongValue();
                    case "truncated" -> isTruncated = p.getBooleanValue();
                    case "injected" -> isInjected = p.getBooleanValue();
                    case "text" -> text = type.equals("message") ? p.getText() : null;
                    case "payload_b64" -> payload = type.equals("message") ? p.getBinaryValue() : null;
                    case "violations" -> violations = strings(p);
                    case "request" -> target = targetOf(p);
                    default -> p.skipChildren();
                }
            }
        }

        private static List<String> strings(JsonParser p) throws IOException {
            List<String> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.VALUE_STRING) out.add(p.getText());
            return out;
        }

        private static String targetOf(JsonParser p) throws IOException {
            String target = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("target")) target = p.getText();
                else p.skipChildren();
            }
            return target;
        }
    }
}
