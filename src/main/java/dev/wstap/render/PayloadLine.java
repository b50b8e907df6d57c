package dev.wstap.render;

import dev.wstap.wire.Opcode;
import dev.wstap.wire.Utf8Validator;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A payload in one line for lists ({@code held}): text with every control character escaped,
 * anything else as hex; cut at a width with {@code …}.
 */
public final class PayloadLine {
    private PayloadLine() {}

    /** Example: {@code of(Opcode.TEXT, utf8("a\nb"), 20)} gives {@code a\nb}. */
    public static String of(int opcode, byte[] payload, int maxChars) {
        boolean isText = opcode != Opcode.BINARY && Utf8Validator.isValidUtf8(payload, 0, payload.length);
        String line = isText ? TextView.escapeLine(new String(payload, StandardCharsets.UTF_8))
                : HexFormat.ofDelimiter(" ").formatHex(payload, 0, Math.min(payload.length, maxChars / 3 + 1));
        return line.length() <= maxChars ? line : line.substring(0, Math.max(0, maxChars - 1)) + "…";
    }
}
