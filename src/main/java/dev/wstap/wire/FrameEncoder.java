package dev.wstap.wire;

/**
 * Builds frames: conforming ones for the echo server and injection, and on request malformed ones
 * (any opcode, RSV bits, a non-minimal or false length) for testing peers.
 *
 * <p>Example: {@code FrameEncoder.frame(true, Opcode.TEXT, null, "Hello".getBytes(UTF_8))} gives
 * {@code 81 05 48 65 6c 6c 6f}.
 */
public final class FrameEncoder {
    private FrameEncoder() {}

    /** A frame with the minimal length form; masked with {@code maskKey} unless it is null. */
    public static byte[] frame(boolean isFinal, int opcode, Integer maskKey, byte[] payload) {
        return frame(isFinal, 0, opcode, maskKey, payload, LengthEncoding.minimalFor(payload.length), payload.length);
    }

    /**
     * A frame exactly as described, however wrong: {@code declaredLength} is written into the
     * header even when it differs from {@code payload.length}, and the payload is masked with
     * {@code maskKey} unless it is null.
     */
    public static byte[] frame(boolean isFinal, int rsv, int opcode, Integer maskKey, byte[] payload,
                               LengthEncoding encoding, long declaredLength) {
        FrameHeader h = new FrameHeader(isFinal, rsv, opcode, maskKey != null, maskKey == null ? 0 : maskKey,
                declaredLength, encoding);
        byte[] out = new byte[h.encodedLength() + payload.length];
        int pos = writeHeader(h, out);
        System.arraycopy(payload, 0, out, pos, payload.length);
        if (maskKey != null) Masking.apply(out, pos, out, pos, payload.length, maskKey, 0);
        return out;
    }

    /** Writes {@code h} at the start of {@code out}; returns the number of bytes written. */
    public static int writeHeader(FrameHeader h, byte[] out) {
        long len = h.payloadLength();
        out[0] = (byte) ((h.isFinal() ? 0x80 : 0) | (h.rsv() << 4) | h.opcode());
        int maskBit = h.isMasked() ? 0x80 : 0;
        int pos;
        switch (h.lengthEncoding()) {
            case BITS_7 -> {
                if (len < 0 || len > FrameHeader.MAX_7BIT_LENGTH) {
                    throw new IllegalArgumentException("length " + Long.toUnsignedString(len) + " does not fit the 7-bit form (0-125)");
                }
                out[1] = (byte) (maskBit | len);
                pos = 2;
            }
            case BITS_16 -> {
                if (len < 0 || len > FrameHeader.MAX_16BIT_LENGTH) {
                    throw new IllegalArgumentException("length " + Long.toUnsignedString(len) + " does not fit the 16-bit form (0-65535)");
                }
                out[1] = (byte) (maskBit | 126);
                out[2] = (byte) (len >>> 8);
                out[3] = (byte) len;
                pos = 4;
            }
            default -> {
                out[1] = (byte) (maskBit | 127);
                for (int i = 0; i < 8; i++) out[2 + i] = (byte) (len >>> (56 - 8 * i));
                pos = 10;
            }
        }
        if (h.isMasked()) {
            int k = h.maskKey();
            out[pos] = (byte) (k >>> 24);
            out[pos + 1] = (byte) (k >>> 16);
            out[pos + 2] = (byte) (k >>> 8);
            out[pos + 3] = (byte) k;
            pos += 4;
        }
        return pos;
    }
}
