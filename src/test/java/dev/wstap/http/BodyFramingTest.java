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
}
