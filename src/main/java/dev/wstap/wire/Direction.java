package dev.wstap.wire;

/** Which way a frame travels; also says which endpoint sent it, and so whether it must be masked. */
public enum Direction {
    /** Client to server: RFC 6455 §5.1 requires every frame to be masked. */
    C2S("c2s", "client", "server"),
    /** Server to client: RFC 6455 §5.1 forbids masking. */
    S2C("s2c", "server", "client");

    private final String label;
    private final String sender;
    private final String receiver;

    Direction(String label, String sender, String receiver) {
        this.label = label;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** {@code c2s} or {@code s2c}, as the log writes it. */
    public String label() {
        return label;
    }

    public String sender() {
        return sender;
    }

    public String receiver() {
        return receiver;
    }

    public boolean requiresMask() {
        return this == C2S;
    }

    public Direction reverse() {
        return this == C2S ? S2C : C2S;
    }

    /** The labels, for help and completion. */
    public static final java.util.List<String> LABELS = java.util.List.of("c2s", "s2c");

    /** Parses {@code c2s}, {@code s2c}, {@code server} (towards the server) or {@code client}. */
    public static Direction parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "c2s", "server", "to-server" -> C2S;
            case "s2c", "client", "to-client" -> S2C;
            default -> throw new IllegalArgumentException("unknown direction '" + text + "' (use c2s or s2c)");
        };
    }
}
