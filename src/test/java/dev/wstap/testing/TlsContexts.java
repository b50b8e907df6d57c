package dev.wstap.testing;

import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.Pem;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The JDK's own TLS, set up as a careful client or a plain server would: a client context that
 * trusts only the CAs a test names (not the JDK's trust store), a client handshake with host name
 * verification (RFC 2818 / RFC 6125 rules, as browsers apply them), and a server context that
 * always presents one certificate.
 */
public final class TlsContexts {
    private static final char[] PASSWORD = "test".toCharArray();

    private TlsContexts() {}

    /** A client context that trusts {@code cas} and nothing else. */
    public static SSLContext trusting(X509Certificate... cas) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.length; i++) store.setCertificateEntry("ca-" + i, cas[i]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A server context that always presents {@code leaf}, whatever name the client asks for. */
    public static SSLContext serving(LeafCertificates.Leaf leaf) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", leaf.key(), PASSWORD, leaf.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /**
     * Starts TLS as a client over {@code connected} and completes the handshake, verifying the
     * server's certificate chain and that it is for {@code host} (a DNS name, sent with SNI, or an
     * IP address, which gets no SNI).
     */
    public static SSLSocket handshake(SSLContext context, Socket connected, String host) throws IOException {
        return handshake(context, connected, host, (String[]) null);
    }

    /** As above, offering only {@code protocols} ({@code TLSv1.2}); null: the JDK's default ones. */
    public static SSLSocket handshake(SSLContext context, Socket connected, String host, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connected, host, connected.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters params = tls.getSSLParameters();
        if (protocols != null) params.setProtocols(protocols);
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.setSoTimeout(RawClient.readTimeoutMillis());
        tls.startHandshake();
        return tls;
    }

    /** Writes {@code leaf}'s chain and key as PEM files, as {@code --cert} and {@code --key} take them. */
    public static void writePem(LeafCertificates.Leaf leaf, Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : leaf.chain()) chain.append(Pem.encode(c));
        Files.writeString(certFile, chain, StandardCharsets.US_ASCII);
        // PKCS#8, as the CA's own key file: BouncyCastle would write a JDK EC key as SEC1 without its curve.
        Files.writeString(keyFile, Pem.encode(new JcaPKCS8Generator(leaf.key(), null)), StandardCharsets.US_ASCII);
    }

    /** The server's certificate of a handshaked client socket. */
    public static X509Certificate peerCertificate(SSLSocket tls) throws IOException {
        return (X509Certificate) tls.getSession().getPeerCertificates()[0];
    }
}
