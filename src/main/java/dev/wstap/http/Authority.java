package dev.wstap.http;

/** The {@code host:port} of a CONNECT request (RFC 9110 §9.3.6); IPv6 in brackets. */
public record Authority(String host, int port) {
    /** RFC 3986 §3.2.2: what a registered name holds besides letters and digits (unreserved, sub-delims, pct-encoded). */
    private static final String REG_NAME_SYMBOLS = "-._~!$&'()*+,;=%";

    /** @throws HttpException 400 naming the bad value */
    public static Authority parse(String text) throws HttpException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String portText = text.substring(colon + 1);
        int port;
        try {
            // RFC 3986 §3.2.3: digits only, where Integer.parseInt would also take "+443".
            if (!portText.chars().allMatch(c -> c >= '0' && c <= '9')) throw new NumberFormatException(portText);
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' has no valid port");
        }
        if (port < 1 || port > 65535) throw new HttpException(400, "CONNECT port " + port + " is outside 1-65535");
        if (host.isEmpty()) throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' has no host");
        if (!isHost(host)) {
            throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' has no valid host");
        }
        return new Authority(host, port);
    }

    /**
     * A registered name (IPv4 addresses are among them), or, when it has colons, an IPv6 address
     * (RFC 3986 §3.2.2). The host goes on to DNS, into a certificate and into the log: nothing else may pass.
     */
    public static boolean isHost(String host) {
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.');
        }
        return host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || REG_NAME_SYMBOLS.indexOf(c) >= 0);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
