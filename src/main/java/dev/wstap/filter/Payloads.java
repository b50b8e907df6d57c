package dev.wstap.filter;

import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Utf8Validator;
import java.nio.charset.StandardCharsets;

/**
 * What the payload terms look at in an event: the bytes kept of a frame's or a whole message's
 * payload (reassembled and inflated for a message; a compressed frame's bytes are no payload yet),
 * and their text.
 */
final class Payloads {
    private Payloads() {}

    /** The payload bytes kept of a frame or message, or null when there are none to read. */
    static byte[] bytes(TapEvent event) {
        return switch (event) {
            case FrameSeen f -> f.frame().isCompressed() ? null : f.frame().preview();
            case MessageSeen m -> m.preview();
            default -> null;
        };
    }

    /**
     * The payload as text: a text frame's or message's (valid UTF-8, cut sequences left out), a
     * close frame's reason, a ping's or pong's payload when it is UTF-8; null for binary payloads
     * and for events without one.
     */
    static String text(TapEvent event) {
        return switch (event) {
            case FrameSeen f -> frameText(f.frame());
            case MessageSeen m -> m.text();
            default -> null;
        };
    }

    private static String frameText(ParsedFrame frame) {
        String text = frame.text();
        if (text != null) return text;
        FrameHeader h = frame.header();
        if (!h.isControl()) return null;
        byte[] p = frame.preview();
        int from = h.opcode() == Opcode.CLOSE ? Math.min(2, p.length) : 0;
        return Utf8Validator.isValidUtf8(p, from, p.length - from) ? new String(p, from, p.length - from, StandardCharsets.UTF_8) : null;
    }

    /** Whether {@code needle} occurs in {@code hay}. */
    static boolean contains(byte[] hay, byte[] needle) {
        if (needle.length == 0) return true;
        outer:
        for (int i = 0, last = hay.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
