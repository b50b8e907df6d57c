package dev.wstap.echo;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.HostPort;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo server as a raw client sees it, byte for byte. */
class EchoServerTest {
    private static final int KEY = 0x37fa213d;
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start();
    }

    @AfterEach
    void stop() {
        echo.close();
    }

    private RawClient connected() throws Exception {
        RawClient c = RawClient.connect(echo.port());
        String head = new String(c.upgrade("/echo"), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        return c;
    }

    @Test
    void fragmentsComeBackFrameByFrameUnmasked() throws Exception {
        try (RawClient c = connected()) {
            c.write(FrameEncoder.frame(false, Opcode.TEXT, KEY, ascii("Hel")), FrameEncoder.frame(true, Opcode.CONTINUATION, KEY, ascii("lo")));
            // RFC 6455 §5.7: the unmasked fragmented "Hello".
            assertArrayEquals(new byte[] {0x01, 0x03, 'H', 'e', 'l', (byte) 0x80, 0x02, 'l', 'o'}, c.readExactly(9));
        }
    }

    @Test
    void aPingOfAnySizeGetsAPongWithTheWholePayload() throws Exception {
        byte[] payload = new byte[126];
        java.util.Arrays.fill(payload, (byte) 'x');
        try (RawClient c = connected()) {
            c.write(FrameEncoder.frame(true, Opcode.PING, KEY, payload));
            byte[] pong = c.readExactly(4 + 126);
            assertArrayEquals(new byte[] {(byte) 0x8a, 126, 0, 126}, java.util.Arrays.copyOf(pong, 4));
            assertArrayEquals(payload, java.util.Arrays.copyOfRange(pong, 4, pong.length));
        }
    }

    @Test
    void aCloseIsAnsweredWithItsCodeAndTheServerClosesItsSide() throws Exception {
        try (RawClient c = connected()) {
            c.write(FrameEncoder.frame(true, Opcode.CLOSE, KEY, new ClosePayload(4001, "bye").encode()));
            assertArrayEquals(new byte[] {(byte) 0x88, 5, 0x0f, (byte) 0xa1, 'b', 'y', 'e'}, c.readToEnd());
        }
    }

    @Test
    void anInvalidCloseCodeIsAnsweredWith1002() throws Exception {
        try (RawClient c = connected()) {
            c.write(FrameEncoder.frame(true, Opcode.CLOSE, KEY, new ClosePayload(1005, "").encode()));
            byte[] answer = c.readToEnd();
            assertEquals(new ClosePayload(1002, "invalid close code"), ClosePayload.parse(java.util.Arrays.copyOfRange(answer, 2, answer.length)));
        }
    }

    @Test
    void aPlainGetGets426() throws Exception {
        try (RawClient c = RawClient.connect(echo.port())) {
            c.write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertTrue(new String(c.readToEnd(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 426 Upgrade Required\r\n"));
        }
    }

    @Test
    void theFirstOfferedSubprotocolIsAccepted() throws Exception {
        try (RawClient c = RawClient.connect(echo.port())) {
            c.write(RawClient.upgradeRequest(echo.port(), "/", java.util.List.of(new dev.wstap.http.Header("Sec-WebSocket-Protocol", "b, a"))));
            String head = new String(c.readHead(), StandardCharsets.ISO_8859_1);
            assertTrue(head.contains("\r\nSec-WebSocket-Protocol: b\r\n"), head);
        }
    }

    @Test
    void anOfferOfCommasAloneChoosesNoSubprotocol() {
        // Sec-WebSocket-Protocol: , — splitting it left no token, and taking the first threw.
        assertEquals(null, EchoServer.firstSubprotocol(","));
        assertEquals(null, EchoServer.firstSubprotocol(null));
        assertEquals("chat", EchoServer.firstSubprotocol(" , chat, superchat"));
    }

}
