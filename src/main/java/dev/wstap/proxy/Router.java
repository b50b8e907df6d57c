package dev.wstap.proxy;

import dev.wstap.http.Authority;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.WsUrl;
import java.util.Set;

/** Decides where each request of a client connection goes. */
interface Router {
    /** Headers a forward proxy's client addresses to the proxy (RFC 9110 §11.7.2), not to be relayed. */
    Set<String> PROXY_HEADERS = Set.of("proxy-authorization", "proxy-connection");

    Target route(HttpRequest request) throws HttpException;

    /** Reverse mode: every request goes to one upstream, its path appended to the upstream's. */
    static Router reverse(WsUrl upstream) {
        Route route = new Route(upstream.host(), upstream.port(), upstream.isSecure(), upstream.host());
        return request -> new Target(route, upstream.targetFor(request.target()), upstream.hostHeader(), Set.of());
    }

    /** Forward mode without a tunnel: each request names its server in absolute form ({@code GET ws://host/path}). */
    static Router absoluteForm(ProxyAuth auth) {
        return request -> {
            if (auth != null) auth.check(request);
            String t = request.target();
            if (!t.contains("://")) {
                throw new HttpException(400, "wstap is running as a forward proxy (no --upstream): configure it as the client's "
                        + "HTTP proxy, or start it with --upstream URL to relay '" + t + "' to one server");
            }
            WsUrl url;
            try {
                url = WsUrl.parse(t);
            } catch (IllegalArgumentException e) {
                throw new HttpException(400, "request target: " + e.getMessage());
            }
            String pathAndQuery = url.query() == null ? url.path() : url.path() + "?" + url.query();
            Route route = new Route(url.host(), url.port(), url.isSecure(), url.host());
            return new Target(route, pathAndQuery, url.hostHeader(), PROXY_HEADERS);
        };
    }

    /** Inside a CONNECT tunnel: every request goes to the tunnel's host, as the client addressed it. */
    static Router tunnel(Authority authority, boolean isTls, String sni) {
        Route route = new Route(authority.host(), authority.port(), isTls, sni);
        return request -> new Target(route, request.target(), null, PROXY_HEADERS);
    }
}
