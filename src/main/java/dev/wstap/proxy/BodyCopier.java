package dev.wstap.proxy;

import dev.wstap.http.BodyFraming;
import dev.wstap.http.ChunkedBodyTracker;
import dev.wstap.http.HttpException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Copies one HTTP message body byte for byte, reading no further than its end, so the connection can carry the next message. */
final class BodyCopier {
    private static final int BUFFER_BYTES = 16 * 1024;

    private BodyCopier() {}

    /**
     * @param malformedStatus what a malformed chunked body answers: 400 for a request's, 502 for a response's
     * @throws IOException when the connection ends before the body does
     */
    static void copy(Conn from, OutputStream to, BodyFraming framing, int malformedStatus) throws IOException, HttpException {
        byte[] buf = new byte[BUFFER_BYTES];
        switch (framing.kind()) {
            case NONE -> { }
            case LENGTH -> {
                long remaining = framing.length();
                while (remaining > 0) {
                    int n = from.in().read(buf, 0, (int) Math.min(buf.length, remaining));
                    if (n < 0) throw new IOException("connection closed " + remaining + " bytes before the end of the body");
                    to.write(buf, 0, n);
                    remaining -= n;
                }
            }
            case CHUNKED -> {
                ChunkedBodyTracker tracker = new ChunkedBodyTracker(malformedStatus);
                while (!tracker.isDone()) {
                    int n = from.in().read(buf);
                    if (n < 0) throw new IOException("connection closed inside a chunked body");
                    int mine = tracker.consume(buf, 0, n);
                    to.write(buf, 0, mine);
                    if (mine < n) from.unread(Arrays.copyOfRange(buf, mine, n));
                }
            }
            case UNTIL_CLOSE -> from.in().transferTo(to);
        }
        to.flush();
    }
}
