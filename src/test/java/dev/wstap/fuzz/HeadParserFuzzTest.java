package dev.wstap.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.http.BodyFraming;
import dev.wstap.http.ChunkedBodyTracker;
import dev.wstap.http.Extensions;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HeadRewriter;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the HTTP/1.1 head path a client's or an upstream's bytes take: {@link HeadBuffer}, fed in
 * any pieces, then {@link HeadParser} as a request and as a response, and what wstap does with a
 * parsed head (body framing, upgrade checks, extensions, absolute-form targets, rewriting it for
 * upstream). For
 * every input:
 *
 * <ul>
 *   <li>bad input is refused with {@link HttpException} (400 or 431 for a client's head, 502 for an
 *       upstream's); no other exception escapes;
 *   <li>the pieces do not matter: the same head and the same leftover bytes, or a refusal either way;
 *       a head never exceeds the limit and ends at the first blank line;
 *   <li>what is accepted is safe to relay (RFC 9110 §5.5, RFC 9112 §2.2 and §3): no CR, LF or NUL
 *       in any part, no whitespace or control character in the request line's parts, a three-digit
 *       status code; encoding a parsed head and parsing it again gives the same head;
 *   <li>a head rewritten for upstream (target and Host replaced, proxy headers dropped) parses,
 *       with every other header as it was;
 *   <li>the bytes after a head that says chunked, followed by {@link ChunkedBodyTracker}, end in the
 *       same place or are refused the same way in any pieces.
 * </ul>
 */
class HeadParserFuzzTest {
    /** Head limits to choose from: the default first (a seed's zero byte picks it), then small ones. */
    private static final int[] HEAD_LIMITS = {HeadBuffer.DEFAULT_MAX_HEAD_BYTES, 0, 16, 64, 200};
    private static final Set<String> PROXY_HEADERS = Set.of("proxy-authorization", "proxy-connection");

    /** The names and values wstap reads, so that mutations find them sooner. */
    @DictionaryEntries({"HTTP/1.1", "Host:", "Upgrade: websocket", "Connection: Upgrade", "Transfer-Encoding:",
            "chunked", "Content-Length:", "Sec-WebSocket-Key:", "Sec-WebSocket-Extensions:", "permessage-deflate",
            "server_max_window_bits=", "client_no_context_takeover", "Proxy-Authorization:", "ws://", "CONNECT"})
    @FuzzTest
    void anyHeadInAnyPieces(FuzzedDataProvider data) {
        int maxHeadBytes = HEAD_LIMITS[data.consumeInt(0, HEAD_LIMITS.length - 1)];
        Chunks chunks = Chunks.consume(data);
        byte[] input = data.consumeRemainingAsBytes();

        Buffered whole = Buffered.of(maxHeadBytes, List.of(new Chunks.Chunk(input.clone(), 0, input.length)));
        Buffered pieces = Buffered.of(maxHeadBytes, chunks.cut(input));
        assertEquals(whole.isRefused(), pieces.isRefused(), "refused whole (" + whole.refusal + ") and in pieces ("
                + pieces.refusal + ")");
        if (whole.isRefused()) return;
        assertEquals(whole.head, pieces.head, "the head, fed in pieces");
        assertEquals(whole.rest, pieces.rest, "the bytes after the head, fed in pieces");
        if (whole.head == null) {
            assertTrue(input.length <= maxHeadBytes, "an unfinished head over the limit must be refused");
            return;
        }
        byte[] head = whole.head.getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(head.length <= maxHeadBytes, "a head of " + head.length + " bytes over the limit " + maxHeadBytes);
        assertTrue(whole.head.endsWith("\n\n") || whole.head.endsWith("\n\r\n"), "a head ends with a blank line");
        int firstEnd = Math.min(index(whole.head, "\n\n"), index(whole.head, "\n\r\n"));
        assertEquals(head.length, firstEnd, "a head ends at the first blank line");
        assertEquals(new String(input, StandardCharsets.ISO_8859_1), whole.head + whole.rest, "head and leftover are the input");

        byte[] body = whole.rest.getBytes(StandardCharsets.ISO_8859_1);
        checkRequest(head, body, chunks);
        checkResponse(head, body, chunks);
    }

    /** The outcome of feeding a HeadBuffer as ClientConnection does: until the head is complete. */
    private record Buffered(String head, String rest, HttpException refusal) {
        static Buffered of(int maxHeadBytes, List<Chunks.Chunk> pieces) {
            HeadBuffer buffer = new HeadBuffer(maxHeadBytes);
            ByteArrayOutputStream unread = new ByteArrayOutputStream();
            try {
                for (Chunks.Chunk c : pieces) {
                    if (buffer.isComplete()) {
                        unread.write(c.bytes(), c.off(), c.len()); // the caller reads these next
                    } else {
                        buffer.add(c.bytes(), c.off(), c.len());
                    }
                    c.scribble();
                }
            } catch (HttpException e) {
                assertTrue(e.status() == 400 || e.status() == 431, "a client's head is refused with 400 or 431: " + e.status());
                buffer.receivedText();
                return new Buffered(null, null, e);
            }
            if (!buffer.isComplete()) return new Buffered(null, null, null);
            return new Buffered(latin1(buffer.head()), latin1(buffer.leftover()) + latin1(unread.toByteArray()), null);
        }

        boolean isRefused() {
            return refusal != null;
        }
    }

    private static void checkRequest(byte[] head, byte[] body, Chunks chunks) {
        HttpRequest request;
        try {
            request = HeadParser.parseRequest(head);
        } catch (HttpException e) {
            assertEquals(400, e.status(), "a malformed request is refused with 400: " + e.getMessage());
            return;
        }
        assertRelayable("method", request.method(), true);
        assertRelayable("request target", request.target(), true);
        assertRelayable("version", request.version(), true);
        checkHeaders(request.headers());
        assertEquals(request, parseRequest(request.encode()), "a request encoded and parsed again");

        // What ClientConnection and the routers do with it.
        try {
            if (BodyFraming.ofRequest(request).kind() == BodyFraming.Kind.CHUNKED) checkChunkedBody(body, chunks, 400);
        } catch (HttpException e) {
            assertEquals(400, e.status(), "a request whose body cannot be framed is refused with 400: " + e.getMessage());
        }
        String extensions = request.headers().joined("Sec-WebSocket-Extensions");
        Extensions.names(extensions);
        Extensions.undecodable(extensions);
        if (extensions != null) Extensions.withoutCompression(extensions);
        int rsv = Extensions.rsvBits(extensions);
        assertTrue(rsv >= 0 && rsv <= 7, "RSV bits " + rsv);
        if (Handshake.isUpgrade(request)) {
            try {
                Handshake.checkRequest(request);
            } catch (HttpException e) {
                assertEquals(400, e.status(), e.getMessage());
            }
        }
        if (request.target().contains("://")) {
            try {
                WsUrl url = WsUrl.parse(request.target());
                assertTrue(url.port() >= 1 && url.port() <= 65535, "port of " + url);
                assertFalse(url.host().isEmpty(), "host of " + url);
                url.hostHeader();
                url.targetFor(request.target());
            } catch (IllegalArgumentException e) {
                // The router answers 400 with this message.
            }
        }
        checkRewritten(head, request);
    }

    /** ClientConnection's rewrite for upstream: a new target and Host, the proxy's own headers dropped. */
    private static void checkRewritten(byte[] head, HttpRequest request) {
        byte[] rewritten = HeadRewriter.rewriteRequest(head, "/upstream", "upstream.test:8080", PROXY_HEADERS);
        HttpRequest upstream = parseRequest(rewritten);
        assertEquals(request.method(), upstream.method());
        assertEquals("/upstream", upstream.target());
        assertEquals(request.version(), upstream.version());
        List<Header> hosts = upstream.headers().list().stream().filter(h -> h.is("host")).toList();
        assertEquals(List.of(new Header("Host", "upstream.test:8080")), hosts, "one Host line, wstap's");
        List<Header> kept = request.headers().list().stream()
                .filter(h -> !h.is("host") && !PROXY_HEADERS.contains(h.name().toLowerCase(java.util.Locale.ROOT))).toList();
        assertEquals(kept, upstream.headers().list().stream().filter(h -> !h.is("host")).toList(),
                "every other header is relayed as it came");
    }

    private static void checkResponse(byte[] head, byte[] body, Chunks chunks) {
        HttpResponse response;
        try {
            response = HeadParser.parseResponse(head);
        } catch (HttpException e) {
            assertEquals(502, e.status(), "a malformed upstream answer is a 502: " + e.getMessage());
            return;
        }
        assertRelayable("version", response.version(), true);
        assertRelayable("reason", response.reason(), false);
        assertTrue(response.status() >= 100 && response.status() <= 999, "status " + response.status()
                + " is not three digits (RFC 9110 §15)");
        checkHeaders(response.headers());
        try {
            assertEquals(response, HeadParser.parseResponse(response.encode()), "a response encoded and parsed again");
        } catch (HttpException e) {
            fail("a parsed response, encoded, does not parse again: " + e.getMessage());
        }
        response.statusLine();
        HttpRequest upgrade = Handshake.clientRequest("h", "/", "dGhlIHNhbXBsZSBub25jZQ==", List.of());
        Handshake.checkAccept(upgrade, response);
        try {
            if (BodyFraming.ofResponse(upgrade, response).kind() == BodyFraming.Kind.CHUNKED) checkChunkedBody(body, chunks, 502);
        } catch (HttpException e) {
            assertEquals(502, e.status(), "an answer whose body cannot be framed is a 502: " + e.getMessage());
        }
        DeflateParameters p = DeflateParameters.fromResponse(response.headers().joined("Sec-WebSocket-Extensions"));
        if (p != null) {
            assertTrue(p.windowBits(true) >= 8 && p.windowBits(true) <= 15, "window bits of " + p);
            assertTrue(p.windowBits(false) >= 8 && p.windowBits(false) <= 15, "window bits of " + p);
        }
    }

    private static void checkHeaders(Headers headers) {
        for (Header h : headers.list()) {
            assertRelayable("header name", h.name(), true);
            assertRelayable("value of " + h.name(), h.value(), false);
            assertEquals(h.value().strip(), h.value(), "a header value without surrounding whitespace");
        }
    }

    /**
     * RFC 9110 §5.5 and RFC 9112 §2.2: a recipient must refuse CR, LF and NUL rather than pass them
     * on; the parts of a request line hold no whitespace or control characters (RFC 9112 §3).
     */
    private static void assertRelayable(String what, String s, boolean isToken) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean isBad = c == '\r' || c == '\n' || c == 0 || (isToken && (c <= ' ' || c == 0x7F));
            if (isBad) fail(what + " '" + s + "' holds character 0x" + Integer.toHexString(c) + " at " + i);
        }
    }

    private static HttpRequest parseRequest(byte[] head) {
        try {
            return HeadParser.parseRequest(head);
        } catch (HttpException e) {
            throw new AssertionError("'" + latin1(head) + "' does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes after a head that says chunked, followed as {@code BodyCopier} does: refused only
     * with {@code status}; the same end, or the same refusal, in any pieces; never more bytes taken
     * than given; and a body that ended ends in an empty line.
     */
    private static void checkChunkedBody(byte[] body, Chunks chunks, int status) {
        String whole = chunkedOutcome(List.of(new Chunks.Chunk(body.clone(), 0, body.length)), status);
        assertEquals(whole, chunkedOutcome(chunks.cut(body), status), "a chunked body fed in pieces");
        if (whole.startsWith(ENDED)) {
            int end = Integer.parseInt(whole.substring(ENDED.length()));
            assertTrue(latin1(java.util.Arrays.copyOf(body, end)).endsWith("\r\n\r\n"), "a chunked body ends in an empty line");
        }
    }

    private static final String ENDED = "ended after ";

    private static String chunkedOutcome(List<Chunks.Chunk> pieces, int status) {
        ChunkedBodyTracker tracker = new ChunkedBodyTracker(status);
        int taken = 0;
        try {
            for (Chunks.Chunk c : pieces) {
                if (tracker.isDone()) break;
                int n = tracker.consume(c.bytes(), c.off(), c.len());
                assertTrue(n >= 0 && n <= c.len(), n + " of " + c.len() + " bytes taken");
                assertTrue(n == c.len() || tracker.isDone(), "bytes left over from a body that goes on");
                taken += n;
                c.scribble();
            }
        } catch (HttpException e) {
            assertEquals(status, e.status(), e.getMessage());
            return "refused: " + e.getMessage();
        }
        return tracker.isDone() ? ENDED + taken : "unfinished";
    }

    private static int index(String s, String part) {
        int i = s.indexOf(part);
        return i < 0 ? Integer.MAX_VALUE : i + part.length();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
