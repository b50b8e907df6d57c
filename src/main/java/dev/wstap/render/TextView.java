package dev.wstap.render;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Text for the terminal: line breaks start new indented lines; every other control character is
 * escaped visibly ({@code \t}, {@code \r}, {@code \x1b}) so that a payload can never move the
 * cursor, change colours or hide part of itself.
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
            } else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == '\u2028' || c == '\u2029') {
                line.styled(Palette.ESCAPE, String.format("\\x%02x", (int) c));
            } else {
                line.append(c);
            }
        }
        out.add(line.toAttributedString());
        return out;
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
                    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) s.append(String.format("\\x%02x", (int) c));
                    else s.append(c);
                }
            }
        }
        return s.toString();
    }
}
