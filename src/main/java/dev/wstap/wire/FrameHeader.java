package dev.wstap.wire;

/**
 * One frame header as it crossed the wire (RFC 6455 §5.2).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               | Masking-key, if MASK set to 1 |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * @param isFinal        the FIN bit
 * @param rsv            RSV1-3 as a number 0-7, RSV1 = 4 (as the log writes it)
 * @param opcode         0-15, reserved ones included
 * @param isMasked       the MASK bit
 * @param maskKey        the four key bytes, big-endian; 0 when not masked
 * @param payloadLength  the length as written, read as unsigned: negative only when the 64-bit
 *                       form had its top bit set (a violation)
 * @param lengthEncoding which of the three length forms the sender used
 */
public record FrameHeader(boolean isFinal, int rsv, int opcode, boolean isMasked, int maskKey,
                          long payloadLength, LengthEncoding lengthEncoding) {

    public static final int MAX_7BIT_LENGTH = 125;
    public static final int MAX_16BIT_LENGTH = 0xFFFF;
    /** RFC 6455 §5.5: all control frames MUST have a payload length of 125 bytes or less. */
    public static final int MAX_CONTROL_PAYLOAD_BYTES = 125;
    public static final int RSV1 = 4;
    public static final int RSV2 = 2;

    public FrameHeader {
        if (rsv < 0 || rsv > 7) throw new IllegalArgumentException("rsv " + rsv + " is outside 0-7");
        if (opcode < 0 || opcode > 15) throw new IllegalArgumentException("opcode " + opcode + " is outside 0-15");
    }

    /** Bytes this header takes on the wire: 2, plus 2 or 8 for the extended length, plus 4 for a mask key. */
    public int encodedLength() {
        int extended = switch (lengthEncoding) {
            case BITS_7 -> 0;
            case BITS_16 -> 2;
            case BITS_64 -> 8;
        };
        return 2 + extended + (isMasked ? 4 : 0);
    }

    /** The mask key as 8 lower-case hex digits, or null when the frame is not masked. */
    public String maskHex() {
        return isMasked ? String.format("%08x", maskKey) : null;
    }

    public boolean isControl() {
        return Opcode.isControl(opcode);
    }

    /** The length as an unsigned decimal string, right even when the top bit was set. */
    public String lengthText() {
        return Long.toUnsignedString(payloadLength);
    }
}
