package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wstap.http.Handshake;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Opened;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.Frames;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.RecordingRelay;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.Direction;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1, faithful by default, proven with peers we did not write: the JDK's WebSocket
 * client talks through wstap to Java-WebSocket's server, with a recording TCP relay on each side
 * of wstap. Whatever the client sent after its upgrade request must reach the server byte for
 * byte, and everything the server sent (its 101 included) must reach the client byte for byte.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ByteExactForwardingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void jdkClientAndJavaWebSocketServerExchangeIdenticalBytesThroughWstap() throws Exception {
        byte[] small = Bytes.pattern(1000);
        byte[] large = Bytes.pattern(300 * 1024);
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch("chat.v2");
             RecordingRelay serverSide = RecordingRelay.to(server.getPort());
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + serverSide.port() + "/base", dir);
             RecordingRelay clientSide = RecordingRelay.to(proxy.port())) {

            URI uri = URI.create("ws://127.0.0.1:" + clientSide.port() + "/chat?room=1");
            try (JdkWsClient client = JdkWsClient.connect(uri, "chat.v1", "chat.v2")) {
                assertEquals("chat.v2", client.ws().getSubprotocol());
                client.sendText("hello through wstap");
                assertEquals("hello through wstap", client.nextText());
                client.sendBinary(small);
                assertArrayEquals(small, client.nextBinary());
                client.sendBinary(large);
                assertArrayEquals(large, client.nextBinary());
                client.sendPing(utf8("ping-1"));
                assertArrayEquals(utf8("ping-1"), client.next(JdkWsClient.Pong.class).payload());
                client.sendPing(new byte[0]);
                assertArrayEquals(new byte[0], client.next(JdkWsClient.Pong.class).payload());
                client.sendClose(1000, "done");
                assertEquals(new JdkWsClient.Close(1000, "done"), client.next(JdkWsClient.Close.class));

                // Both TCP connections end on their own once the close handshake is over.
                RecordingRelay.Connection atClient = clientSide.connection(0, WAIT).awaitEnded(WAIT);
                RecordingRelay.Connection atServer = serverSide.connection(0, WAIT).awaitEnded(WAIT);

                // c2s: the frames after the upgrade request are identical on both sides of wstap...
                byte[] sent = Bytes.afterHead(atClient.c2s());
                byte[] arrived = Bytes.afterHead(atServer.c2s());
                assertEquals(List.of(
                        "text fin=1 masked len=19",
                        "binary fin=1 masked len=1000",
                        "binary fin=1 masked len=307200",
                        "ping fin=1 masked len=6",
                        "ping fin=1 masked len=0",
                        "close fin=1 masked len=6"), Frames.summary(sent, Direction.C2S));
                assertEquals(sent.length, arrived.length, "c2s frame bytes");
                assertArrayEquals(sent, arrived, "c2s frame bytes differ across wstap");

                // ...and s2c everything is identical, the 101 included.
                assertEquals(List.of(
                        "text fin=1 unmasked len=19",
                        "binary fin=1 unmasked len=1000",
                        "binary fin=1 unmasked len=307200",
                        "pong fin=1 unmasked len=6",
                        "pong fin=1 unmasked len=0",
                        "close fin=1 unmasked len=6"), Frames.summary(Bytes.afterHead(atServer.s2c()), Direction.S2C));
                assertEquals(atServer.s2c().length, atClient.s2c().length, "s2c bytes");
                assertArrayEquals(atServer.s2c(), atClient.s2c(), "s2c bytes differ across wstap");

                // The upgrade request: only the request target and Host were rewritten.
                List<String> clientLines = lines(Bytes.head(atClient.c2s()));
                List<String> serverLines = lines(Bytes.head(atServer.c2s()));
                assertEquals("GET /chat?room=1 HTTP/1.1", clientLines.get(0));
                List<String> expected = new ArrayList<>();
                for (String line : clientLines) {
                    if (line.equals(clientLines.get(0))) expected.add("GET /base/chat?room=1 HTTP/1.1");
                    else if (line.regionMatches(true, 0, "Host:", 0, 5)) expected.add(line.substring(0, 5) + " 127.0.0.1:" + serverSide.port());
                    else expected.add(line);
                }
                assertEquals(expected, serverLines);
                assertEquals("127.0.0.1:" + clientSide.port(), header(clientLines, "Host"));
                assertEquals("chat.v1, chat.v2", header(serverLines, "Sec-WebSocket-Protocol"));
                assertEquals("chat.v2", header(lines(Bytes.head(atClient.s2c())), "Sec-WebSocket-Protocol"));
                assertEquals(List.of("/base/chat?room=1"), server.resources());
            }
            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("ws://127.0.0.1:" + serverSide.port() + "/base/chat?room=1", opened.url());
            assertEquals("chat.v2", opened.subprotocol());
            Closed closed = proxy.events().await(Closed.class, WAIT);
            assertEquals("client", closed.closedBy());
            assertEquals(1000, closed.code());
            assertEquals("done", closed.reason());
            assertEquals(true, closed.isClean());
            assertNull(closed.error());
            assertEquals(List.of(), server.errors());
        }
    }

    /**
     * Subprotocol and extension offers, repeated headers, their order and spelling all pass
     * upstream untouched, and the server's 101 (with its choices) comes back byte for byte.
     */
    @Test
    void upgradeRequestReachesUpstreamWithOnlyTargetAndHostRewritten() throws Exception {
        String accept = Handshake.acceptFor(RawClient.KEY);
        byte[] answer = ascii("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + "Sec-WebSocket-Protocol: chat.v2\r\n"
                + "Sec-WebSocket-Extensions: x-custom; a=1\r\n"
                + "X-Served-By: scripted\r\n"
                + "\r\n");
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                 ex.write(answer);
                 ex.readToEnd();
             });
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + upstream.port() + "/base", dir);
             RawClient client = RawClient.connect(proxy.port())) {
            String offers = "Upgrade: websocket\r\n"
                    + "Connection: keep-alive, Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + RawClient.KEY + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Sec-WebSocket-Extensions: x-custom; a=1, x-webkit-deflate-frame\r\n"
                    + "Origin: http://app.example\r\n"
                    + "Cookie: session=abc; theme=dark\r\n"
                    + "user-agent: wstap-test/1.0\r\n"
                    + "\r\n";
            client.write(ascii("GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port() + "\r\n" + offers));

            assertArrayEquals(answer, client.readHead(), "the 101 is relayed byte for byte");
            String relayed = new String(upstream.exchange(0, WAIT).head(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals("GET /base/chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port() + "\r\n" + offers, relayed);

            Opened opened = proxy.events().await(Opened.class, WAIT);
            assertEquals("chat.v2", opened.subprotocol());
            assertEquals("x-custom; a=1", opened.extensions());
            client.shutdownOutput();
            assertEquals(-1, client.read());
            proxy.awaitNoSessions(WAIT);
            upstream.assertNoFailures();

            Map<String, Object> open = proxy.closeAndReadLog().get(0);
            assertEquals("open", open.get("type"));
            assertEquals("chat.v2", open.get("subprotocol"));
            assertEquals("x-custom; a=1", open.get("extensions"));
        }
    }

    private static List<String> lines(String head) {
        List<String> out = new ArrayList<>(List.of(head.split("\r\n", -1)));
        assertEquals(List.of("", ""), out.subList(out.size() - 2, out.size()), "a head ends with a blank line");
        return out.subList(0, out.size() - 2);
    }

    private static String header(List<String> lines, String name) {
        String found = null;
        for (String line : lines) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                if (found != null) throw new AssertionError("two " + name + " headers in " + lines);
                found = line.substring(name.length() + 1).strip();
            }
        }
        return found;
    }
}
