package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.Json;
import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.Waits;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2, bounded memory: wstap forwards payload as it arrives. The proxy runs as the real
 * command in a JVM of its own with a 64 MiB heap, and single frames of 16, 64 and 256 MiB (as
 * large as the whole heap, and four times that) cross it intact, generated and checked on the fly
 * on both ends. The proxy must survive, and its log must show each frame with its full length and a
 * truncated preview.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MemoryBoundTest {
    private static final int MASK_KEY = 0x9a3c5e71;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] CLOSE_1000 = {0x03, (byte) 0xE8};
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Process proxy;

    @AfterEach
    void stopProxy() throws InterruptedException {
        if (proxy == null) return;
        proxy.destroy();
        if (!proxy.waitFor(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS)) proxy.destroyForcibly().waitFor(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
    }

    @Test
    void framesUpTo256MiBCrossAProxyWithA64MiBHeapIntact() throws Exception {
        List<CompletableFuture<Long>> verified = new ArrayList<>();
        List<Long> sizes = List.of(16L << 20, 64L << 20, 256L << 20);
        for (int i = 0; i < sizes.size(); i++) verified.add(new CompletableFuture<>());
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                 int index = (int) (sizes.indexOf(Long.parseLong(ex.request().target().substring(1))));
                 ex.write(Handshake.switchingProtocols(ex.request()).encode());
                 ex.socket().setSoTimeout(20_000);
                 try {
                     verified.get(index).complete(receiveAndVerify(ex.input(), sizes.get(index)));
                 } catch (Throwable t) {
                     verified.get(index).completeExceptionally(t);
                     throw t;
                 }
                 ex.write(FrameEncoder.frame(true, Opcode.CLOSE, null, CLOSE_1000));
                 ex.shutdownOutput();
                 ex.readToEnd();
             })) {
            int port = freePort();
            Path log = dir.resolve("proxy.jsonl");
            proxy = startProxy(port, upstream.port(), log);

            for (int i = 0; i < sizes.size(); i++) {
                long size = sizes.get(i);
                long startNanos = System.nanoTime();
                try (RawClient client = RawClient.connect(port)) {
                    client.upgrade("/" + size);
                    sendFrame(client.socket().getOutputStream(), size);
                    client.write(FrameEncoder.frame(true, Opcode.CLOSE, MASK_KEY, CLOSE_1000));
                    assertEquals(size, verified.get(i).get(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS), "payload bytes verified by the server");
                    assertArrayEquals(FrameEncoder.frame(true, Opcode.CLOSE, null, CLOSE_1000), client.readExactly(4));
                    assertEquals(-1, client.read());
                } catch (IOException e) {
                    throw new AssertionError("a " + size + "-byte frame did not get through; the proxy "
                            + (proxy.isAlive() ? "is running" : "exited with " + proxy.exitValue())
                            + "; its stderr: " + read(dir.resolve("proxy.stderr")), e);
                }
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                assertTrue(proxy.isAlive(), "the proxy is still running after a " + size + "-byte frame");
                System.out.println(size + " bytes through the proxy in " + millis + " ms");
            }
            upstream.assertNoFailures();

            // The log is flushed at least every 200 ms: wait for both sessions' close records.
            Poll.until(WAIT, () -> closeRecords(log) == sizes.size(), () -> "close records in " + read(log));
            List<Map<String, Object>> records = Json.completeLines(log);
            for (long size : sizes) {
                Map<String, Object> f = records.stream()
                        .filter(r -> "frame".equals(r.get("type")) && Long.valueOf(size).equals(r.get("len"))).findFirst()
                        .orElseThrow(() -> new AssertionError("no frame of " + size + " bytes in the log"));
                assertEquals("c2s", f.get("dir"));
                assertEquals((long) Opcode.BINARY, f.get("opcode"));
                assertEquals(true, f.get("fin"));
                assertEquals(true, f.get("masked"));
                assertEquals(String.format("%08x", MASK_KEY), f.get("mask"));
                assertEquals(true, f.get("truncated"));
                assertEquals(List.of(), f.get("violations"));
                // The preview is the first 64 KiB (--max-preview's default), unmasked.
                assertArrayEquals(Bytes.pattern(64 * 1024), Base64.getDecoder().decode((String) f.get("payload_b64")));
            }
            assertTrue(proxy.isAlive(), "the proxy is still running");
        }
    }

    /** Starts {@code wstap proxy} as a user would, in a JVM with a 64 MiB heap; returns once it listens. */
    private Process startProxy(int port, int upstreamPort, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("proxy.stderr");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "dev.wstap.cli.Main", "proxy", "--listen", "127.0.0.1:" + port,
                "--upstream", "ws://127.0.0.1:" + upstreamPort, "--quiet", "--log", log.toString())
                .redirectOutput(dir.resolve("proxy.stdout").toFile())
                .redirectError(stderr.toFile())
                .start();
        Poll.until(Duration.ofSeconds(20), () -> read(stderr).contains("wstap proxy:") || !p.isAlive(),
                () -> "the proxy to start; stderr: " + read(stderr));
        assertTrue(p.isAlive(), () -> "the proxy exited with " + p.exitValue() + ": " + read(stderr));
        return p;
    }

    /** One masked binary frame of {@code size} bytes, generated and written in 64 KiB chunks. */
    private static void sendFrame(OutputStream out, long size) throws IOException {
        byte[] header = new byte[14];
        int n = FrameEncoder.writeHeader(new FrameHeader(true, 0, Opcode.BINARY, true, MASK_KEY, size, LengthEncoding.BITS_64), header);
        out.write(header, 0, n);
        byte[] chunk = new byte[CHUNK_BYTES];
        for (long pos = 0; pos < size; pos += CHUNK_BYTES) {
            int len = (int) Math.min(CHUNK_BYTES, size - pos);
            for (int i = 0; i < len; i++) chunk[i] = (byte) (Bytes.patternAt(pos + i) ^ maskByte(pos + i));
            out.write(chunk, 0, len);
        }
    }

    /**
     * Reads the frame {@link #sendFrame} wrote and checks its header and every payload byte as it
     * arrives, then its close frame; returns the number of payload bytes verified.
     */
    private static long receiveAndVerify(InputStream in, long size) throws IOException {
        byte[] header = in.readNBytes(14);
        byte[] expectedHeader = new byte[14];
        FrameEncoder.writeHeader(new FrameHeader(true, 0, Opcode.BINARY, true, MASK_KEY, size, LengthEncoding.BITS_64), expectedHeader);
        assertArrayEquals(expectedHeader, header, "frame header");
        byte[] buf = new byte[CHUNK_BYTES];
        long pos = 0;
        while (pos < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - pos));
            if (n < 0) throw new AssertionError("stream ended after " + pos + " of " + size + " payload bytes");
            for (int i = 0; i < n; i++) {
                byte expected = (byte) (Bytes.patternAt(pos + i) ^ maskByte(pos + i));
                if (buf[i] != expected) throw new AssertionError("payload byte " + (pos + i) + " is " + buf[i] + ", expected " + expected);
            }
            pos += n;
        }
        assertArrayEquals(FrameEncoder.frame(true, Opcode.CLOSE, MASK_KEY, CLOSE_1000), in.readNBytes(8), "the close after the payload");
        return pos;
    }

    private static int maskByte(long position) {
        return MASK_KEY >>> (24 - 8 * (int) (position & 3));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long closeRecords(Path log) {
        try {
            return Json.completeLines(log).stream().filter(r -> "close".equals(r.get("type"))).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
