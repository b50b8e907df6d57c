package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** How long a body is (RFC 9112 §6.3), from a head's Transfer-Encoding and Content-Length. */
class BodyFramingTest {
    private static HttpRequest request(String headHex) throws HttpException {
        return HeadParser.parseRequest(HexFormat.of().parseHex(headHex.replace(" ", "")));
    }

    private static final String POST_11 = "50 4f 53 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a"; // POST / HTTP/1.1 CRLF
    private static final String POST_10 = "50 4f 53 54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a"; // POST / HTTP/1.0 CRLF
    private static final String CL_5 = " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 35 0d 0a"; // Content-Length: 5 CRLF
    private static final String CL_6 = " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 36 0d 0a"; // Content-Length: 6 CRLF
    private static final String TE_CHUNKED = " 54 72 61 6e 73 66 65 72 2d 45 6e 63 6f 64 69 6e 67 3a 20 63 68 75 6e 6b 65 64 0d 0a"; // Transfer-Encoding: chunked CRLF
    private static final String END = " 0d 0a"; // CRLF: the end of the head

    private static int refusal(String headHex) throws HttpException {
        HttpRequest r = request(headHex);
        return assertThrows(HttpException.class, () -> BodyFraming.ofRequest(r)).status();
    }

    @Test
    void chunkedLastIsChunked() throws HttpException {
        HttpRequest r = request("50 4f 53 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a" // POST / HTTP/1.1 CRLF
                + " 54 72 61 6e 73 66 65 72 2d 45 6e 63 6f 64 69 6e 67 3a 20 67 7a 69 70 2c 20 63 68 75 6e 6b 65 64 0d 0a 0d 0a"); // Transfer-Encoding: gzip, chunked
        assertEquals(BodyFraming.Kind.CHUNKED, BodyFraming.ofRequest(r).kind());
    }

    @Test
    void aTransferEncodingOfCommasAloneIs400() throws HttpException {
        // A value of commas alone split into no codings at all, and reading the last one threw: the
        // client got "500 wstap failed on this connection" instead of a 400 that says why.
        HttpRequest r = request("50 4f 53 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a" // POST / HTTP/1.1 CRLF
                + " 54 72 61 6e 73 66 65 72 2d 45 6e 63 6f 64 69 6e 67 3a 20 2c 0d 0a 0d 0a"); // Transfer-Encoding: ,
        HttpException e = assertThrows(HttpException.class, () -> BodyFraming.ofRequest(r));
        assertEquals(400, e.status());
        assertEquals("Transfer-Encoding ',' does not end in chunked (RFC 9112 §6.3)", e.getMessage());
    }

    @Test
    void transferEncodingWithContentLengthIsRefused() throws HttpException {
        // The classic smuggling pair: one peer reads 5 bytes, another reads chunks.
        HttpRequest r = request(POST_11 + TE_CHUNKED + CL_5 + END);
        HttpException e = assertThrows(HttpException.class, () -> BodyFraming.ofRequest(r));
        assertEquals(400, e.status());
        assertEquals("both Transfer-Encoding and Content-Length: peers could disagree on where the body ends (RFC 9112 §6.3)", e.getMessage());
    }

    @Test
    void aResponseWithTransferEncodingAndContentLengthIs502() throws HttpException {
        HttpRequest get = request("47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a 0d 0a"); // GET / HTTP/1.1 CRLF CRLF
        HttpResponse r = HeadParser.parseResponse(HexFormat.of().parseHex(("48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d 0a" // HTTP/1.1 200 OK CRLF
                + TE_CHUNKED + CL_5 + END).replace(" ", "")));
        assertEquals(502, assertThrows(HttpException.class, () -> BodyFraming.ofResponse(get, r)).status());
    }

    @Test
    void transferEncodingInHttp10IsRefused() throws HttpException {
        assertEquals(400, refusal(POST_10 + TE_CHUNKED + END));
    }

    @Test
    void contentLengthWithASignIsRefused() throws HttpException {
        // Content-Length: +5 — Long.parseLong took it for 5.
        assertEquals(400, refusal(POST_11 + " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 2b 35 0d 0a" + END));
    }

    @Test
    void contentLengthInHexIsRefused() throws HttpException {
        // Content-Length: 0x5
        assertEquals(400, refusal(POST_11 + " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 30 78 35 0d 0a" + END));
    }

    @Test
    void twoDifferentContentLengthsAreRefused() throws HttpException {
        // Only the first was read: a peer reading the second would find a different next request.
        HttpRequest r = request(POST_11 + CL_5 + CL_6 + END);
        HttpException e = assertThrows(HttpException.class, () -> BodyFraming.ofRequest(r));
        assertEquals("Content-Length values differ: '5, 6' (RFC 9110 §8.6)", e.getMessage());
    }

    @Test
    void repeatedEqualContentLengthsAreOne() throws HttpException {
        // Content-Length: 5, twice; and Content-Length: 5, 5 — RFC 9110 §8.6 lets a recipient take them as one.
        assertEquals(new BodyFraming(BodyFraming.Kind.LENGTH, 5), BodyFraming.ofRequest(request(POST_11 + CL_5 + CL_5 + END)));
        assertEquals(new BodyFraming(BodyFraming.Kind.LENGTH, 5), BodyFraming.ofRequest(request(POST_11
                + " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 35 2c 20 35 0d 0a" + END)));
    }

    @Test
    void chunkedBeforeTheLastCodingIsRefused() throws HttpException {
        // Transfer-Encoding: chunked, chunked — chunked applied twice (RFC 9112 §6.1).
        assertEquals(400, refusal(POST_11 + " 54 72 61 6e 73 66 65 72 2d 45 6e 63 6f 64 69 6e 67 3a 20 63 68 75 6e 6b 65 64 2c 20 63 68 75 6e 6b 65 64 0d 0a" + END));
    }

    @Test
    void leadingZerosInContentLengthMeanNothing() throws HttpException {
        // Content-Length: 00000000000000000005 — 20 digits, the value 5; a length check before the zeros refused it.
        assertEquals(new BodyFraming(BodyFraming.Kind.LENGTH, 5), BodyFraming.ofRequest(request(POST_11
                + " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 35 0d 0a" + END)));
    }

    @Test
    void aContentLengthThatCouldOverflowIsRefused() throws HttpException {
        // Content-Length: 9999999999999999999 — 19 significant digits, past what a long holds
        HttpRequest r = request(POST_11 + " 43 6f 6e 74 65 6e 74 2d 4c 65 6e 67 74 68 3a 20 39 39 39 39 39 39 39 39 39 39 39 39 39 39 39 39 39 39 39 0d 0a" + END);
        assertEquals("Content-Length 9999999999999999999 is too large",
                assertThrows(HttpException.class, () -> BodyFraming.ofRequest(r)).getMessage());
    }

}
