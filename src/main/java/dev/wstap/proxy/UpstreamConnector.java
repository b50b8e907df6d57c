package dev.wstap.proxy;

import dev.wstap.http.HttpException;
import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.TlsFailures;
import dev.wstap.tls.TlsInfo;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections to upstream servers, with TLS where the route says so; failures become 502s
 * with a reason. It never connects to wstap's own listener: that would be a loop.
 */
final class UpstreamConnector {
    /**
     * RFC 5842 §7.2, 508 Loop Detected: the request is fine and no upstream failed, but relaying it
     * would come back to wstap itself. 400 would blame the request's syntax, 502 an upstream that
     * was never asked, and 508 says what happened in the log and on the console.
     */
    static final int LOOP_STATUS = 508;

    private UpstreamTls tls;
    private final Duration connectTimeout;
    private final OwnAddress own;

    /**
     * {@code tls} null: verify against the JDK's trust store, read when the first TLS upstream needs it.
     * {@code own}: wstap's listener, never to be connected to; null for none.
     */
    UpstreamConnector(UpstreamTls tls, Duration connectTimeout, OwnAddress own) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.own = own;
    }

    /** @throws HttpException 508 when {@code host:port} is wstap's own listener */
    void refuseLoop(String host, int port) throws HttpException {
        refuseLoop(new Route(host, port, false, null), new InetSocketAddress(host, port));
    }

    private void refuseLoop(Route route, InetSocketAddress address) throws HttpException {
        if (own != null && own.isReachedBy(address)) {
            throw new HttpException(LOOP_STATUS, route.where() + " is wstap's own listen address (" + own
                    + "): relaying there would loop back into wstap");
        }
    }

    private synchronized UpstreamTls tls() throws HttpException {
        if (tls == null) {
            try {
                tls = UpstreamTls.verifying(java.util.List.of());
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new HttpException(502, "cannot read the JDK's trust store: " + e.getMessage());
            }
        }
        return tls;
    }

    /** @throws HttpException 502 naming the host and the cause; 508 when it is wstap's own listener */
    Conn connect(Route route) throws HttpException {
        UpstreamTls upstreamTls = route.isTls() ? tls() : null;
        String where = route.where();
        InetSocketAddress address = new InetSocketAddress(route.host(), route.port());
        refuseLoop(route, address);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) connectTimeout.toMillis());
        } catch (IOException e) {
            closeQuietly(s);
            throw new HttpException(502, switch (e) {
                case ConnectException c -> "upstream " + where + " refused the connection (is the server running?)";
                case UnknownHostException u -> "upstream host '" + route.host() + "' is unknown";
                case SocketTimeoutException t -> "upstream " + where + " did not accept a connection within "
                        + connectTimeout.toSeconds() + " s";
                case NoRouteToHostException n -> "no route to upstream " + where;
                default -> "cannot connect to upstream " + where + ": " + e.getMessage();
            });
        }
        try {
            if (!route.isTls()) return new Conn(s, null);
            // The connect timeout again, for the whole TLS handshake: a trickling server gets no more.
            SSLSocket secured = Deadline.finishBy(System.nanoTime() + connectTimeout.toNanos(), s, "wstap-upstream-tls-deadline",
                    connectTimeout, () -> upstreamTls.connect(s, route.host(), route.port(), route.sni()));
            boolean isSniSent = route.sni() != null && !LeafCertificates.isIpAddress(route.sni());
            return new Conn(secured, TlsInfo.of(secured, isSniSent ? route.sni() : null).withClientCertificate(upstreamTls.clientCertificateOf(secured)));
        } catch (IOException e) {
            closeQuietly(s);
            throw new HttpException(502, TlsFailures.upstream(where, e, upstreamTls.caOption()));
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
