package dev.wstap.deflate;

import java.util.List;

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
        List<List<DeflateOffer.Parameter>> elements = DeflateOffer.elements(extensionsHeader);
        if (elements.isEmpty()) return null;
        boolean serverNoTakeover = false;
        boolean clientNoTakeover = false;
        int serverBits = DEFAULT_WINDOW_BITS;
        int clientBits = DEFAULT_WINDOW_BITS;
        for (DeflateOffer.Parameter p : elements.get(0)) {
            switch (p.name()) {
                case "server_no_context_takeover" -> serverNoTakeover = true;
                case "client_no_context_takeover" -> clientNoTakeover = true;
                case "server_max_window_bits" -> serverBits = DeflateOffer.bits(p.value(), DEFAULT_WINDOW_BITS);
                case "client_max_window_bits" -> clientBits = DeflateOffer.bits(p.value(), DEFAULT_WINDOW_BITS);
                default -> { }
            }
        }
        return new DeflateParameters(serverNoTakeover, clientNoTakeover, serverBits, clientBits);
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
