package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where a chunked body ends (RFC 9112 §7.1), and the bodies refused because two parsers could find
 * different ends for them: the bytes after a body are the next request.
 */
class ChunkedBodyTrackerTest {
    /** 5\r\nhello\r\n0\r\n\r\n then GET, the start of the next request. */
    private static final String VALID = "35 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a 47 45 54";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** How many bytes belong to the body, fed in one piece; fails unless it ended. */
    private static int bodyLength(String bytesHex) throws HttpException {
        byte[] bytes = hex(bytesHex);
        ChunkedBodyTracker tracker = new ChunkedBodyTracker(400);
        int n = tracker.consume(bytes, 0, bytes.length);
        assertTrue(tracker.isDone(), "the body ended");
        return n;
    }

    private static String refusal(String bytesHex) {
        byte[] bytes = hex(bytesHex);
        return assertThrows(HttpException.class, () -> new ChunkedBodyTracker(400).consume(bytes, 0, bytes.length)).getMessage();
    }

    @Test
    void aBodyEndsAfterTheLastChunkAndItsEmptyTrailer() throws HttpException {
        assertEquals(15, bodyLength(VALID), "GET is the next request's");
    }

    @Test
    void chunkExtensionsAndTrailersAreAllowed() throws HttpException {
        assertEquals(24, bodyLength("35 3b 6e 61 6d 65 3d 76 61 6c 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a")); // 5;name=val\r\nhello\r\n0\r\n\r\n
        assertEquals(13, bodyLength("30 0d 0a 58 2d 54 3a 20 31 0d 0a 0d 0a")); // 0\r\nX-T: 1\r\n\r\n
        assertEquals(18, bodyLength("35 20 3b 61 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a")); // 5 ;a\r\n...: BWS before ;
    }

    @Test
    void leadingZerosDoNotCountTowardsTheSizeLimit() throws HttpException {
        // 0000000000000000005\r\nhello\r\n0\r\n\r\n
        assertEquals(33, bodyLength("30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 35 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a"));
    }

    @Test
    void aBareLfIsRefused() {
        // 5\nhello\r\n0\r\n\r\n
        assertEquals("a line in a chunked body ends in a bare LF, not CRLF (RFC 9112 §7.1)",
                refusal("35 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a"));
    }

    @Test
    void aBareCrIsRefused() {
        assertEquals("a CR not followed by LF in a chunked body (RFC 9112 §7.1)", refusal("35 0d 0d 68 65 6c 6c 6f")); // 5\r\rhello
    }

    @Test
    void dataLongerThanItsSizeIsRefused() {
        // 3\r\nhello\r\n...: the old tracker skipped "lo" as the line after the data.
        assertEquals("chunk data runs past the size its line gave: 'lo' before the CRLF",
                refusal("33 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a"));
    }

    @Test
    void aSignedSizeIsRefused() {
        assertEquals("malformed chunk size line '+5' (RFC 9112 §7.1: hex digits, then an optional ;extension)", refusal("2b 35 0d 0a")); // +5\r\n
    }

    @Test
    void aHexPrefixIsRefused() {
        assertEquals("malformed chunk size line '0x5' (RFC 9112 §7.1: hex digits, then an optional ;extension)", refusal("30 78 35 0d 0a")); // 0x5\r\n
    }

    @Test
    void whitespaceBeforeTheSizeIsRefused() {
        assertEquals("malformed chunk size line ' 5' (RFC 9112 §7.1: hex digits, then an optional ;extension)", refusal("20 35 0d 0a")); // " 5\r\n"
    }

    @Test
    void aSizeThatCouldOverflowIsRefused() {
        // 1000000000000000\r\n: 16 hex digits, 2^60
        assertEquals("chunk size 1000000000000000 is too large", refusal("31 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 0d 0a"));
    }

    @Test
    void aControlCharacterInAnExtensionIsRefused() {
        assertEquals("control character 0x00 in a chunked body's chunk line", refusal("35 3b 61 00 0d 0a")); // 5;a\0\r\n
    }

    @Test
    void aResponseBodyIsRefusedWithTheStatusGiven() {
        byte[] bytes = hex("2b 35 0d 0a"); // +5\r\n
        assertEquals(502, assertThrows(HttpException.class, () -> new ChunkedBodyTracker(502).consume(bytes, 0, bytes.length)).status());
    }

    static Stream<String> vectors() {
        return Stream.of(VALID, "35 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a", "33 0d 0a 68 65 6c 6c 6f 0d 0a 30 0d 0a 0d 0a",
                "30 0d 0a 58 2d 54 3a 20 31 0d 0a 0d 0a 47");
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void everySplitGivesTheSameEndOrTheSameRefusal(String vectorHex) {
        byte[] bytes = hex(vectorHex);
        String whole = outcome(bytes, bytes.length);
        for (int split = 1; split < bytes.length; split++) assertEquals(whole, outcome(bytes, split), "split at " + split);
    }

    /** The body's length when it ended, or the refusal, feeding {@code bytes} in pieces of {@code piece} bytes. */
    private static String outcome(byte[] bytes, int piece) {
        ChunkedBodyTracker tracker = new ChunkedBodyTracker(400);
        int consumed = 0;
        try {
            for (int off = 0; off < bytes.length && !tracker.isDone(); off += piece) {
                int n = Math.min(piece, bytes.length - off);
                int mine = tracker.consume(bytes, off, n);
                consumed += mine;
                if (mine < n) assertTrue(tracker.isDone(), "only a finished body leaves bytes");
            }
        } catch (HttpException e) {
            return "refused: " + e.getMessage();
        }
        assertFalse(!tracker.isDone() && consumed != bytes.length);
        return tracker.isDone() ? "ended after " + consumed : "unfinished";
    }
}
