package dev.wstap.wire;

import java.nio.charset.StandardCharsets;

/**
 * The body of a close frame (RFC 6455 §5.5.1): an optional two-byte status code, then an optional
 * UTF-8 reason.
 *
 * @param code   the status code, or -1 when the frame carried none (shown as 1005, No Status Received)
 * @param reason the reason, decoded leniently for display; empty when absent
 */
public record ClosePayload(int code, String reason) {

    public static final ClosePayload EMPTY = new ClosePayload(-1, "");

    /** Reads a close payload; a one-byte payload (itself a violation) has no code. */
    public static ClosePayload parse(byte[] payload) {
        if (payload.length < 2) return EMPTY;
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        return new ClosePayload(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /**
     * What an endpoint sends back to this close (RFC 6455 §5.5.1: "typically echoing the status
     * code it received"): the code without the reason when it is one that may be sent, else no
     * payload at all.
     */
    public ClosePayload echo() {
        return hasCode() && CloseCode.isSendable(code) ? new ClosePayload(code, "") : EMPTY;
    }

    public boolean hasCode() {
        return code >= 0;
    }

    /** The bytes of a close payload with this code and reason; no code gives an empty payload. */
    public byte[] encode() {
        if (!hasCode()) return new byte[0];
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + text.length];
        out[0] = (byte) (code >>> 8);
        out[1] = (byte) code;
        System.arraycopy(text, 0, out, 2, text.length);
        return out;
    }
}
