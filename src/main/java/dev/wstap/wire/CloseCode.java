package dev.wstap.wire;

/** Close status codes (RFC 6455 §7.4 and the IANA registry, §11.7). */
public final class CloseCode {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;

    private CloseCode() {}

    /** The registered name of a code, or what range it falls in: {@code 4001} is "private use". */
    public static String name(int code) {
        return switch (code) {
            case 1000 -> "Normal Closure";
            case 1001 -> "Going Away";
            case 1002 -> "Protocol Error";
            case 1003 -> "Unsupported Data";
            case 1004 -> "Reserved";
            case 1005 -> "No Status Received";
            case 1006 -> "Abnormal Closure";
            case 1007 -> "Invalid Frame Payload Data";
            case 1008 -> "Policy Violation";
            case 1009 -> "Message Too Big";
            case 1010 -> "Mandatory Extension";
            case 1011 -> "Internal Error";
            case 1012 -> "Service Restart";
            case 1013 -> "Try Again Later";
            case 1014 -> "Bad Gateway";
            case 1015 -> "TLS Handshake";
            default -> {
                if (code >= 3000 && code <= 3999) yield "registered";
                if (code >= 4000 && code <= 4999) yield "private use";
                yield "invalid";
            }
        };
    }

    /**
     * Whether an endpoint may send {@code code} in a close frame. RFC 6455 §7.4.1 reserves 1004,
     * 1005, 1006 and 1015 for local use; 1016-2999 are unassigned, below 1000 and above 4999 unused.
     */
    public static boolean isSendable(int code) {
        if (code >= 1000 && code <= 1014) return code != 1004 && code != 1005 && code != 1006;
        return code >= 3000 && code <= 4999;
    }
}
