package dev.wstap.proxy;

import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.tls.ServerTls;
import dev.wstap.tls.UpstreamTls;
import java.time.Duration;
import java.util.List;

/**
 * What a proxy needs to know.
 *
 * @param listen           where to accept clients
 * @param upstream         reverse mode: the server every client is relayed to; null for forward mode
 * @param maxPreviewBytes  how much of each frame observers get
 * @param handshakeTimeout how long a client has to send its whole request, and the upstream to answer an upgrade
 * @param connectTimeout   how long to wait for an upstream to accept a connection (and its TLS handshake)
 * @param maxHeadBytes     the largest HTTP head accepted (431 beyond)
 * @param listenTls        TLS for the listener itself ({@code wss://} listen address), or null
 * @param interceptTls     forward mode: TLS towards clients inside CONNECT tunnels, or null to tunnel TLS untouched
 * @param upstreamTls      TLS towards servers: verification, {@code --upstream-ca}, {@code --insecure}
 * @param noIntercept      forward mode: host globs whose CONNECT tunnels are passed through untouched
 * @param isUpstreamCert   forward mode: connect to the upstream before answering an intercepted
 *                         client's TLS, and mint its leaf with the upstream certificate's names
 *                         (on unless {@code --no-upstream-cert})
 * @param isSocks          forward mode: the listener speaks SOCKS5 (RFC 1928) instead of HTTP
 * @param proxyAuth        forward mode: required credentials (HTTP Basic, or SOCKS5 user name and password), or null
 * @param isNoCompression  take compression offers out of upgrade requests ({@code --no-compression})
 * @param isStrict         act as a conforming endpoint: fail a session on the first violation ({@code --strict})
 * @param isLowLatency     every session's pumps on platform threads ({@code --low-latency}; see {@link PumpThreads})
 * @param maxSessions      how many WebSocket sessions may be open at once (503 beyond); 0 for no limit
 * @param setup            what every new session gets before its first frame (an intercept), or null
 */
