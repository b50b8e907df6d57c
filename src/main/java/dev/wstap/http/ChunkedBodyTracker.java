package dev.wstap.http;

/**
 * Follows a chunked message body (RFC 9112 §7.1) as its bytes stream past unchanged, to find where
 * it ends: a proxy must forward the chunks as they are, and know where the next message begins.
 *
 * <p>It is strict where two parsers could disagree about where the body ends, since the bytes after
 * it are the next request, and a peer that reads them differently would take them for part of
 * this one (request smuggling): every line ends in CRLF (a bare CR or LF is refused), a chunk size
 * is hex digits alone, the data ends exactly where the size says, and no line holds a control
 * character. Sans-I/O. Not thread safe.
 */
public final class ChunkedBodyTracker {
    private static final int MAX_LINE_BYTES = 8 * 1024;
    /** More hex digits than this (leading zeros aside) could overflow a long. */
    private static final int MAX_SIZE_DIGITS = 15;

    private enum State { SIZE_LINE, DATA, DATA_END_LINE, TRAILER_LINE, DONE }

    private final int status;
    private State state = State.SIZE_LINE;
    private long dataRemaining;
    private boolean isAfterCr;
    private final StringBuilder line = new StringBuilder();

    /** {@code status}: what a malformed body answers, 400 for a request's, 502 for a response's. */
    public ChunkedBodyTracker(int status) {
        this.status = status;
    }

    /**
     * Looks at {@code bytes[off, off+len)}; returns how many of them belong to this body (fewer than
     * {@code len} when it ended inside them).
     *
     * @throws HttpException with the status given, on a malformed chunk size, line ending or line
     */
    public int consume(byte[] bytes, int off, int len) throws HttpException {
        int i = off;
        int end = off + len;
        while (i < end && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(dataRemaining, end - i);
                i += n;
                dataRemaining -= n;
                if (dataRemaining == 0) state = State.DATA_END_LINE;
                continue;
            }
            char c = (char) (bytes[i++] & 0xFF);
            if (isAfterCr) {
                if (c != '\n') throw new HttpException(status, "a CR not followed by LF in a chunked body (RFC 9112 §7.1)");
                isAfterCr = false;
                endLine();
            } else if (c == '\r') {
                isAfterCr = true;
            } else if (c == '\n') {
                throw new HttpException(status, "a line in a chunked body ends in a bare LF, not CRLF (RFC 9112 §7.1)");
            } else if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new HttpException(status, String.format("control character 0x%02X in a chunked body's %s",
                        (int) c, state == State.TRAILER_LINE ? "trailer" : "chunk line"));
            } else if (line.length() >= MAX_LINE_BYTES) {
                throw new HttpException(status, "chunked body line over " + MAX_LINE_BYTES + " bytes");
            } else {
                line.append(c);
            }
        }
        return i - off;
    }

    private void endLine() throws HttpException {
        String text = line.toString();
        line.setLength(0);
        switch (state) {
            case SIZE_LINE -> {
                dataRemaining = chunkSize(text);
                state = dataRemaining == 0 ? State.TRAILER_LINE : State.DATA;
            }
            case DATA_END_LINE -> {
                if (!text.isEmpty()) {
                    throw new HttpException(status, "chunk data runs past the size its line gave: '"
                            + HeadParser.printable(text.length() > 40 ? text.substring(0, 40) + "…" : text) + "' before the CRLF");
                }
                state = State.SIZE_LINE;
            }
            case TRAILER_LINE -> {
                if (text.isEmpty()) state = State.DONE;
            }
            default -> throw new IllegalStateException("line in state " + state);
        }
    }

    /** {@code chunk-size [BWS ";" chunk-ext]}: 1*HEXDIG, nothing before it, only an extension after it. */
    private long chunkSize(String text) throws HttpException {
        int digits = 0;
        while (digits < text.length() && Character.digit(text.charAt(digits), 16) >= 0) digits++;
        int rest = digits;
        while (rest < text.length() && (text.charAt(rest) == ' ' || text.charAt(rest) == '\t')) rest++;
        boolean isRestAnExtension = rest == text.length() ? rest == digits : text.charAt(rest) == ';';
        if (digits == 0 || !isRestAnExtension) {
            throw new HttpException(status, "malformed chunk size line '" + HeadParser.printable(text) + "' (RFC 9112 §7.1: hex digits, then an optional ;extension)");
        }
        String hex = text.substring(0, digits).replaceFirst("^0+(?=.)", "");
        if (hex.length() > MAX_SIZE_DIGITS) throw new HttpException(status, "chunk size " + hex + " is too large");
        return Long.parseLong(hex, 16);
    }

    public boolean isDone() {
        return state == State.DONE;
    }
}
