package dev.wstap.http;

/**
 * Follows a chunked message body (RFC 9112 §7.1) as its bytes stream past unchanged, to find where
 * it ends: a proxy must forward the chunks as they are, and know where the next message begins.
 * Sans-I/O. Not thread safe.
 */
public final class ChunkedBodyTracker {
    private static final int MAX_LINE_BYTES = 8 * 1024;

    private enum State { SIZE_LINE, DATA, DATA_END_LINE, TRAILER_LINE, DONE }

    private State state = State.SIZE_LINE;
    private long dataRemaining;
    private final StringBuilder line = new StringBuilder();

    /**
     * Looks at {@code bytes[off, off+len)}; returns how many of them belong to this body (fewer than
     * {@code len} when it ended inside them).
     *
     * @throws HttpException 400 on a malformed chunk size or an over-long line
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
            if (c == '\n') {
                endLine();
            } else if (c != '\r') {
                if (line.length() >= MAX_LINE_BYTES) throw new HttpException(400, "chunked body line over " + MAX_LINE_BYTES + " bytes");
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
                String hex = text.split(";", 2)[0].trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new HttpException(400, "malformed chunk size '" + HeadParser.printable(text) + "'");
                }
                if (size < 0) throw new HttpException(400, "negative chunk size '" + hex + "'");
                dataRemaining = size;
                state = size == 0 ? State.TRAILER_LINE : State.DATA;
            }
            case DATA_END_LINE -> state = State.SIZE_LINE;
            case TRAILER_LINE -> {
                if (text.isEmpty()) state = State.DONE;
            }
            default -> throw new IllegalStateException("line in state " + state);
        }
    }

    public boolean isDone() {
        return state == State.DONE;
    }
}
