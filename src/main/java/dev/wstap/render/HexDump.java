package dev.wstap.render;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/** The classic dump: offset, sixteen bytes in hex, then the same bytes as ASCII. */
final class HexDump {
    private static final int BYTES_PER_LINE = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HexDump() {}

    /** {@code 00000000  48 65 6c 6c 6f                                   |Hello|} */
    static List<AttributedString> lines(byte[] bytes, String indent) {
        List<AttributedString> out = new ArrayList<>((bytes.length + BYTES_PER_LINE - 1) / BYTES_PER_LINE);
        for (int line = 0; line < bytes.length; line += BYTES_PER_LINE) {
            int n = Math.min(BYTES_PER_LINE, bytes.length - line);
            StringBuilder hex = new StringBuilder(BYTES_PER_LINE * 3 + 1);
            StringBuilder ascii = new StringBuilder(BYTES_PER_LINE);
            for (int i = 0; i < BYTES_PER_LINE; i++) {
                if (i == 8) hex.append(' ');
                if (i < n) {
                    int b = bytes[line + i] & 0xFF;
                    hex.append(HEX[b >>> 4]).append(HEX[b & 0xF]).append(' ');
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    hex.append("   ");
                }
            }
            AttributedStringBuilder s = new AttributedStringBuilder();
            s.append(indent).styled(Palette.DETAIL, String.format("%08x", line)).append("  ").append(hex)
                    .styled(Palette.DETAIL, "|").append(ascii).styled(Palette.DETAIL, "|");
            out.add(s.toAttributedString());
        }
        return out;
    }
}
