package dev.wstap.render;

import java.util.Locale;

/** How the console shows payloads. */
public enum ViewMode {
    /** JSON pretty-printed when text parses as JSON, text for text, hex for binary. */
    AUTO,
    /** Every payload as text, invalid bytes shown as U+FFFD. */
    TEXT,
    /** JSON where it parses, else as auto. */
    JSON,
    /** Every payload as a hex dump. */
    HEX,
    /** Frame header lines only, no payloads. */
    HEADERS,
    /** Whole messages only, reassembled and inflated, and the frames of no message (control frames, reserved opcodes). */
    MESSAGES;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
