package dev.wstap.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * wstap's side of TLS towards servers: SNI, ALPN http/1.1, and verification against the JDK's
 * trust store plus any {@code --upstream-ca} certificates, host name included; or, with
 * {@code --insecure}, no verification at all. Thread safe.
 */
public final class UpstreamTls {
    private static final String[] ALPN = {"http/1.1"};

    private final SSLContext context;
    private final TrustManager[] trust;
    private final ClientCertificates clientCertificates;
    private final boolean isInsecure;
    private final KeyLog keyLog;
    /** The option that adds a CA to trust, for hints: {@code --upstream-ca} (proxy) or {@code --ca} (connect). */
    private String caOption = "--upstream-ca";

    private UpstreamTls(TrustManager[] trust, ClientCertificates clientCertificates, boolean isInsecure) throws GeneralSecurityException {
        this(trust, clientCertificates, isInsecure, null);
    }

    /** {@code keyLog}: TLS on the provider that logs its secrets there; null for the JDK's. */
    private UpstreamTls(TrustManager[] trust, ClientCertificates clientCertificates, boolean isInsecure, KeyLog keyLog)
            throws GeneralSecurityException {
        this.trust = trust;
        this.isInsecure = isInsecure;
        this.keyLog = keyLog;
        // Always a key manager, empty or not: so that a server's request for a client certificate is known.
        this.clientCertificates = clientCertificates != null ? clientCertificates : ClientCertificates.none();
        this.context = keyLog != null ? keyLog.context() : SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {this.clientCertificates.keyManager()}, trust, new SecureRandom());
    }

    /** Verifies servers against the JDK's trust store and {@code extraCaFiles} (PEM). */
    public static UpstreamTls verifying(List<Path> extraCaFiles) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        try (InputStream in = Files.newInputStream(cacerts)) {
            store.load(in, null);
        }
        int n = 0;
        for (Path file : extraCaFiles) {
            for (X509Certificate cert : Pem.readCertificates(file)) store.setCertificateEntry("wstap-upstream-ca-" + n++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return new UpstreamTls(tmf.getTrustManagers(), null, false);
    }

    /**
     * The same trust, presenting {@code certificates} to servers that ask for a client certificate
     * (mutual TLS): the one for the host connected to.
     */
    public UpstreamTls withClientCertificates(ClientCertificates certificates) throws GeneralSecurityException {
        UpstreamTls copy = new UpstreamTls(trust, certificates, isInsecure, keyLog);
        copy.caOption = caOption;
        return copy;
    }

    /** The same, each connection's secrets written to {@code log}. */
    public UpstreamTls withKeyLog(KeyLog log) throws GeneralSecurityException {
        UpstreamTls copy = new UpstreamTls(trust, clientCertificates, isInsecure, log);
        copy.caOption = caOption;
        return copy;
    }

    /** The same, naming {@code option} in hints as the way to add a CA (connect's is {@code --ca}). */
    public UpstreamTls withCaOption(String option) {
        UpstreamTls copy = new UpstreamTls(context, trust, clientCertificates, isInsecure, keyLog);
        copy.caOption = option;
        return copy;
    }

    private UpstreamTls(SSLContext context, TrustManager[] trust, ClientCertificates clientCertificates, boolean isInsecure, KeyLog keyLog) {
        this.context = context;
        this.trust = trust;
        this.clientCertificates = clientCertificates;
        this.isInsecure = isInsecure;
        this.keyLog = keyLog;
    }

    /**
     * After {@link #connect}: the client certificate presented to the server (its subject), "" when
     * it asked for one and wstap had none for it, null when it asked for none.
     */
    public String clientCertificateOf(SSLSocket socket) {
        return clientCertificates.takeRequest(socket);
    }

    /** The option that adds a CA to trust, for hints. */
    public String caOption() {
        return caOption;
    }

    /** Trusts every server certificate: {@code --insecure}. */
    public static UpstreamTls insecure() throws GeneralSecurityException {
        return new UpstreamTls(new TrustManager[] {new TrustingEverything()}, null, true);
    }

    /**
     * Starts TLS as the client over a connected socket and completes the handshake.
     *
     * @param sni the name to ask for (the client's SNI, or the host); left out when it is an IP address
     */
    public SSLSocket connect(Socket tcp, String host, int port, String sni) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, host, port, true);
        tls.setUseClientMode(true);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(ALPN);
        if (sni != null && !LeafCertificates.isIpAddress(sni)) params.setServerNames(List.of(new SNIHostName(sni)));
        if (!isInsecure) params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        try {
            tls.startHandshake();
        } catch (IOException e) {
            clientCertificates.takeRequest(tls);
            throw e;
        }
        return tls;
    }

    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
