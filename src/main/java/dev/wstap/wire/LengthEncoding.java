package dev.wstap.wire;

/** Which of the three payload length forms a frame header uses (RFC 6455 §5.2). */
public enum LengthEncoding {
    /** The length in the 7-bit field itself: 0-125. */
    BITS_7,
    /** Marker 126, then a 16-bit length. */
    BITS_16,
    /** Marker 127, then a 64-bit length. */
    BITS_64;

    /** The form a conforming sender uses for {@code length}: the shortest that holds it. */
    public static LengthEncoding minimalFor(long length) {
        if (length >= 0 && length <= FrameHeader.MAX_7BIT_LENGTH) return BITS_7;
        return length >= 0 && length <= FrameHeader.MAX_16BIT_LENGTH ? BITS_16 : BITS_64;
    }
}
