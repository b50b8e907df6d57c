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

    /**
     * {@code 00000000  48 65 6c 6c 6f                                   |Hello|}. As {@code hexdump -C}
     * does, lines of sixteen bytes that repeat the line before them are one {@code *}, and a dump
     * that ends in such a run ends with its length, so that a block of zeros takes two lines.
     */
    static List<AttributedString> lines(byte[] bytes, String indent) {
        List<AttributedString> out = new ArrayList<>();
        boolean isRepeating = false;
        for (int line = 0; line < bytes.length; line += BYTES_PER_LINE) {
            int n = Math.min(BYTES_PER_LINE, bytes.length - line);
            if (n == BYTES_PER_LINE && line > 0 && java.util.Arrays.equals(bytes, line, line + n, bytes, line - n, line)) {
                if (!isRepeating) out.add(new AttributedStringBuilder().append(indent).styled(Palette.DETAIL, "*").toAttributedString());
                isRepeating = true;
                continue;
            }
            isRepeating = false;
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
        if (isRepeating) {
            out.add(new AttributedStringBuilder().append(indent).styled(Palette.DETAIL, String.format("%08x", bytes.length)).toAttributedString());
        }
        return out;
    }
}
