package dev.wstap.wire;

import java.util.List;

/**
 * RFC 6455 frame parser. Feed it bytes in any chunks; it reports headers and frame ends to a
 * {@link FrameListener}. It never rejects: violations are reported, not thrown. Payload is not
 * buffered beyond a preview of at most {@code maxPreviewBytes} a frame, so a frame of any size
 * passes in constant memory while the caller forwards the raw bytes itself. Not thread safe.
 *
 * <p>Example: {@code new FrameParser(Direction.C2S, 65536, frame -> show(frame)).feed(bytes, 0, n)}.
 */
public final class FrameParser {
    private static final int MAX_HEADER_BYTES = 14;
    /** Unmasking for UTF-8 checks goes in pieces this size: small, since every parser of a text stream keeps one. */
    private static final int SCRATCH_BYTES = 2 * 1024;

    private final FrameListener listener;
    private final FrameValidator validator;
    private final int maxPreviewBytes;

    private final byte[] headerBytes = new byte[MAX_HEADER_BYTES];
    private int headerFill;
    private int headerNeeded = 2;

    private FrameHeader header;
    private boolean isInPayload;
    private boolean isEndless;
    private boolean isFeedingValidator;
    private long payloadRemaining;
    private long payloadPosition;
    private byte[] preview;
    private int previewFill;
    private byte[] scratch;
    private long position;
    private long chunkStart;
    private int chunkOff;
    private long frameStart;

    public FrameParser(Direction direction, int maxPreviewBytes, FrameListener listener) {
        if (maxPreviewBytes < 0) throw new IllegalArgumentException("maxPreviewBytes " + maxPreviewBytes + " is negative");
        this.listener = listener;
        this.validator = new FrameValidator(direction);
        this.maxPreviewBytes = maxPreviewBytes;
    }

    /** The RSV bits a negotiated extension allows on the first frame of a data message (RSV1 = 4). */
    public void allowRsv(int rsvBits) {
        validator.allowRsv(rsvBits);
    }

    /** True when the bytes fed so far end exactly at a frame boundary. */
    public boolean isBetweenFrames() {
        return !isInPayload && headerFill == 0;
    }

    /** True while a fragmented data message has begun and its final frame has not. */
    public boolean isInsideMessage() {
        return validator.isInsideMessage();
    }

    /** Consumes all of {@code bytes[off, off+len)}, reporting every frame that ends within it. */
    public void feed(byte[] bytes, int off, int len) {
        int end = off + len;
        chunkStart = position;
        chunkOff = off;
        position += len;
        while (off < end) {
            off = isInPayload ? readPayload(bytes, off, end) : readHeader(bytes, off, end);
        }
    }

    /** Where the current (or last) frame began: its offset in all the bytes fed so far. */
    public long frameStart() {
        return frameStart;
    }

    /** Bytes fed so far, in all. */
    public long position() {
        return position;
    }

    /**
     * The rules the current frame's header broke, known as soon as the header is complete (from
     * {@link FrameListener#onHeader}); payload and end-of-frame rules come with {@link FrameListener#onFrame}.
     */
    public List<Violation> headerViolations() {
        return validator.foundSoFar();
    }

    private int readHeader(byte[] bytes, int off, int end) {
        while (off < end && headerFill < headerNeeded) {
            headerBytes[headerFill++] = bytes[off++];
            if (headerFill == 2) headerNeeded = headerLength(headerBytes[1]);
        }
        if (headerFill == headerNeeded) {
            frameStart = chunkStart + (off - chunkOff) - headerNeeded;
            startFrame(decodeHeader());
        }
        return off;
    }

    private static int headerLength(byte second) {
        int lengthField = second & 0x7F;
        int extended = lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0;
        return 2 + extended + ((second & 0x80) != 0 ? 4 : 0);
    }

