package dev.wstap.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validation (RFC 3629, Unicode table 3-7), so that a text message can be checked
 * as its fragments stream past without keeping it (RFC 6455 §8.1). Feed chunks with {@link #feed};
 * ask {@link #isComplete} at the end of the message to catch a sequence cut short. Not thread safe.
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private int continuationBytesNeeded;
    private int lowerBound = 0x80;
    private int upperBound = 0xBF;
    private boolean isValid = true;
    private long position;
    private long errorPosition = -1;

    /** Starts a new message. */
    public void reset() {
        continuationBytesNeeded = 0;
        lowerBound = 0x80;
        upperBound = 0xBF;
        isValid = true;
        position = 0;
        errorPosition = -1;
    }

    /** Checks the next bytes; returns false once any byte so far was invalid. */
    public boolean feed(byte[] bytes, int off, int len) {
        if (!isValid) return false;
        int end = off + len;
        int i = off;
        while (i < end) {
            if (continuationBytesNeeded == 0) {
                // ASCII fast path, eight bytes at a time.
                while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) i += 8;
                if (i >= end) break;
            }
            int b = bytes[i] & 0xFF;
            if (!accept(b)) {
                isValid = false;
                errorPosition = position + (i - off);
                position += len;
                return false;
            }
            i++;
        }
        position += len;
        return true;
    }

    private boolean accept(int b) {
        if (continuationBytesNeeded > 0) {
            if (b < lowerBound || b > upperBound) return false;
            continuationBytesNeeded--;
            lowerBound = 0x80;
            upperBound = 0xBF;
            return true;
        }
        if (b < 0x80) return true;
        if (b >= 0xC2 && b <= 0xDF) return expect(1, 0x80, 0xBF);
        if (b == 0xE0) return expect(2, 0xA0, 0xBF);           // no overlong 3-byte forms
        if (b == 0xED) return expect(2, 0x80, 0x9F);           // no UTF-16 surrogates
        if (b >= 0xE1 && b <= 0xEF) return expect(2, 0x80, 0xBF);
        if (b == 0xF0) return expect(3, 0x90, 0xBF);           // no overlong 4-byte forms
        if (b >= 0xF1 && b <= 0xF3) return expect(3, 0x80, 0xBF);
        if (b == 0xF4) return expect(3, 0x80, 0x8F);           // nothing above U+10FFFF
        return false;                                           // 80-C1, F5-FF never start a sequence
    }

    private boolean expect(int continuationBytes, int lower, int upper) {
        continuationBytesNeeded = continuationBytes;
        lowerBound = lower;
        upperBound = upper;
        return true;
    }

    /** True when every byte so far was valid. */
    public boolean isValid() {
        return isValid;
    }

    /** True when valid and not in the middle of a multi-byte sequence: a message may end here. */
    public boolean isComplete() {
        return isValid && continuationBytesNeeded == 0;
    }

    /** Offset within the message of the first invalid byte, or -1. */
    public long errorPosition() {
        return errorPosition;
    }

    /**
     * The length of {@code bytes[0, len)} without a multi-byte sequence that was cut off at its end
     * (at most three bytes shorter); where to cut a payload for display without splitting a character.
     */
    public static int withoutCutSequence(byte[] bytes, int len) {
        for (int back = 1; back <= Math.min(3, len); back++) {
            int b = bytes[len - back] & 0xFF;
            if (b < 0x80) return len;                        // ASCII: nothing was cut
            if (b >= 0xC0) {                                 // the lead byte of the last sequence
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return back < needed ? len - back : len;
            }
        }
        return len;
    }

    /** Validates a whole byte range at once. */
    public static boolean isValidUtf8(byte[] bytes, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(bytes, off, len) && v.isComplete();
    }
}
