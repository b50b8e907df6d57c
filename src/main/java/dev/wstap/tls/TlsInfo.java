package dev.wstap.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * What a TLS connection agreed on, for the open line and the log.
 *
 * @param protocol    {@code TLSv1.3}
 * @param cipher      the cipher suite
 * @param sni         the server name the client asked for, or null
 * @param alpn        the application protocol agreed, or null
 * @param peerSubject the subject of the peer's certificate (the upstream's), or null
 * @param clientCertificate towards an upstream: the subject of the client certificate wstap
 *                    presented, "" when the server asked for one and wstap had none for it, null
 *                    when the server asked for none
 */
public record TlsInfo(String protocol, String cipher, String sni, String alpn, String peerSubject, String clientCertificate) {
    public TlsInfo(String protocol, String cipher, String sni, String alpn, String peerSubject) {
        this(protocol, cipher, sni, alpn, peerSubject, null);
    }

    /** The same, with what was said of a client certificate (see {@link #clientCertificate}). */
    public TlsInfo withClientCertificate(String presented) {
        return new TlsInfo(protocol, cipher, sni, alpn, peerSubject, presented);
    }


    /** Reads a handshaked socket; {@code sni} as sent or received, since a client session does not record it. */
    public static TlsInfo of(SSLSocket socket, String sni) {
        var session = socket.getSession();
        String subject = null;
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate x) subject = x.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            // The client side presents no certificate.
        }
        String alpn = socket.getApplicationProtocol();
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), sni, alpn == null || alpn.isEmpty() ? null : alpn, subject);
    }

    /** wstap's server side of a handshaked socket: the SNI is what the client asked for. */
    public static TlsInfo ofServer(SSLSocket socket) {
        String sni = socket.getSession() instanceof ExtendedSSLSession s ? hostName(s.getRequestedServerNames()) : null;
        return of(socket, sni);
    }

    private static String hostName(List<SNIServerName> names) {
        for (SNIServerName n : names) {
            if (n instanceof SNIHostName h) return h.getAsciiName();
        }
        return null;
    }

    /** The host name a client asked for with SNI during the handshake in progress, or null. */
    static String requestedServerName(SSLSocket socket) {
        if (!(socket.getHandshakeSession() instanceof ExtendedSSLSession session)) return null;
        return hostName(session.getRequestedServerNames());
    }
}