    private FrameHeader decodeHeader() {
        int b0 = headerBytes[0] & 0xFF;
        int b1 = headerBytes[1] & 0xFF;
        int lengthField = b1 & 0x7F;
        int pos = 2;
        long length;
        LengthEncoding encoding;
        if (lengthField == 126) {
            length = ((headerBytes[2] & 0xFF) << 8) | (headerBytes[3] & 0xFF);
            encoding = LengthEncoding.BITS_16;
            pos = 4;
        } else if (lengthField == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) length = (length << 8) | (headerBytes[i] & 0xFF);
            encoding = LengthEncoding.BITS_64;
            pos = 10;
        } else {
            length = lengthField;
            encoding = LengthEncoding.BITS_7;
        }
        boolean masked = (b1 & 0x80) != 0;
        int maskKey = 0;
        if (masked) {
            maskKey = ((headerBytes[pos] & 0xFF) << 24) | ((headerBytes[pos + 1] & 0xFF) << 16)
                    | ((headerBytes[pos + 2] & 0xFF) << 8) | (headerBytes[pos + 3] & 0xFF);
        }
        return new FrameHeader((b0 & 0x80) != 0, (b0 >>> 4) & 0x7, b0 & 0x0F, masked, maskKey, length, encoding);
    }

    private void startFrame(FrameHeader h) {
        header = h;
        headerFill = 0;
        headerNeeded = 2;
        isFeedingValidator = validator.header(h);
        payloadRemaining = h.payloadLength();
        payloadPosition = 0;
        listener.onHeader(h);
        if (payloadRemaining < 0) {
            // RFC 6455 §5.2: a length with its top bit set can never complete. Report the frame at
            // once, with no preview, so its violation is seen; every later byte is its payload.
            preview = new byte[0];
            endFrame();
            isInPayload = true;
            isEndless = true;
            return;
        }
        int limit = h.isControl() ? Math.max(maxPreviewBytes, FrameHeader.MAX_CONTROL_PAYLOAD_BYTES) : maxPreviewBytes;
        preview = new byte[(int) Math.min(payloadRemaining, limit)];
        previewFill = 0;
        if (payloadRemaining == 0) {
            endFrame();
        } else {
            isInPayload = true;
        }
    }

    private int readPayload(byte[] bytes, int off, int end) {
        if (isEndless) {
            listener.onPayload(bytes, off, end - off, payloadPosition);
            payloadPosition += end - off;
            return end;
        }
        int n = (int) Math.min(payloadRemaining, end - off);
        listener.onPayload(bytes, off, n, payloadPosition);
        if (isFeedingValidator) {
            validateAndPreview(bytes, off, n);
        } else if (previewFill < preview.length) {
            int take = Math.min(n, preview.length - previewFill);
            copyUnmasked(bytes, off, preview, previewFill, take, payloadPosition);
            previewFill += take;
        }
        payloadPosition += n;
        payloadRemaining -= n;
        if (payloadRemaining == 0) endFrame();
        return off + n;
    }

    /** Text payload: every byte is unmasked and validated, in scratch-sized pieces; the first ones kept. */
    private void validateAndPreview(byte[] bytes, int off, int n) {
        if (scratch == null) scratch = new byte[SCRATCH_BYTES];
        Masking.unmasked(bytes, off, n, header.isMasked(), header.maskKey(), payloadPosition, scratch, this::validateAndKeep);
    }

    private void validateAndKeep(byte[] unmasked, int off, int len) {
        validator.payload(unmasked, off, len);
        int take = Math.min(len, preview.length - previewFill);
        System.arraycopy(unmasked, off, preview, previewFill, take);
        previewFill += take;
    }

    private void copyUnmasked(byte[] src, int srcOff, byte[] dst, int dstOff, int len, long position) {
        if (header.isMasked()) {
            Masking.apply(src, srcOff, dst, dstOff, len, header.maskKey(), position);
        } else {
            System.arraycopy(src, srcOff, dst, dstOff, len);
        }
    }

    private void endFrame() {
        isInPayload = false;
        FrameHeader h = header;
        byte[] p = preview;
        List<Violation> violations = validator.end(h, p);
        header = null;
        preview = null;
        listener.onFrame(new ParsedFrame(h, p, validator.frameMessageOpcode(), validator.isFrameCompressed(), violations));
    }
}
