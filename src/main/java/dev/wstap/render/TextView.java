package dev.wstap.render;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Text for the terminal: line breaks start new indented lines; every other control character is
 * escaped visibly ({@code \t}, {@code \r}, {@code \x1b}, {@code \u202e}) so that a payload can never
 * move the cursor, change colours, reorder what is shown (bidi overrides) or hide part of itself
 * (zero-width characters).
 */
final class TextView {
    private TextView() {}

    static List<AttributedString> lines(String text, String indent) {
        List<AttributedString> out = new ArrayList<>();
        AttributedStringBuilder line = new AttributedStringBuilder().append(indent);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.add(line.toAttributedString());
                line = new AttributedStringBuilder().append(indent);
            } else if (c == '\t') {
                line.styled(Palette.ESCAPE, "\\t");
            } else if (c == '\r') {
                line.styled(Palette.ESCAPE, "\\r");
            } else if (isHidden(c)) {
                line.styled(Palette.ESCAPE, escape(c));
            } else {
                line.append(c);
            }
        }
        out.add(line.toAttributedString());
        return out;
    }

    /**
     * Characters a terminal would act on or not show: C0 and C1 controls, DEL, zero-width
     * characters, line and paragraph separators, and the bidirectional formatting characters.
     */
    static boolean isHidden(char c) {
        return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
    }

    /** {@code \x1b} for the one-byte range, {@code \u202e} above it. */
    static String escape(char c) {
        return c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
    }

    /** One line: every control character escaped, newlines included; for reasons and summaries. */
    static String escapeLine(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (isHidden(c)) s.append(escape(c));
                    else s.append(c);
                }
            }
        }
        return s.toString();
    }
}
