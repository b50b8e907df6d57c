package dev.wstap.http;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A {@code ws://} or {@code wss://} URL, split as the proxy needs it: where to connect, what to
 * put in Host, and how to join a client's request target onto the URL's path.
 */
public record WsUrl(String scheme, String host, int port, String path, String query) {

    /**
     * Parses {@code ws://HOST[:PORT][/PATH][?QUERY]} or {@code wss://...}; {@code http://} and
     * {@code https://} are taken as their WebSocket twins.
     *
     * @throws IllegalArgumentException with a sentence naming what is wrong
     */
    public static WsUrl parse(String text) {
        String trimmed = text.trim();
        if (!trimmed.contains("://")) {
            throw new IllegalArgumentException("'" + text + "' must start with ws:// or wss:// (e.g. ws://" + trimmed + ")");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        scheme = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("'" + text + "' must start with ws:// or wss://");
        };
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "' has a user name or password, which a WebSocket URL cannot carry; "
                    + "let the client send its credentials in headers");
        }
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority();
            throw new IllegalArgumentException(authority == null || authority.isEmpty() ? "'" + text + "' has no host"
                    : "'" + text + "' has no valid HOST:PORT ('" + authority + "')");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("'" + text + "' has port " + port + ", outside 1-65535");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new WsUrl(scheme, uri.getHost(), port, path, uri.getRawQuery());
    }

    public boolean isSecure() {
        return scheme.equals("wss");
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("wss") ? 443 : 80;
    }

    /** The Host header value: the host, with the port only when it is not the scheme's default. */
    public String hostHeader() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == defaultPort(scheme) ? h : h + ":" + port;
    }

    /**
     * The target to request upstream for a client's {@code clientTarget}: the client's path is
     * appended to this URL's path, and both queries are kept. {@code ws://h/base} with
     * {@code /chat?x=1} gives {@code /base/chat?x=1}; with {@code /} it gives {@code /base}.
     */
    public String targetFor(String clientTarget) {
        String clientPath = clientTarget;
        String clientQuery = null;
        int q = clientTarget.indexOf('?');
        if (q >= 0) {
            clientPath = clientTarget.substring(0, q);
            clientQuery = clientTarget.substring(q + 1);
        }
        String joined;
        if (clientPath.isEmpty() || clientPath.equals("/")) {
            joined = path;
        } else if (path.equals("/")) {
            joined = clientPath;
        } else {
            joined = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
                    + (clientPath.startsWith("/") ? clientPath : "/" + clientPath);
        }
        String allQuery = query == null ? clientQuery : clientQuery == null ? query : query + "&" + clientQuery;
        return allQuery == null ? joined : joined + "?" + allQuery;
    }

    /** This URL with {@code target} as path and query: what the session is shown as. */
    public String withTarget(String target) {
        return scheme + "://" + hostHeader() + target;
    }

    @Override
    public String toString() {
        return withTarget(query == null ? path : path + "?" + query);
    }
}
