package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.http.Handshake;
import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.testing.Waits;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 5: bytes that arrive together with a handshake are never lost. A server that writes
 * its 101 and its first frame in one write, and a client that writes its upgrade request and its
 * first frame in one write, must both be heard in full.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EarlyBytesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A server that greets first: its 101 and a text frame leave in one single write() call. */
    private static ScriptedServer greetingServer(byte[] greeting) throws Exception {
        return ScriptedServer.start(ex -> {
            ex.write(Handshake.switchingProtocols(ex.request()).encode(), greeting);
            ex.readToEnd();
        });
    }

    @Test
    void frameWrittenWithThe101ReachesARawClient() throws Exception {
        byte[] greeting = FrameEncoder.frame(true, Opcode.TEXT, null, utf8("welcome, you are #1"));
        try (ScriptedServer upstream = greetingServer(greeting);
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port(), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of()));
            byte[] expected = Bytes.concat(Handshake.switchingProtocols(upstream.exchange(0, WAIT).request()).encode(), greeting);
            assertArrayEquals(expected, client.readExactly(expected.length), "the 101 and the frame, byte for byte");

            FrameSeen seen = proxy.events().await(FrameSeen.class, WAIT);
            assertEquals(Direction.S2C, seen.dir());
            assertEquals("welcome, you are #1", seen.frame().text());
            client.shutdownOutput();
            assertEquals(-1, client.read(), "nothing more than the greeting");
            upstream.assertNoFailures();
        }
    }

    @Test
    void frameWrittenWithThe101ReachesTheJdkClient() throws Exception {
        byte[] greeting = FrameEncoder.frame(true, Opcode.TEXT, null, utf8("welcome, you are #1"));
        try (ScriptedServer upstream = greetingServer(greeting);
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port(), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/"))) {
            assertEquals("welcome, you are #1", client.nextText());
        }
    }

    @Test
    void frameWrittenWithTheUpgradeRequestReachesTheServer() throws Exception {
        byte[] first = FrameEncoder.frame(true, Opcode.TEXT, 0x5eed1e55, utf8("hello before the 101"));
        byte[] second = FrameEncoder.frame(true, Opcode.BINARY, 0x5eed1e55, Bytes.pattern(300));
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                 ex.write(Handshake.switchingProtocols(ex.request()).encode());
                 received.complete(ex.readToEnd());
             });
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port(), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of()), first);
            client.readHead();
            client.write(second);
            client.shutdownOutput();
            assertArrayEquals(Bytes.concat(first, second), received.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS),
                    "the frame that came with the upgrade, then the next one, and nothing else");
            assertEquals(-1, client.read());
            upstream.assertNoFailures();
        }
    }
}
