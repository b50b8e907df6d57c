package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole messages (fragmented, compressed), ping round trips and the close handshake, through the
 * proxy between a raw client and a raw server that agreed to permessage-deflate.
 */
class MessagesAndRoundTripsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x0a0b0c0d;

    @TempDir
    Path dir;

    /** RFC 7692 §7.2.1: deflate with a sync flush and drop the trailing 00 00 ff ff. */
    private static byte[] compress(Deflater deflater, String text) {
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) out.write(buf, 0, n);
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return FrameEncoder.frame(fin, rsv, opcode, KEY, payload, LengthEncoding.minimalFor(payload.length), payload.length);
    }

    @Test
    void compressedFragmentedMessagesPingsAndTheCloseHandshakeAreFollowed() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                HttpResponse accept = Handshake.switchingProtocols(ex.request());
                List<Header> headers = new ArrayList<>(accept.headers().list());
                headers.add(new Header("Sec-WebSocket-Extensions", "permessage-deflate"));
                ex.write(new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new dev.wstap.http.Headers(headers)).encode());
                // The server's side of the script: answer the ping, then the close.
                ex.readExactly(6 + 2);                                        // the client's ping "p1"
                ex.write(FrameEncoder.frame(true, Opcode.PONG, null, ascii("p1")));
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of(new Header("Sec-WebSocket-Extensions", "permessage-deflate"))));
            client.readHead();
            client.write(frame(true, 0, Opcode.PING, ascii("p1")));
            FrameSeen pong = proxy.events().await(FrameSeen.class, f -> f.frame().header().opcode() == Opcode.PONG, WAIT);
            assertNotNull(pong.roundTrip(), "the pong answered the ping");

            // A compressed text message in two fragments: RSV1 on the first frame only (RFC 7692 §6.1).
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            String json = "{\"event\":\"price\",\"bids\":[1.5,1.6],\"pad\":\"" + "x".repeat(200) + "\"}";
            byte[] wire = compress(deflater, json);
            int half = wire.length / 2;
            client.write(frame(false, 4, Opcode.TEXT, Arrays.copyOfRange(wire, 0, half)),
                    frame(true, 0, Opcode.CONTINUATION, Arrays.copyOfRange(wire, half, wire.length)));
            // The same context goes on (no_context_takeover was not agreed): a second message refers back.
            client.write(frame(true, 4, Opcode.TEXT, compress(deflater, json)));
            // An uncompressed fragmented binary message.
            client.write(frame(false, 0, Opcode.BINARY, new byte[] {1, 2}), frame(false, 0, Opcode.CONTINUATION, new byte[] {3}),
                    frame(true, 0, Opcode.CONTINUATION, new byte[] {4, 5}));
            // An uncompressed single frame: a message that is the same as its frame.
            client.write(frame(true, 0, Opcode.TEXT, ascii("plain")));
            client.write(frame(true, 0, Opcode.CLOSE, new ClosePayload(1000, "bye").encode()));

            List<MessageSeen> messages = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                messages.add(proxy.events().await(MessageSeen.class, m -> proxy.events().events(MessageSeen.class).indexOf(m) == n, WAIT));
            }
            MessageSeen first = messages.get(0);
            assertEquals(2, first.fragments());
            assertTrue(first.isCompressed());
            assertEquals(wire.length, first.wireLength());
            assertEquals(json.length(), first.length());
            assertEquals(json, first.text());
            assertEquals(List.of(), first.violations());
            assertEquals(json, messages.get(1).text(), "context takeover across messages");
            assertTrue(messages.get(1).wireLength() < wire.length, "the second refers back into the first");
            MessageSeen binary = messages.get(2);
            assertEquals(3, binary.fragments());
            assertEquals(false, binary.isCompressed());
            assertEquals(List.of(1, 2, 3, 4, 5), toList(binary.preview()));
            MessageSeen plain = messages.get(3);
            assertTrue(plain.isSameAsFrame());
            assertEquals("plain", plain.text());
            FrameSeen plainFrame = proxy.events().await(FrameSeen.class, f -> "plain".equals(f.frame().text()), WAIT);
            assertSame(plainFrame.frame().preview(), plain.preview(), "the frame's preview, not a copy");
            assertEquals(List.of(false, false, false, true), messages.stream().map(MessageSeen::isSameAsFrame).toList());
            assertEquals(4, proxy.events().events(MessageSeen.class).size(), "one event for each message, nothing for the close");

            // The server never answers the close; the session ends when the client leaves.
            client.close();
            proxy.awaitNoSessions(WAIT);
            assertRecords(proxy.closeAndReadLog());
        }
    }

    private static void assertRecords(List<Map<String, Object>> log) {
        Map<String, Object> close = log.stream().filter(r -> "close".equals(r.get("type"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) close.get("stats");
        @SuppressWarnings("unchecked")
        Map<String, Object> rtt = (Map<String, Object>) stats.get("ping_rtt_ms");
        assertEquals(1L, rtt.get("count"));
        @SuppressWarnings("unchecked")
        Map<String, Object> c2s = (Map<String, Object>) stats.get("c2s");
        assertEquals(4L, c2s.get("messages"), "two compressed, one binary, one plain");
        assertNull(close.get("close_answer_ms"), "the server never answered the close");
        assertEquals(3, log.stream().filter(r -> "message".equals(r.get("type"))).count(), "none for the plain one: its frame says it all");
        Map<String, Object> pong = log.stream().filter(r -> "frame".equals(r.get("type")) && Long.valueOf(10).equals(r.get("opcode")))
                .findFirst().orElseThrow();
        assertTrue(pong.get("rtt_ms") instanceof Double, "the pong's frame record has its round trip: " + pong);
    }

    @Test
    void aMessageThatCannotBeInflatedIsFlaggedAndForwardingGoesOn() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                HttpResponse accept = Handshake.switchingProtocols(ex.request());
                List<Header> headers = new ArrayList<>(accept.headers().list());
                headers.add(new Header("Sec-WebSocket-Extensions", "permessage-deflate"));
                ex.write(new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new dev.wstap.http.Headers(headers)).encode());
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of(new Header("Sec-WebSocket-Extensions", "permessage-deflate"))));
            client.readHead();
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            client.write(frame(true, 4, Opcode.TEXT, garbage), frame(true, 0, Opcode.TEXT, ascii("still here")));
            MessageSeen bad = proxy.events().await(MessageSeen.class, WAIT);
            assertEquals(Violation.Rule.INFLATE_FAILED, bad.violations().get(0).rule());
            assertEquals("still here", proxy.events().await(FrameSeen.class, f -> "still here".equals(f.frame().text()), WAIT).frame().text());
        }
    }

    private static List<Integer> toList(byte[] b) {
        List<Integer> out = new ArrayList<>();
        for (byte x : b) out.add((int) x);
        return out;
    }
}
