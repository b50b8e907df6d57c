package dev.wstap.shell;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script commands in process: raw frames, sessions, use. */
class ScriptCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aMalformedFrameGoesOutExactlyAsDescribedAndIsFlagged() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                serverGot.complete(ex.readToEnd());
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ScriptRunner runner = new ScriptRunner(proxy.server(), proxy.tap(), new PrintStream(err, true, StandardCharsets.UTF_8));
            try (RawClient client = RawClient.connect(proxy.port())) {
                client.upgrade("/");
                int code = runner.run("-e", ScriptRunner.splitCommands(
                        "wait session; raw --opcode 0x3 --rsv 2 --mask 01020304 --len-encoding 16 hi; raw --opcode ping --mask nope x"));
                assertEquals(1, code);
                assertEquals("-e:3: error: --mask nope: 8 hex digits, random or none", err.toString(StandardCharsets.UTF_8).strip());
                client.shutdownOutput();
            }
            // Reserved opcode 3, RSV2, masked with 01020304, "hi" with a needless 16-bit length.
            byte[] expected = FrameEncoder.frame(true, 2, 3, 0x01020304, ascii("hi"), LengthEncoding.BITS_16, 2);
            assertArrayEquals(expected, serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            FrameSeen shown = proxy.events().await(FrameSeen.class, FrameSeen::isInjected, WAIT);
            assertEquals(List.of(Violation.Rule.NON_MINIMAL_LENGTH, Violation.Rule.RESERVED_OPCODE, Violation.Rule.RSV_WITHOUT_EXTENSION),
                    shown.frame().violations().stream().map(Violation::rule).toList());
            assertTrue(shown.frame().header().isMasked());
        }
    }

    @Test
    void sessionsListsEachOpenSessionAndUseRefusesAnUnknownOne() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ScriptRunner runner = new ScriptRunner(proxy.server(), proxy.tap(), new PrintStream(err, true, StandardCharsets.UTF_8));
            java.io.PrintStream stdout = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (RawClient client = RawClient.connect(proxy.port())) {
                client.upgrade("/listed");
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                assertEquals(1, runner.run("-e", List.of("wait session", "sessions", "use 99")));
            } finally {
                System.setOut(stdout);
            }
            assertTrue(out.toString(StandardCharsets.UTF_8).matches("(?s)#1  127\\.0\\.0\\.1:\\d+ → ws://127\\.0\\.0\\.1:\\d+/listed  c2s 0 frames 0 B  s2c 0 frames 0 B  \\d+ s\\R"),
                    out.toString(StandardCharsets.UTF_8));
            assertEquals("-e:3: error: no open session #99 (see: sessions)", err.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
