package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeadParsingTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static HttpException refusedRequest(String headHex) {
        return assertThrows(HttpException.class, () -> HeadParser.parseRequest(hex(headHex)));
    }

    private static HttpException refusedResponse(String headHex) {
        return assertThrows(HttpException.class, () -> HeadParser.parseResponse(hex(headHex)));
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

    // --- Found by HeadParserFuzzTest. RFC 9110 §5.5, RFC 9112 §2.2: wstap relays heads byte for
    // byte, and a recipient may take a bare CR for a line end or cut a value at a NUL, so such a
    // head is refused rather than passed on.

    @Test
    void aBareCrInAHeaderValueIsRefused() {
        HttpException e = refusedRequest("47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a" // GET / HTTP/1.1 CRLF
                + " 48 6f 73 74 3a 20 61 0d 62 0d 0a 0d 0a"); // Host: a CR b CRLF CRLF
        assertEquals(400, e.status());
        assertEquals("byte 0x0d at offset 7 of the line 'Host: a\\x0db'", e.getMessage());
    }

    @Test
    void aNulInAHeaderValueIsRefused() {
        HttpException e = refusedRequest("47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a" // GET / HTTP/1.1 CRLF
                + " 55 70 67 72 61 64 65 3a 20 77 65 62 00 73 6f 63 6b 65 74 0d 0a 0d 0a"); // Upgrade: web NUL socket CRLF CRLF
        assertEquals("byte 0x00 at offset 12 of the line 'Upgrade: web\\x00socket'", e.getMessage());
    }

    @Test
    void aBareCrInTheRequestTargetIsRefused() {
        HttpException e = refusedRequest("47 45 54 20 2f 61 0d 62 20 48 54 54 50 2f 31 2e 31 0d 0a 0d 0a"); // GET /a CR b HTTP/1.1 CRLF CRLF
        assertEquals("byte 0x0d at offset 6 of the line 'GET /a\\x0db HTTP/1.1'", e.getMessage());
    }

    @Test
    void aBareCrAfterTheVersionIsRefused() {
        HttpException e = refusedRequest("43 4f 4e 4e 45 43 54 20 68 3a 34 34 33 20 48 54 54 50 2f 31 2e 31" // CONNECT h:443 HTTP/1.1
                + " 0d 55 70 0a 0a"); // CR Up LF LF
        assertEquals("byte 0x0d at offset 22 of the line 'CONNECT h:443 HTTP/1.1\\x0dUp'", e.getMessage());
    }

    @Test
    void aTabInsideTheRequestLineIsRefused() {
        // RFC 9112 §3: an upstream may split the request line at the tab, and read another target.
        HttpException e = refusedRequest("47 45 54 20 2f 61 09 62 20 48 54 54 50 2f 31 2e 31 0d 0a 0d 0a"); // GET /a TAB b HTTP/1.1 CRLF CRLF
        assertEquals("malformed request line 'GET /a\\x09b HTTP/1.1'", e.getMessage());
        e = refusedRequest("47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 09 0d 0a 0d 0a"); // GET / HTTP/1.1 TAB CRLF CRLF
        assertEquals("malformed request line 'GET / HTTP/1.1\\x09'", e.getMessage());
    }

    @Test
    void aBareCrInTheReasonPhraseIs502() {
        HttpException e = refusedResponse("48 54 54 50 2f 31 2e 31 20 31 30 31 20 53 77 69 74 63 68 69 6e 67" // HTTP/1.1 101 Switching
                + " 0d 58 3a 20 79 0d 0a 0d 0a"); // CR X: y CRLF CRLF
        assertEquals(502, e.status());
        assertEquals("upstream sent a malformed head: byte 0x0d at offset 22 of the line 'HTTP/1.1 101 Switching\\x0dX: y'",
                e.getMessage());
    }

    @Test
    void aTabAfterTheResponseVersionIs502() {
        HttpException e = refusedResponse("48 54 54 50 2f 31 2e 31 09 20 31 30 31 20 58 0d 0a 0d 0a"); // HTTP/1.1 TAB 101 X CRLF CRLF
        assertEquals(502, e.status());
        assertEquals("upstream sent a malformed status line 'HTTP/1.1\\x09 101 X'", e.getMessage());
    }

    @Test
    void aResponseWithAnEmptyFirstLineIs502() {
        // It was refused with 400, as if the client had sent it.
        HttpException e = refusedResponse("0d 0a 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d 0a 0d 0a"); // CRLF HTTP/1.1 200 OK CRLF CRLF
        assertEquals(502, e.status());
        assertEquals("upstream sent a malformed head: empty first line", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'044', 48 54 54 50 2f 31 2e 31 20 30 34 34 20 58 0d 0a 0d 0a", // HTTP/1.1 044 X: Integer.parseInt gave 44
            "'+99', 48 54 54 50 2f 31 2e 31 20 2b 39 39 20 58 0d 0a 0d 0a", // HTTP/1.1 +99 X: and 99
            "'-01', 48 54 54 50 2f 31 2e 31 20 2d 30 31 20 58 0d 0a 0d 0a", // HTTP/1.1 -01 X: and -1
    })
    void aStatusCodeThatIsNotThreeDigitsFrom100Is502(String code, String headHex) {
        HttpException e = refusedResponse(headHex);
        assertEquals(502, e.status());
        assertEquals("upstream sent a malformed status code '" + code + "'", e.getMessage());
    }
}
