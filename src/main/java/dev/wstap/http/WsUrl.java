package dev.wstap.http;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A {@code ws://} or {@code wss://} URL, split as the proxy needs it: where to connect, what to
 * put in Host, and how to join a client's request target onto the URL's path.
 */
public record WsUrl(String scheme, String host, int port, String path, String query) {

    /** @throws IllegalArgumentException with a sentence naming what is wrong */
    public static WsUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss") || scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("'" + text + "' must start with ws:// or wss://");
        }
        scheme = switch (scheme) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> scheme;
        };
        if (uri.getHost() == null) throw new IllegalArgumentException("'" + text + "' has no host");
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
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
