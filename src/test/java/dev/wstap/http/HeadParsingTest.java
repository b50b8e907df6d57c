package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadParsingTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bytesAfterTheHeadAreKept() throws HttpException {
        HeadBuffer b = new HeadBuffer();
        byte[] chunk = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi");
        assertTrue(b.add(chunk, 0, chunk.length));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", new String(b.head(), StandardCharsets.ISO_8859_1));
        assertArrayEquals(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}, b.leftover(), "a frame that came with the 101");
    }

    @Test
    void theEndIsFoundWhenSplitAtEveryByte() throws HttpException {
        byte[] all = bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nREST");
        for (int split = 1; split < all.length; split++) {
            HeadBuffer b = new HeadBuffer();
            boolean done = b.add(all, 0, split);
            String unread = "";
            if (done) {
                unread = new String(all, split, all.length - split, StandardCharsets.ISO_8859_1); // the caller reads it next
            } else {
                done = b.add(all, split, all.length - split);
            }
            assertTrue(done, "split at " + split);
            assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", new String(b.head(), StandardCharsets.ISO_8859_1), "split at " + split);
            assertEquals("REST", new String(b.leftover(), StandardCharsets.ISO_8859_1) + unread, "split at " + split);
        }
    }

    @Test
    void bareLineFeedsEndAHeadToo() throws HttpException {
        HeadBuffer b = new HeadBuffer();
        byte[] all = bytes("GET / HTTP/1.1\nHost: x\n\nX");
        assertTrue(b.add(all, 0, all.length));
        assertEquals("x", HeadParser.parseRequest(b.head()).headers().get("host"));
    }

    @Test
    void aHeadOverTheLimitIs431() {
        HeadBuffer b = new HeadBuffer(1024);
        byte[] line = bytes("X-Filler: " + "a".repeat(100) + "\r\n");
        HttpException e = assertThrows(HttpException.class, () -> {
            b.add(bytes("GET / HTTP/1.1\r\n"), 0, 16);
            for (int i = 0; i < 20; i++) b.add(line, 0, line.length);
        });
        assertEquals(431, e.status());
        assertEquals("headers exceed 1024 bytes", e.getMessage());
    }

    @Test
    void headersKeepTheirOrderSpellingAndDuplicates() throws HttpException {
        HttpRequest r = HeadParser.parseRequest(bytes("GET /a?b HTTP/1.1\r\nhost: x\r\nX-Dup: 1\r\nX-DUP: 2\r\n\r\n"));
        assertEquals("GET", r.method());
        assertEquals("/a?b", r.target());
        assertEquals(List.of(new Header("host", "x"), new Header("X-Dup", "1"), new Header("X-DUP", "2")), r.headers().list());
        assertEquals("1, 2", r.headers().joined("x-dup"));
    }

    @Test
    void garbageIs400WithTheLineQuoted() {
        HttpException e = assertThrows(HttpException.class, () -> HeadParser.parseRequest(bytes("hello\r\n\r\n")));
        assertEquals(400, e.status());
        assertEquals("malformed request line 'hello'", e.getMessage());
    }

    @Test
    void binaryGarbageIsEscapedInTheReason() {
        HttpException e = assertThrows(HttpException.class, () -> HeadParser.parseRequest(bytes("\u0016\u0003\u0001 x y\r\n\r\n")));
        assertEquals("malformed method '\\x16\\x03\\x01'", e.getMessage());
    }

    @Test
    void http2PrefaceIsRefusedByVersion() {
        HttpException e = assertThrows(HttpException.class, () -> HeadParser.parseRequest(bytes("PRI * HTTP/2.0\r\n\r\n")));
        assertEquals("unsupported protocol version 'HTTP/2.0' (wstap speaks HTTP/1.x)", e.getMessage());
    }

    @Test
    void foldedHeadersAreRefused() {
        HttpException e = assertThrows(HttpException.class,
                () -> HeadParser.parseRequest(bytes("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")));
        assertEquals(400, e.status());
    }

    @Test
    void aHeaderWithoutColonIsRefused() {
        HttpException e = assertThrows(HttpException.class,
                () -> HeadParser.parseRequest(bytes("GET / HTTP/1.1\r\nnocolon\r\n\r\n")));
        assertEquals("header line without a name: 'nocolon'", e.getMessage());
    }

    @Test
    void aMalformedStatusLineIs502() {
        HttpException e = assertThrows(HttpException.class, () -> HeadParser.parseResponse(bytes("SSH-2.0-OpenSSH\r\n\r\n")));
        assertEquals(502, e.status());
        assertEquals("upstream sent a malformed status line 'SSH-2.0-OpenSSH'", e.getMessage());
    }

    @Test
    void aResponseWithoutReasonPhraseParses() throws HttpException {
        HttpResponse r = HeadParser.parseResponse(bytes("HTTP/1.1 403\r\n\r\n"));
        assertEquals(403, r.status());
        assertEquals("", r.reason());
        assertFalse(r.headers().hasToken("Upgrade", "websocket"));
    }

    @Test
    void aTlsClientHelloIsRefusedAtItsFirstByte() {
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
        HttpException e = assertThrows(HttpException.class, () -> new HeadBuffer().add(hello, 0, hello.length));
        assertEquals(400, e.status());
        assertEquals("a TLS handshake arrived instead of HTTP (a wss:// or https:// client on a plain ws:// listener?)", e.getMessage());
    }

    @Test
    void binaryInTheFirstLineIsRefusedWithoutWaitingForTheEnd() throws HttpException {
        HeadBuffer b = new HeadBuffer();
        b.add(bytes("GET /"), 0, 5);
        byte[] rest = {'x', 0x00};
        HttpException e = assertThrows(HttpException.class, () -> b.add(rest, 0, rest.length));
        assertEquals("not HTTP: byte 0x00 at offset 6 of the first line", e.getMessage());
    }

    @Test
    void bytesAfterTheFirstLineAreNotJudgedByIt() throws HttpException {
        HeadBuffer b = new HeadBuffer();
        byte[] head = bytes("GET / HTTP/1.1\r\nX-Bin: \u00e9\r\n\r\n\u0081\u0000");
        assertTrue(b.add(head, 0, head.length), "obs-text in a header value and frame bytes after the head are fine");
    }
}
