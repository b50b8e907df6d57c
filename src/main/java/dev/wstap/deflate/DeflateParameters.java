package dev.wstap.deflate;

import java.util.Locale;

/**
 * What a server agreed to in its {@code permessage-deflate} answer (RFC 7692 §7.1). The
 * {@code *_no_context_takeover} flags say whether that side's compressor starts afresh for every
 * message; the window bits say how far back its matches may reach (8-15; 15 when absent).
 */
public record DeflateParameters(boolean isServerNoContextTakeover, boolean isClientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {

    public static final int DEFAULT_WINDOW_BITS = 15;

    /**
     * The parameters of the first {@code permessage-deflate} in a server's
     * {@code Sec-WebSocket-Extensions}, or null when it agreed to none.
     */
    public static DeflateParameters fromResponse(String extensionsHeader) {
        if (extensionsHeader == null) return null;
        for (String extension : extensionsHeader.split(",")) {
            String[] parts = extension.split(";", -1); // -1: ";" alone is one empty name, not no parts at all
            if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) continue;
            boolean serverNoTakeover = false;
            boolean clientNoTakeover = false;
            int serverBits = DEFAULT_WINDOW_BITS;
            int clientBits = DEFAULT_WINDOW_BITS;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                String name = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv.length > 1 ? kv[1].trim().replace("\"", "") : null;
                switch (name) {
                    case "server_no_context_takeover" -> serverNoTakeover = true;
                    case "client_no_context_takeover" -> clientNoTakeover = true;
                    case "server_max_window_bits" -> serverBits = bits(value);
                    case "client_max_window_bits" -> clientBits = bits(value);
                    default -> { }
                }
            }
            return new DeflateParameters(serverNoTakeover, clientNoTakeover, serverBits, clientBits);
        }
        return null;
    }

    private static int bits(String value) {
        if (value == null) return DEFAULT_WINDOW_BITS;
        try {
            int n = Integer.parseInt(value);
            return n >= 8 && n <= 15 ? n : DEFAULT_WINDOW_BITS;
        } catch (NumberFormatException e) {
            return DEFAULT_WINDOW_BITS;
        }
    }

    /** Whether the compressor of the side that sends in this direction resets for every message. */
    public boolean isNoContextTakeover(boolean isClientToServer) {
        return isClientToServer ? isClientNoContextTakeover : isServerNoContextTakeover;
    }

    public int windowBits(boolean isClientToServer) {
        return isClientToServer ? clientMaxWindowBits : serverMaxWindowBits;
    }

    /** The server's answer that agrees to these: {@code permessage-deflate; client_max_window_bits=9}; windows of 15 bits go unsaid. */
    public String header() {
        StringBuilder out = new StringBuilder("permessage-deflate");
        if (isServerNoContextTakeover) out.append("; server_no_context_takeover");
        if (isClientNoContextTakeover) out.append("; client_no_context_takeover");
        if (serverMaxWindowBits < DEFAULT_WINDOW_BITS) out.append("; server_max_window_bits=").append(serverMaxWindowBits);
        if (clientMaxWindowBits < DEFAULT_WINDOW_BITS) out.append("; client_max_window_bits=").append(clientMaxWindowBits);
        return out.toString();
    }
}
