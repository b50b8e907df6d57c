package dev.wstap.http;

import java.util.Arrays;

/**
 * Collects the bytes of one HTTP/1.1 head as they arrive, up to a limit, and keeps whatever came
 * after it in the same reads (a body, or WebSocket frames from a peer that talks first), so that
 * nothing is lost. Sans-I/O: the caller reads the socket. Not thread safe.
 */
public final class HeadBuffer {
    /** Heads over this many bytes are refused with 431 (RFC 6585 §5). */
    public static final int DEFAULT_MAX_HEAD_BYTES = 64 * 1024;

    private final int maxHeadBytes;
    private byte[] bytes = new byte[1024];
    private int fill;
    private int headEnd = -1;
    private boolean isStartLineChecked;

    public HeadBuffer(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    public HeadBuffer() {
        this(DEFAULT_MAX_HEAD_BYTES);
    }

    /**
     * Reads {@code in} until the head is complete: true then (what was read past it is
     * {@link #leftover}); false when the stream ended first. The one loop every end that reads a
     * head from a plain stream uses.
     *
     * @throws HttpException as {@link #add} does
     */
    public boolean readFrom(java.io.InputStream in) throws java.io.IOException, HttpException {
        byte[] buf = new byte[8192];
        while (!isComplete()) {
            int n = in.read(buf);
            if (n < 0) return false;
            add(buf, 0, n);
        }
        return true;
    }

    /**
     * Adds bytes; returns true once the head is complete (a blank line was seen).
     *
     * @throws HttpException 431 when the head grows past the limit without ending; 400 as soon as
     *                       the first line holds a byte that no HTTP start line can (TLS, binary)
     */
    public boolean add(byte[] chunk, int off, int len) throws HttpException {
        if (len > bytes.length - fill) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, fill + len));
        System.arraycopy(chunk, off, bytes, fill, len);
        int searchFrom = Math.max(0, fill - 3);
        int checkFrom = fill;
        fill += len;
        if (!isStartLineChecked) checkStartLine(checkFrom);
        if (headEnd < 0) headEnd = findHeadEnd(bytes, searchFrom, fill);
        if (headEnd < 0 && fill > maxHeadBytes) {
            throw new HttpException(431, "headers exceed " + maxHeadBytes + " bytes");
        }
        if (headEnd > maxHeadBytes) {
            throw new HttpException(431, "headers exceed " + maxHeadBytes + " bytes");
        }
        return headEnd >= 0;
    }

    /**
     * RFC 9112 §3 and §4: a start line is printable ASCII. Rejecting anything else at once spares a
     * client that speaks another protocol (TLS most often) a wait for the handshake timeout.
     */
    private void checkStartLine(int from) throws HttpException {
        for (int i = from; i < fill; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\n') {
                isStartLineChecked = true;
                return;
            }
            if ((b < 0x20 && b != '\r' && b != '\t') || b >= 0x7F) {
                if (i == 0 && b == 0x16) {
                    throw new HttpException(400, "a TLS handshake arrived instead of HTTP (a wss:// or https:// client on a plain ws:// listener?)");
                }
                throw new HttpException(400, String.format("not HTTP: byte 0x%02x at offset %d of the first line", b, i));
            }
        }
    }

    public boolean isComplete() {
        return headEnd >= 0;
    }

    /** Bytes received so far, for a caller that gives up and wants to know whether any came. */
    public int size() {
        return fill;
    }

    /** The first bytes received, as printable text for a message: {@code 'SSH-2.0-OpenSSH_9.2\r\n'}. */
    public String receivedText() {
        return HeadParser.printable(new String(bytes, 0, Math.min(fill, 80), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The head, blank line included. */
    public byte[] head() {
        return Arrays.copyOf(bytes, headEnd);
    }

    /** What arrived after the head in the same reads. */
    public byte[] leftover() {
        return Arrays.copyOfRange(bytes, headEnd, fill);
    }

    /** Index just past the first CRLF CRLF (or bare LF LF, which RFC 9112 §2.2 lets a recipient accept), or -1. */
    static int findHeadEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != '\n') continue;
            if (i + 1 < to && b[i + 1] == '\n') return i + 2;
            if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
        }
        return -1;
    }
}
