package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.tap.Closed;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --strict}: wstap acts as a conforming endpoint towards each side (RFC 6455 §7.1.7). */
class StrictModeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x01020304;

    @TempDir
    Path dir;

    private static List<ParsedFrame> frames(byte[] stream, Direction dir) {
        List<ParsedFrame> out = new ArrayList<>();
        new FrameParser(dir, 1000, out::add).feed(stream, 0, stream.length);
        return out;
    }

    @Test
    void aClientBreakingARuleIsClosedWith1002AndTheServerWith1001AndTheFrameGoesNowhere() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                serverGot.complete(ex.readToEnd());
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()).withStrict(true), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/");
            byte[] ok = FrameEncoder.frame(true, Opcode.TEXT, KEY, ascii("ok"));
            byte[] tooLongPing = FrameEncoder.frame(true, Opcode.PING, KEY, new byte[126]); // RFC 6455 §5.5: at most 125
            byte[] after = FrameEncoder.frame(true, Opcode.TEXT, KEY, ascii("after"));
            client.write(ok, tooLongPing, after);

            List<ParsedFrame> toClient = frames(client.readToEnd(), Direction.S2C);
            assertEquals(1, toClient.size());
            assertEquals(new ClosePayload(1002, "control-frame-too-long"), toClient.get(0).closePayload());

            byte[] atServer = serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertArrayEquals(ok, java.util.Arrays.copyOf(atServer, ok.length), "what came before the bad frame went on");
            List<ParsedFrame> toServer = frames(java.util.Arrays.copyOfRange(atServer, ok.length, atServer.length), Direction.C2S);
            assertEquals(1, toServer.size(), "then only a close: nothing of the bad frame, nothing after it");
            assertTrue(toServer.get(0).header().isMasked(), "towards the server, wstap masks as a client must");
            assertEquals(new ClosePayload(1001, "the client broke the protocol"), toServer.get(0).closePayload());

            Closed closed = proxy.events().await(Closed.class, WAIT);
            assertEquals("wstap", closed.closedBy());
            assertEquals(1002, closed.code());
            assertEquals(false, closed.isClean());
            assertEquals("--strict: the client broke the rule control-frame-too-long — ping of 126 bytes exceeds 125 (RFC 6455 §5.5); "
                    + "wstap closed the client with 1002 and the server with 1001", closed.error());
            List<String> injected = proxy.events().events(dev.wstap.tap.FrameSeen.class).stream().filter(dev.wstap.tap.FrameSeen::isInjected)
                    .map(f -> f.dir().label() + " " + f.frame().closePayload().code()).toList();
            assertEquals(List.of("s2c 1002", "c2s 1001"), injected, "wstap's own closes are shown, marked injected");
        }
    }

    @Test
    void aServerSendingInvalidUtf8IsClosedWith1007() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                ex.write(FrameEncoder.frame(true, Opcode.TEXT, null, new byte[] {'a', (byte) 0xc3, 0x28})); // RFC 3629: c3 28 is invalid
                serverGot.complete(ex.readToEnd());
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()).withStrict(true), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/");
            List<ParsedFrame> toClient = frames(client.readToEnd(), Direction.S2C);
            assertEquals(List.of(new ClosePayload(1001, "the server broke the protocol")), toClient.stream().map(ParsedFrame::closePayload).toList());
            List<ParsedFrame> toServer = frames(serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS), Direction.C2S);
            assertEquals(new ClosePayload(1007, "invalid-utf8"), toServer.get(0).closePayload());
        }
    }

    @Test
    void aCompressedMessageThatCannotBeInflatedIsClosedWith1007() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                var accept = Handshake.switchingProtocols(ex.request());
                var headers = new ArrayList<>(accept.headers().list());
                headers.add(new dev.wstap.http.Header("Sec-WebSocket-Extensions", "permessage-deflate"));
                ex.write(new dev.wstap.http.HttpResponse("HTTP/1.1", 101, "Switching Protocols", new dev.wstap.http.Headers(headers)).encode());
                serverGot.complete(ex.readToEnd());
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()).withStrict(true), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(RawClient.upgradeRequest(proxy.port(), "/", List.of(new dev.wstap.http.Header("Sec-WebSocket-Extensions", "permessage-deflate"))));
            client.readHead();
            byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            client.write(FrameEncoder.frame(true, 4, Opcode.TEXT, KEY, garbage, dev.wstap.wire.LengthEncoding.BITS_7, 4));
            List<ParsedFrame> toClient = frames(client.readToEnd(), Direction.S2C);
            assertEquals(new ClosePayload(1007, "inflate-failed"), toClient.get(0).closePayload());
            List<ParsedFrame> toServer = frames(serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS), Direction.C2S);
            assertEquals(List.of(new ClosePayload(1001, "the client broke the protocol")),
                    toServer.stream().map(ParsedFrame::closePayload).toList(), "the undecodable message did not go on");
        }
    }

    @Test
    void withoutStrictTheSameFramesAreForwardedAndFlagged() throws Exception {
        CompletableFuture<byte[]> serverGot = new CompletableFuture<>();
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(Handshake.switchingProtocols(ex.request()).encode());
                serverGot.complete(ex.readToEnd());
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.upgrade("/");
            byte[] tooLongPing = FrameEncoder.frame(true, Opcode.PING, KEY, new byte[126]);
            client.write(tooLongPing);
            client.shutdownOutput();
            assertArrayEquals(tooLongPing, serverGot.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
