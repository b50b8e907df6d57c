package dev.wstap.render;

import org.jline.utils.AttributedStyle;

/** The styles of the console view, in one place. */
final class Palette {
    static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
    static final AttributedStyle TIME = AttributedStyle.DEFAULT.faint();
    static final AttributedStyle SESSION = AttributedStyle.BOLD;
    static final AttributedStyle C2S = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    static final AttributedStyle S2C = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle DATA_OPCODE = AttributedStyle.BOLD;
    static final AttributedStyle CONTROL_OPCODE = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
    static final AttributedStyle DETAIL = AttributedStyle.DEFAULT.faint();
    static final AttributedStyle VIOLATION = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    static final AttributedStyle INJECTED = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle NOTE = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    static final AttributedStyle OPEN = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    static final AttributedStyle ESCAPE = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW).faint();

    static final AttributedStyle JSON_KEY = AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE);
    static final AttributedStyle JSON_STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle JSON_NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    static final AttributedStyle JSON_LITERAL = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    static final AttributedStyle JSON_PUNCT = AttributedStyle.DEFAULT.faint();

    private Palette() {}
}
