package dev.wstap.deflate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code permessage-deflate} offer of a client's {@code Sec-WebSocket-Extensions} (RFC 7692
 * §7.1), and the server's answer to it.
 *
 * @param isClientNoContextTakeover  {@code client_no_context_takeover}: the client hints it will
 *                                   not take over its context, and lets the server ask it not to
 * @param isClientMaxWindowBits      {@code client_max_window_bits}: the server may limit the client's window
 * @param clientMaxWindowBits        that parameter's value, or 15 when it has none
 * @param isServerNoContextTakeover  {@code server_no_context_takeover}: the client asks the server not to take over its context
 * @param serverMaxWindowBits        {@code server_max_window_bits=N}: the window the client asks the server to keep to, or 0
 */
public record DeflateOffer(boolean isClientNoContextTakeover, boolean isClientMaxWindowBits, int clientMaxWindowBits,
                           boolean isServerNoContextTakeover, int serverMaxWindowBits) {
    public static final String NAME = "permessage-deflate";

    /**
     * An offer as Autobahn|Testsuite's client makes them: it accepts both client parameters and asks
     * for {@code server_no_context_takeover} when {@code isServerNoContextTakeover}, and for
     * {@code server_max_window_bits} when {@code serverMaxWindowBits} is not 0.
     */
    public static DeflateOffer asking(boolean isServerNoContextTakeover, int serverMaxWindowBits) {
        return new DeflateOffer(true, true, DeflateParameters.DEFAULT_WINDOW_BITS, isServerNoContextTakeover, serverMaxWindowBits);
    }

    /** One parameter of an extension: its name in lower case, its value unquoted, or null when it has none. */
    record Parameter(String name, String value) {}

    /**
     * The {@code permessage-deflate} elements of a {@code Sec-WebSocket-Extensions} header (an offer's
     * or an answer's, RFC 6455 §9.1), in order, each as its parameters in order: the one reading of
     * that header, for offers, answers and their checks.
     */
    static List<List<Parameter>> elements(String header) {
        List<List<Parameter>> out = new ArrayList<>();
        if (header == null) return out;
        for (String extension : header.split(",")) {
            String[] parts = extension.split(";", -1); // -1: ";" alone is one empty name, not no parts at all
            if (!parts[0].trim().equalsIgnoreCase(NAME)) continue;
            List<Parameter> parameters = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                parameters.add(new Parameter(kv[0].trim().toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1].trim().replace("\"", "") : null));
            }
            out.add(parameters);
        }
        return out;
    }

    /** The {@code permessage-deflate} offers in a client's {@code Sec-WebSocket-Extensions}, in its order of preference. */
    public static List<DeflateOffer> parse(String header) {
        List<DeflateOffer> out = new ArrayList<>();
        for (List<Parameter> element : elements(header)) {
            boolean clientNoTakeover = false;
            boolean clientBits = false;
            int clientBitsValue = DeflateParameters.DEFAULT_WINDOW_BITS;
            boolean serverNoTakeover = false;
            int serverBits = 0;
            for (Parameter p : element) {
                String value = p.value();
                switch (p.name()) {
                    case "client_no_context_takeover" -> clientNoTakeover = true;
                    case "client_max_window_bits" -> {
                        clientBits = true;
                        if (value != null) clientBitsValue = bits(value, DeflateParameters.DEFAULT_WINDOW_BITS);
                    }
                    case "server_no_context_takeover" -> serverNoTakeover = true;
                    case "server_max_window_bits" -> serverBits = bits(value, 0);
                    default -> { }
                }
            }
            out.add(new DeflateOffer(clientNoTakeover, clientBits, clientBitsValue, serverNoTakeover, serverBits));
        }
        return out;
    }

    /** Window bits 8-15 from a parameter's value, else {@code otherwise}. */
    static int bits(String value, int otherwise) {
        try {
            int n = value == null ? -1 : Integer.parseInt(value);
            return n >= MessageDeflater.MIN_WINDOW_BITS && n <= MessageDeflater.MAX_WINDOW_BITS ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The offer as it goes in the header: {@code permessage-deflate; client_max_window_bits}. */
    public String header() {
        StringBuilder out = new StringBuilder(NAME);
        if (isClientNoContextTakeover) out.append("; client_no_context_takeover");
        if (isClientMaxWindowBits) {
            out.append("; client_max_window_bits");
            if (clientMaxWindowBits != DeflateParameters.DEFAULT_WINDOW_BITS) out.append('=').append(clientMaxWindowBits);
        }
        if (isServerNoContextTakeover) out.append("; server_no_context_takeover");
        if (serverMaxWindowBits != 0) out.append("; server_max_window_bits=").append(serverMaxWindowBits);
        return out.toString();
    }

    /**
     * Why a server's {@code Sec-WebSocket-Extensions} answer breaks RFC 7692 §7.1 in itself, or null
     * when it is well formed (or agrees to no permessage-deflate): one permessage-deflate, known
     * parameters each at most once, window bits 8-15 given where a value is due. A client fails the
     * connection on such an answer.
     */
    public static String malformedAnswer(String header) {
        return check(null, header);
    }

    /**
     * Why a well-formed answer accepts none of {@code offers} as RFC 7692 §7.1 says a server must:
     * what the client asked of the server granted, and no window asked of a client that did not
     * offer to keep to one; or null when it accepts one of them.
     */
    public static String mismatchedAnswer(List<DeflateOffer> offers, String header) {
        return check(offers, header);
    }

    /** Both checks: {@code offers} null for the form alone. */
    private static String check(List<DeflateOffer> offers, String header) {
        List<List<Parameter>> answers = elements(header);
        if (answers.isEmpty()) return null;
        if (answers.size() > 1) return "it answers permessage-deflate " + answers.size() + " times";
        java.util.Map<String, String> parameters = new java.util.HashMap<>();
        for (Parameter p : answers.get(0)) {
            String name = p.name();
            String value = p.value();
            if (parameters.containsKey(name)) return "it gives " + name + " twice (§7.1)";
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (value != null) return name + " has a value, '" + value + "' (§7.1.1)";
                }
                case "server_max_window_bits", "client_max_window_bits" -> {
                    if (bits(value, -1) < 0) return name + (value == null ? " has no value" : "=" + value + " is not 8-15") + " (§7.1.2)";
                }
                default -> {
                    return "it has a parameter RFC 7692 does not define: " + name + " (§7.1)";
                }
            }
            parameters.put(name, value);
        }
        if (offers == null) return null;
        for (DeflateOffer o : offers) {
            boolean isServerNoTakeoverKept = !o.isServerNoContextTakeover() || parameters.containsKey("server_no_context_takeover");
            boolean isServerWindowKept = o.serverMaxWindowBits() == 0
                    || (parameters.containsKey("server_max_window_bits") && bits(parameters.get("server_max_window_bits"), 16) <= o.serverMaxWindowBits());
            boolean isClientWindowAllowed = !parameters.containsKey("client_max_window_bits")
                    || (o.isClientMaxWindowBits() && bits(parameters.get("client_max_window_bits"), 16) <= o.clientMaxWindowBits());
            if (isServerNoTakeoverKept && isServerWindowKept && isClientWindowAllowed) return null;
        }
        return "it accepts none of the offers as offered (asked for server_no_context_takeover or server_max_window_bits it does "
                + "not grant, or client_max_window_bits the client did not offer; §7.1.1.1, §7.1.2)";
    }

    /** Offers joined into one header value, most preferred first. */
    public static String header(List<DeflateOffer> offers) {
        return String.join(", ", offers.stream().map(DeflateOffer::header).toList());
    }

    /**
     * The server's answer to this offer: what the client asked of the server granted, and the
     * server asking the client for {@code client_no_context_takeover} when
     * {@code isClientNoContextTakeover} and for a window of {@code clientWindowBits} when not 0,
     * each only where the offer has that parameter (else null: no agreement on this offer). For the
     * window that is RFC 7692 §7.1.2.2; for no context takeover, which the RFC lets a server ask
     * unoffered, it is how Autobahn's fuzzingserver answers.
     */
    public DeflateParameters accept(boolean isClientNoContextTakeover, int clientWindowBits) {
        if (isClientNoContextTakeover && !this.isClientNoContextTakeover) return null;
        if (clientWindowBits != 0 && !isClientMaxWindowBits) return null;
        int clientBits = clientWindowBits != 0 ? Math.min(clientWindowBits, clientMaxWindowBits) : DeflateParameters.DEFAULT_WINDOW_BITS;
        int serverBits = serverMaxWindowBits != 0 ? serverMaxWindowBits : DeflateParameters.DEFAULT_WINDOW_BITS;
        return new DeflateParameters(isServerNoContextTakeover, isClientNoContextTakeover, serverBits, clientBits);
    }
}
