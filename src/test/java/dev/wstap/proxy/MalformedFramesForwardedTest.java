package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Handshake;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.Waits;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1: malformed frames are forwarded and flagged, never fixed or dropped. A raw client
 * and a raw server (which answered the upgrade correctly) send frames that break one rule each;
 * the other side must get exactly those bytes, and the log must name each broken rule.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MalformedFramesForwardedTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x37fa213d;

    @TempDir
    Path dir;

    /** One frame, the rules it breaks, and how the log must describe it. */
    private record Case(byte[] wire, List<String> violations, int opcode, int rsv, boolean isFinal, long len, byte[] payload) {
        static Case of(boolean isFinal, int rsv, int opcode, Integer maskKey, byte[] payload, LengthEncoding encoding,
                       String... violations) {
            byte[] wire = FrameEncoder.frame(isFinal, rsv, opcode, maskKey, payload, encoding, payload.length);
            return new Case(wire, List.of(violations), opcode, rsv, isFinal, payload.length, payload);
        }
    }

    private static final List<Case> CLIENT_FRAMES = List.of(
            Case.of(true, 0, 0x3, KEY, utf8("three"), LengthEncoding.BITS_7, "reserved-opcode"),
            Case.of(true, 0, Opcode.PING, KEY, Bytes.pattern(126), LengthEncoding.BITS_16, "control-frame-too-long"),
            Case.of(true, 2, Opcode.TEXT, KEY, utf8("rsv2"), LengthEncoding.BITS_7, "rsv-without-extension"),
            Case.of(true, 0, Opcode.TEXT, KEY, utf8("hi"), LengthEncoding.BITS_64, "non-minimal-length"),
            Case.of(true, 0, Opcode.TEXT, null, utf8("bare"), LengthEncoding.BITS_7, "client-frame-unmasked"),
            Case.of(false, 0, Opcode.PING, KEY, utf8("frag"), LengthEncoding.BITS_7, "control-frame-fragmented"),
            Case.of(true, 0, Opcode.CONTINUATION, KEY, utf8("cont"), LengthEncoding.BITS_7, "continuation-without-start"),
            Case.of(true, 0, Opcode.TEXT, KEY, new byte[] {(byte) 0xC3, 0x28}, LengthEncoding.BITS_7, "invalid-utf8"),
            Case.of(true, 0, Opcode.CLOSE, KEY, new byte[] {0x03, (byte) 0xED}, LengthEncoding.BITS_7, "invalid-close-code"),
            Case.of(true, 0, Opcode.TEXT, KEY, utf8("late"), LengthEncoding.BITS_7, "frame-after-close"));

    private static final List<Case> SERVER_FRAMES = List.of(
            Case.of(true, 0, Opcode.TEXT, 0x01020304, utf8("masked"), LengthEncoding.BITS_7, "server-frame-masked"),
            Case.of(true, 4, Opcode.BINARY, null, new byte[] {1, 2, 3}, LengthEncoding.BITS_7, "rsv-without-extension"),
            Case.of(true, 0, 0xB, null, new byte[0], LengthEncoding.BITS_7, "reserved-opcode"),
            Case.of(true, 0, Opcode.PONG, null, Bytes.pattern(126), LengthEncoding.BITS_64,
                    "non-minimal-length", "control-frame-too-long"));

    @Test
    void malformedFramesCrossUnchangedBothWaysAndTheLogNamesEachViolation() throws Exception {
        byte[] clientBytes = Bytes.concat(CLIENT_FRAMES.stream().map(Case::wire).toArray(byte[][]::new));
        byte[] serverBytes = Bytes.concat(SERVER_FRAMES.stream().map(Case::wire).toArray(byte[][]::new));
        CompletableFuture<byte[]> serverReceived = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                 ex.write(Handshake.switchingProtocols(ex.request()).encode());
                 serverReceived.complete(ex.readExactly(clientBytes.length));
                 ex.write(serverBytes);
                 byte[] rest = ex.readToEnd();
                 if (rest.length != 0) throw new AssertionError(rest.length + " bytes more than the client sent");
             });
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port(), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/");
            client.write(clientBytes);
            assertArrayEquals(clientBytes, serverReceived.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "the server got exactly what the client sent");
            assertArrayEquals(serverBytes, client.readExactly(serverBytes.length), "the client got exactly what the server sent");

            client.shutdownOutput();
            assertEquals(-1, client.read(), "nothing after the server's frames");
            proxy.awaitNoSessions(WAIT);
            upstream.assertNoFailures();

            List<Map<String, Object>> log = proxy.closeAndReadLog();
            assertFrames(CLIENT_FRAMES, log, "c2s");
            assertFrames(SERVER_FRAMES, log, "s2c");
            assertEquals(List.of("open", "frame", "close"), log.stream().map(r -> (String) r.get("type")).distinct().toList());
        }
    }

    private static void assertFrames(List<Case> cases, List<Map<String, Object>> log, String dir) {
        List<Map<String, Object>> frames = log.stream()
                .filter(r -> "frame".equals(r.get("type")) && dir.equals(r.get("dir"))).toList();
        assertEquals(cases.size(), frames.size(), dir + " frame records");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Object> f = frames.get(i);
            String where = dir + " frame " + i;
            assertEquals(c.violations(), f.get("violations"), where + " violations");
            assertEquals(c.violations().size(), ((List<?>) f.get("violation_details")).size(), where + " violation details");
            assertEquals((long) c.opcode(), f.get("opcode"), where + " opcode");
            assertEquals((long) c.rsv(), f.get("rsv"), where + " rsv");
            assertEquals(c.isFinal(), f.get("fin"), where + " fin");
            assertEquals(c.len(), f.get("len"), where + " len");
            assertEquals(Base64.getEncoder().encodeToString(c.payload()), f.get("payload_b64"), where + " payload");
            assertEquals(false, f.get("truncated"), where + " truncated");
            assertEquals(false, f.get("injected"), where + " injected");
        }
    }
}
