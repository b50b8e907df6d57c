package dev.wstap.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RFC 6455 §5.3 masking: byte i of the payload is XORed with byte (i mod 4) of the key. Works a
 * long (eight bytes) at a time; the same operation masks and unmasks.
 */
public final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {}

    /**
     * XORs {@code len} bytes of {@code src} into {@code dst} with {@code maskKey}, where the first
     * byte is at {@code payloadPosition} within its frame's payload. {@code src} and {@code dst}
     * may be the same array.
     */
    public static void apply(byte[] src, int srcOff, byte[] dst, int dstOff, int len, int maskKey, long payloadPosition) {
        // Rotate the key so that its first byte lines up with payloadPosition.
        int shift = (int) (payloadPosition & 3) * 8;
        int key = shift == 0 ? maskKey : Integer.rotateLeft(maskKey, shift);
        long key8 = ((key & 0xFFFFFFFFL) << 32) | (key & 0xFFFFFFFFL);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long v = (long) LONGS.get(src, srcOff + i);
            LONGS.set(dst, dstOff + i, v ^ key8);
        }
        for (; i < len; i++) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ (key >>> (24 - 8 * (i & 3))));
        }
    }

    /** Takes payload bytes, unmasked, a piece at a time. */
    @FunctionalInterface
    public interface Pieces {
        void accept(byte[] bytes, int off, int len);
    }

    /**
     * Hands {@code src[off, off+len)} to {@code sink} unmasked: in pieces of at most
     * {@code scratch.length} bytes unmasked into {@code scratch} when the frame is masked, or as
     * they are when it is not. {@code position} is where the first byte stands in the payload.
     */
    public static void unmasked(byte[] src, int off, int len, boolean isMasked, int maskKey, long position, byte[] scratch,
                                Pieces sink) {
        if (!isMasked) {
            sink.accept(src, off, len);
            return;
        }
        for (int done = 0; done < len; ) {
            int piece = Math.min(scratch.length, len - done);
            apply(src, off + done, scratch, 0, piece, maskKey, position + done);
            sink.accept(scratch, 0, piece);
            done += piece;
        }
    }

    /** Masks or unmasks a whole payload that starts at position 0, in place. */
    public static void apply(byte[] payload, int maskKey) {
        apply(payload, 0, payload, 0, payload.length, maskKey, 0);
    }
}
