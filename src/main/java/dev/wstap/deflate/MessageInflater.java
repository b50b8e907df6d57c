package dev.wstap.deflate;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the compressed messages of one direction for display (RFC 7692 §7.2.2), streaming,
 * as the payload passes. Only the first {@code maxPreviewBytes} of each inflated message are kept,
 * and the rest is counted up to {@code maxInflatedBytes}, where inflating stops with an error: so a
 * decompression bomb costs neither memory nor more than a bounded time. With context takeover the
 * inflater keeps its window from message to message, as the sender's compressor does. After an
 * error the context is lost: later messages with context takeover may fail too, and say so. A
 * message with no payload at all is an error of its own that leaves the context as it was.
 * Not thread safe.
 *
 * <p>Example: {@code start(); feed(payload); Inflated m = finish();}
 */
public final class MessageInflater {
    /** RFC 7692 §7.2.2: the tail the sender removed from each message. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
    private static final int CHUNK_BYTES = 16 * 1024;
    /**
     * Inflating a message stops beyond this many bytes. Deflate reaches about 1000:1, so 1 MiB on
     * the wire may inflate to 1 GiB, which takes seconds on the thread that forwards it; 64 MiB
     * takes about a tenth of a second.
     */
    public static final long DEFAULT_MAX_INFLATED_BYTES = 64L << 20;

    /**
     * One inflated message.
     *
     * @param preview the first bytes of the inflated message
     * @param size    its inflated size, counted beyond the preview; when inflating stopped at the
     *                limit, one more than the limit
     * @param error   why inflation failed, or null
     */
    public record Inflated(byte[] preview, long size, String error) {
        public boolean isTruncated() {
            return size > preview.length;
        }
    }

    private final boolean isNoContextTakeover;
    private final int maxPreviewBytes;
    private final long maxInflatedBytes;
    private final Inflater inflater = new Inflater(true);
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private ByteArrayOutputStream kept;
    /** How much of the current message is kept: the preview, or more when asked ({@link #keepUpTo}). */
    private long keepBytes;
    private long size;
    private long fedBytes;
    private String error;
    private boolean isStreamEnded;

    public MessageInflater(boolean isNoContextTakeover, int maxPreviewBytes) {
        this(isNoContextTakeover, maxPreviewBytes, DEFAULT_MAX_INFLATED_BYTES);
    }

    /** As above; a message that inflates to more than {@code maxInflatedBytes} is an error. */
    public MessageInflater(boolean isNoContextTakeover, int maxPreviewBytes, long maxInflatedBytes) {
        if (maxInflatedBytes < 0) throw new IllegalArgumentException("maxInflatedBytes " + maxInflatedBytes + " is negative");
        this.isNoContextTakeover = isNoContextTakeover;
        this.maxPreviewBytes = maxPreviewBytes;
        this.maxInflatedBytes = maxInflatedBytes;
    }

    /** For the direction {@code isClientToServer} of a session with {@code p} agreed. */
    public static MessageInflater of(DeflateParameters p, boolean isClientToServer, int maxPreviewBytes) {
        return new MessageInflater(p.isNoContextTakeover(isClientToServer), maxPreviewBytes);
    }

    /** A compressed message begins. */
    public void start() {
        if (isNoContextTakeover) inflater.reset();
        isStreamEnded = false;
        kept = new ByteArrayOutputStream(Math.min(maxPreviewBytes, 4096));
        keepBytes = maxPreviewBytes;
        size = 0;
        fedBytes = 0;
        error = null;
    }

    /**
     * Keeps up to {@code bytes} of the current message rather than the preview alone, for someone
     * who must see it whole (a held message to be edited, or re-compressed); call it after
     * {@link #start} and before the message's payload is fed.
     */
    public void keepUpTo(long bytes) {
        keepBytes = Math.max(keepBytes, bytes);
    }

    /** Compressed payload bytes of the message, unmasked, in order. */
    public void feed(byte[] bytes, int off, int len) {
        fedBytes += len;
        if (error != null || len == 0) return;
        if (isStreamEnded) return;
        inflater.setInput(bytes, off, len);
        drain();
    }

    /** The message ended (its FIN frame); inflates the tail the sender removed and returns the result. */
    public Inflated finish() {
        boolean isEmpty = fedBytes == 0;
        if (isEmpty) {
            // RFC 7692 §7.2.1: even an empty message compresses to at least one byte (00, an empty
            // stored block without its tail). The tail alone would leave the inflater inside a stored
            // block, and the next message would be the one to fail; the sender's context is untouched.
            error = "the payload is empty, but even an empty message compresses to at least one byte (00)";
        } else if (error == null && !isStreamEnded) {
            inflater.setInput(TAIL);
            drain();
        }
        isStreamEnded = false;
        Inflated result = new Inflated(kept.toByteArray(), size, error);
        if (error != null && !isEmpty) inflater.reset(); // the context is lost; start afresh for what follows
        kept = null;
        return result;
    }

    private void drain() {
        try {
            while (true) {
                // One byte beyond the limit at most: enough to know that the message exceeds it.
                long room = maxInflatedBytes - size;
                int n = inflater.inflate(chunk, 0, room < chunk.length ? (int) room + 1 : chunk.length);
                if (n > 0) {
                    int keep = (int) Math.max(0, Math.min(n, keepBytes - kept.size()));
                    kept.write(chunk, 0, keep);
                    size += n;
                    if (size > maxInflatedBytes) {
                        error = "inflates to more than " + maxInflatedBytes + " bytes; wstap stopped inflating it there";
                        return;
                    }
                } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                    if (inflater.finished()) {
                        // A block with BFINAL ends the stream (RFC 7692 §7.2.3.4): what follows it in
                        // the message (padding) is ignored, and the next message starts a new stream.
                        inflater.reset();
                        isStreamEnded = true;
                    }
                    return;
                }
            }
        } catch (DataFormatException e) {
            error = "cannot inflate: " + e.getMessage();
        }
    }
}
