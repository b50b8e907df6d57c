package dev.wstap.probe;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One thing the endpoint under test did that a case compares, as Autobahn|Testsuite records it: a
 * whole message (text or binary), a pong, a ping. Payloads are kept as hex, so that two
 * observations are equal exactly when their bytes are.
 */
public record Observed(Kind kind, String payloadHex) {
    public enum Kind { TEXT, BINARY, PONG, PING, TIMEOUT }

    public static Observed of(Kind kind, byte[] payload) {
        return new Observed(kind, HexFormat.of().formatHex(payload));
    }

    /** Autobahn's {@code ("timeout", "A")}: the connection was still open at the case's pause {@code tag}. */
    public static Observed timeout(String tag) {
        return of(Kind.TIMEOUT, tag.getBytes(StandardCharsets.US_ASCII));
    }

    public byte[] payload() {
        return HexFormat.of().parseHex(payloadHex);
    }

    /** {@code text message "Hello"}, {@code pong (3 bytes: 00ff01)}: for reports. */
    public String describe() {
        byte[] p = payload();
        String what = switch (kind) {
            case TEXT -> "text message";
            case BINARY -> "binary message";
            case PONG -> "pong";
            case PING -> "ping";
            case TIMEOUT -> "still open at pause";
        };
        if (kind == Kind.TIMEOUT) return what + " " + new String(p, StandardCharsets.US_ASCII);
        if (p.length == 0) return what + " (empty)";
        if (kind == Kind.TEXT && p.length <= 40) return what + " \"" + new String(p, StandardCharsets.UTF_8) + "\"";
        return what + " (" + p.length + " bytes" + (p.length <= 16 ? ": " + payloadHex : "") + ")";
    }
}
