package dev.wstap.probe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One thing the endpoint under test did that a case compares, as Autobahn|Testsuite records it: a
 * whole message (text or binary), a pong, or (cases 6.4.x) the connection still being open
 * at a pause. Two observations are equal exactly when their payloads' bytes are: small payloads
 * are kept as hex, larger ones (family 9's megabytes) as their length and SHA-256.
 *
 * @param payloadHex the payload in hex, or null when it was too large to keep
 * @param sha256     the payload's SHA-256 in hex, for a payload too large to keep; else null
 */
public record Observed(Kind kind, int length, String payloadHex, String sha256) {
    public enum Kind { TEXT, BINARY, PONG, TIMEOUT }

    /** Payloads up to this size are kept whole, to show. */
    static final int KEPT_BYTES = 4096;

    public static Observed of(Kind kind, byte[] payload) {
        if (payload.length <= KEPT_BYTES) return new Observed(kind, payload.length, HexFormat.of().formatHex(payload), null);
        try {
            return new Observed(kind, payload.length, null, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }

    /** Autobahn's {@code ("timeout", "A")}: the connection was still open at the case's pause {@code tag}. */
    public static Observed timeout(String tag) {
        return of(Kind.TIMEOUT, tag.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code text message "Hello"}, {@code pong (3 bytes: 00ff01)}, {@code binary message (1048576 bytes)}: for reports. */
    public String describe() {
        String what = switch (kind) {
            case TEXT -> "text message";
            case BINARY -> "binary message";
            case PONG -> "pong";
            case TIMEOUT -> "still open at pause";
        };
        if (payloadHex == null) return what + " (" + length + " bytes, SHA-256 " + sha256.substring(0, 12) + "…)";
        byte[] p = HexFormat.of().parseHex(payloadHex);
        if (kind == Kind.TIMEOUT) return what + " " + new String(p, StandardCharsets.US_ASCII);
        if (p.length == 0) return what + " (empty)";
        if (kind == Kind.TEXT && p.length <= 40 && isPlain(p)) return what + " \"" + new String(p, StandardCharsets.UTF_8) + "\"";
        return what + " (" + p.length + " bytes: " + (p.length <= 16 ? payloadHex : payloadHex.substring(0, 32) + "…") + ")";
    }

    /** Valid UTF-8 without control characters: fit to print on a terminal and in XML as it is. */
    private static boolean isPlain(byte[] p) {
        if (!dev.wstap.wire.Utf8Validator.isValidUtf8(p, 0, p.length)) return false;
        return new String(p, StandardCharsets.UTF_8).codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }
}
