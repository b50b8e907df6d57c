package dev.wstap.http;

/** A {@code [HOST:]PORT} listen address; IPv6 hosts in brackets: {@code [::1]:8080}. */
public record HostPort(String host, int port) {

    /** @throws IllegalArgumentException naming the bad value */
    public static HostPort parse(String text, String defaultHost) {
        String s = text.trim();
        String host = defaultHost;
        String portText = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [IPV6]:PORT");
            }
            host = s.substring(1, close);
            portText = s.substring(close + 2);
        } else if (s.lastIndexOf(':') >= 0) {
            int colon = s.lastIndexOf(':');
            host = s.substring(0, colon).isEmpty() ? defaultHost : s.substring(0, colon);
            portText = s.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port (expected [HOST:]PORT, e.g. 127.0.0.1:8080)");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
