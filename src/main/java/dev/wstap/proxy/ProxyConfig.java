package dev.wstap.proxy;

import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import java.time.Duration;

/**
 * What a proxy needs to know.
 *
 * @param listen           where to accept clients
 * @param upstream         the server every client is relayed to (reverse mode)
 * @param maxPreviewBytes  how much of each frame observers get
 * @param handshakeTimeout how long a client has to send its whole request, and the upstream to answer it
 * @param connectTimeout   how long to wait for the upstream to accept a TCP connection
 */
public record ProxyConfig(HostPort listen, WsUrl upstream, int maxPreviewBytes, Duration handshakeTimeout,
                          Duration connectTimeout, int maxHeadBytes) {

    public static final int DEFAULT_MAX_PREVIEW_BYTES = 64 * 1024;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public static ProxyConfig reverse(HostPort listen, WsUrl upstream) {
        return new ProxyConfig(listen, upstream, DEFAULT_MAX_PREVIEW_BYTES, DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, HeadBuffer.DEFAULT_MAX_HEAD_BYTES);
    }

    public ProxyConfig withMaxPreviewBytes(int bytes) {
        return new ProxyConfig(listen, upstream, bytes, handshakeTimeout, connectTimeout, maxHeadBytes);
    }

    public ProxyConfig withHandshakeTimeout(Duration timeout) {
        return new ProxyConfig(listen, upstream, maxPreviewBytes, timeout, connectTimeout, maxHeadBytes);
    }
}
