package dev.wstap.wire;

import java.util.HexFormat;

/** Hex literals for test vectors: {@code hex("81 05 48 65 6c 6c 6f") // FIN text "Hello"}. */
final class Hex {
    private Hex() {}

    /** The bytes spelled by {@code text}; whitespace is ignored, anything else must be hex digit pairs. */
    static byte[] hex(String text) {
        String digits = text.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits in '" + text + "'");
        }
        return HexFormat.of().parseHex(digits);
    }

    /** Lower-case hex with a space between bytes, the way the vectors are written. */
    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** The concatenation of {@code parts}, for streams of several frames. */
    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) length += part.length;
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, pos, part.length);
            pos += part.length;
        }
        return out;
    }

    /** {@code count} bytes counting up from 0 and wrapping at 256: 00 01 02 ... ff 00 01 ... */
    static byte[] counting(int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) out[i] = (byte) i;
        return out;
    }
}
