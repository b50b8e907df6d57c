package dev.wstap.wire;

/**
 * RFC 6455 opcodes (§5.2, §11.8). Opcodes are plain ints because the wire can carry all sixteen,
 * the reserved ones included, and wstap must show and forward every one of them.
 *
 * <pre>
 *  0 continuation   1 text   2 binary   3-7 reserved (data)
 *  8 close          9 ping  10 pong    11-15 reserved (control)
 * </pre>
 */
public final class Opcode {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** The names of the defined opcodes, for help and completion. */
    public static final java.util.List<String> NAMES = java.util.List.of("text", "binary", "cont", "close", "ping", "pong");

    private Opcode() {}

    /** RFC 6455 §5.5: opcodes whose most significant bit is set are control frames. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /**
     * RFC 6455 §5.6: text and binary are the data frames that begin a message an application
     * receives. The reserved data opcodes 3-7 (§5.2) carry none that wstap or a peer could know.
     */
    public static boolean isMessage(int opcode) {
        return opcode == TEXT || opcode == BINARY;
    }

    /** Opcodes 3-7 and 11-15 have no meaning yet (RFC 6455 §5.2). */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }

    /** A lower-case name for display and completion: {@code text}, {@code ping}, {@code reserved-0x3}. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "cont";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "reserved-0x" + Integer.toHexString(opcode);
        };
    }

    /** Parses a name as {@link #name} prints it, or a number 0-15 in decimal or {@code 0x} hex. */
    public static int parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "cont", "continuation": return CONTINUATION;
            case "text": return TEXT;
            case "binary": return BINARY;
            case "close": return CLOSE;
            case "ping": return PING;
            case "pong": return PONG;
            default: break;
        }
        if (s.startsWith("reserved-")) s = s.substring("reserved-".length());
        int value;
        try {
            value = s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown opcode '" + text + "' (use a name such as text or ping, or a number 0-15)");
        }
        if (value < 0 || value > 15) {
            throw new IllegalArgumentException("opcode " + value + " is outside 0-15 (RFC 6455 §5.2 gives it four bits)");
        }
        return value;
    }
}
