package dev.wstap.proxy;

import java.util.Set;

/**
 * Where one request goes: the route, the request target to send upstream, the Host header to
 * send (null: the client's own), and the headers meant for wstap that must not go on.
 */
record Target(Route route, String upstreamTarget, String hostHeader, Set<String> dropHeaders) {

    /** The URL shown for the request: {@code wss://example.com/chat} or {@code https://...}. */
    String url(boolean isUpgrade) {
        String scheme = isUpgrade ? (route.isTls() ? "wss" : "ws") : (route.isTls() ? "https" : "http");
        int defaultPort = route.isTls() ? 443 : 80;
        String host = route.host().contains(":") ? "[" + route.host() + "]" : route.host();
        return scheme + "://" + (route.port() == defaultPort ? host : host + ":" + route.port()) + upstreamTarget;
    }
}
