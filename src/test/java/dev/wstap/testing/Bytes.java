package dev.wstap.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Byte helpers for tests that compare streams: concatenation, heads, readable hex in failures. */
public final class Bytes {
    private Bytes() {}

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) length += part.length;
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, pos, part.length);
            pos += part.length;
        }
        return out;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Index just past the first CRLF CRLF, or -1 when the stream has no complete HTTP head. */
    public static int headEnd(byte[] stream) {
        for (int i = 0; i + 3 < stream.length; i++) {
            if (stream[i] == '\r' && stream[i + 1] == '\n' && stream[i + 2] == '\r' && stream[i + 3] == '\n') return i + 4;
        }
        return -1;
    }

    /** The HTTP head at the start of {@code stream}, blank line included, as ISO-8859-1 text. */
    public static String head(byte[] stream) {
        int end = requireHead(stream);
        return new String(stream, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** What follows the HTTP head at the start of {@code stream}: the WebSocket frames. */
    public static byte[] afterHead(byte[] stream) {
        return Arrays.copyOfRange(stream, requireHead(stream), stream.length);
    }

    private static int requireHead(byte[] stream) {
        int end = headEnd(stream);
        if (end < 0) throw new AssertionError("no complete HTTP head in " + stream.length + " bytes: " + preview(stream));
        return end;
    }

    /** At most the first 64 bytes as hex, for failure messages. */
    public static String preview(byte[] bytes) {
        int n = Math.min(64, bytes.length);
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n) + (bytes.length > n ? " …" : "");
    }

    /**
     * A deterministic, non-periodic byte stream (Fibonacci hashing of the position), so that a
     * dropped, duplicated or reordered chunk anywhere in a long payload shows as a mismatch.
     */
    public static byte patternAt(long position) {
        return (byte) ((position * 0x9E3779B97F4A7C15L) >>> 56);
    }

    public static byte[] pattern(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) out[i] = patternAt(i);
        return out;
    }
}
