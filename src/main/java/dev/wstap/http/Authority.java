package dev.wstap.http;

/** The {@code host:port} of a CONNECT request (RFC 9110 §9.3.6); IPv6 in brackets. */
public record Authority(String host, int port) {

    /** @throws HttpException 400 naming the bad value */
    public static Authority parse(String text) throws HttpException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' has no valid port");
        }
        if (port < 1 || port > 65535) throw new HttpException(400, "CONNECT port " + port + " is outside 1-65535");
        if (host.isEmpty()) throw new HttpException(400, "CONNECT target '" + HeadParser.printable(text) + "' has no host");
        return new Authority(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