public record ProxyConfig(HostPort listen, WsUrl upstream, int maxPreviewBytes, Duration handshakeTimeout,
                          Duration connectTimeout, int maxHeadBytes, ServerTls listenTls, ServerTls interceptTls,
                          UpstreamTls upstreamTls, List<String> noIntercept, boolean isUpstreamCert, boolean isSocks, ProxyAuth proxyAuth,
                          boolean isNoCompression, boolean isStrict, boolean isLowLatency, int maxSessions,
                          SessionSetup setup) {

    public static final int DEFAULT_MAX_PREVIEW_BYTES = 64 * 1024;
    /** In seconds, for {@code --handshake-timeout}'s default. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * No limit on sessions by default: wstap listens on loopback unless told otherwise, an idle
     * session costs about 13 kB, and the system's file descriptor limit comes first anyway.
     */
    public static final int UNLIMITED_SESSIONS = 0;
    /** How long an idle keep-alive connection waits for its next request. */
    public static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(120);

    public ProxyConfig {
        noIntercept = List.copyOf(noIntercept);
        if (maxSessions < 0) throw new IllegalArgumentException("maxSessions " + maxSessions + " is negative");
    }

    /** Reverse mode: every client goes to {@code upstream}. */
    public static ProxyConfig reverse(HostPort listen, WsUrl upstream) {
        return new ProxyConfig(listen, upstream, DEFAULT_MAX_PREVIEW_BYTES, DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, HeadBuffer.DEFAULT_MAX_HEAD_BYTES, null, null, null, List.of(), true, false, null, false, false, false, UNLIMITED_SESSIONS, null);
    }

    /** Forward mode: clients use wstap as their HTTP proxy. */
    public static ProxyConfig forward(HostPort listen) {
        return reverse(listen, null);
    }

    public boolean isForward() {
        return upstream == null;
    }

    public ProxyConfig withMaxPreviewBytes(int bytes) {
        return edit(b -> b.maxPreviewBytes = bytes);
    }

    public ProxyConfig withHandshakeTimeout(Duration timeout) {
        return edit(b -> b.handshakeTimeout = timeout);
    }

    public ProxyConfig withListenTls(ServerTls tls) {
        return edit(b -> b.listenTls = tls);
    }

    public ProxyConfig withInterceptTls(ServerTls tls) {
        return edit(b -> b.interceptTls = tls);
    }

    public ProxyConfig withUpstreamTls(UpstreamTls tls) {
        return edit(b -> b.upstreamTls = tls);
    }

    public ProxyConfig withNoIntercept(List<String> globs) {
        return edit(b -> b.noIntercept = globs);
    }

    /** Forward mode: the listener speaks SOCKS5 instead of HTTP. */
    public ProxyConfig withSocks(boolean isWanted) {
        return edit(b -> b.isSocks = isWanted);
    }

    public ProxyConfig withUpstreamCert(boolean isWanted) {
        return edit(b -> b.isUpstreamCert = isWanted);
    }

    public ProxyConfig withNoCompression(boolean isWanted) {
        return edit(b -> b.isNoCompression = isWanted);
    }

    public ProxyConfig withStrict(boolean isWanted) {
        return edit(b -> b.isStrict = isWanted);
    }

    public ProxyConfig withLowLatency(boolean isWanted) {
        return edit(b -> b.isLowLatency = isWanted);
    }

    public ProxyConfig withProxyAuth(ProxyAuth auth) {
        return edit(b -> b.proxyAuth = auth);
    }

    /** At most {@code sessions} open at once; {@link #UNLIMITED_SESSIONS} for no limit. */
    public ProxyConfig withMaxSessions(int sessions) {
        return edit(b -> b.maxSessions = sessions);
    }

    /** Every new session is set up by {@code setup} before its first frame. */
    public ProxyConfig withSessionSetup(SessionSetup setup) {
        return edit(b -> b.setup = setup);
    }

    /** A copy with what {@code change} sets on a builder that starts as this config. */
    private ProxyConfig edit(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The fields of a config, to be changed one at a time. */
    private static final class Builder {
        HostPort listen;
        WsUrl upstream;
        int maxPreviewBytes;
        Duration handshakeTimeout;
        Duration connectTimeout;
        int maxHeadBytes;
        ServerTls listenTls;
        ServerTls interceptTls;
        UpstreamTls upstreamTls;
        List<String> noIntercept;
        boolean isUpstreamCert;
        boolean isSocks;
        ProxyAuth proxyAuth;
        boolean isNoCompression;
        boolean isStrict;
        boolean isLowLatency;
        int maxSessions;
        SessionSetup setup;

        Builder(ProxyConfig c) {
            listen = c.listen;
            upstream = c.upstream;
            maxPreviewBytes = c.maxPreviewBytes;
            handshakeTimeout = c.handshakeTimeout;
            connectTimeout = c.connectTimeout;
            maxHeadBytes = c.maxHeadBytes;
            listenTls = c.listenTls;
            interceptTls = c.interceptTls;
            upstreamTls = c.upstreamTls;
            noIntercept = c.noIntercept;
            isUpstreamCert = c.isUpstreamCert;
            isSocks = c.isSocks;
            proxyAuth = c.proxyAuth;
            isNoCompression = c.isNoCompression;
            isStrict = c.isStrict;
            isLowLatency = c.isLowLatency;
            maxSessions = c.maxSessions;
            setup = c.setup;
        }

        ProxyConfig build() {
            return new ProxyConfig(listen, upstream, maxPreviewBytes, handshakeTimeout, connectTimeout, maxHeadBytes, listenTls,
                    interceptTls, upstreamTls, noIntercept, isUpstreamCert, isSocks, proxyAuth, isNoCompression, isStrict, isLowLatency, maxSessions, setup);
        }
    }
}
