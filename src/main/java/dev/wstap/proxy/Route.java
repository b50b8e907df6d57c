package dev.wstap.proxy;

/**
 * Where requests go upstream: host and port, with TLS or not, and the name to ask for with SNI.
 * Requests with the same route may share one upstream connection.
 */
record Route(String host, int port, boolean isTls, String sni) {
    /** {@code example.com:443}, IPv6 in brackets. */
    String where() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
