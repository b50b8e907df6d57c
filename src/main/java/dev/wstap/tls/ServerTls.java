package dev.wstap.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * wstap's side of TLS towards clients: it presents a leaf minted for the name the client asked for
 * (SNI), else for the host the connection was made to (CONNECT host, listen host), or one that
 * mirrors the upstream's certificate (chosen per connection, see {@link #accept(Socket, byte[], LeafChooser)}),
 * or a fixed certificate given with {@code --cert}/{@code --key}. ALPN offers only http/1.1, so
 * browsers speak WebSocket over HTTP/1.1 (RFC 6455) rather than HTTP/2. Thread safe.
 */
public final class ServerTls {
    private static final String[] ALPN = {"http/1.1"};

    /** Chooses the leaf of one handshake once the client's hello is in. */
    @FunctionalInterface
    public interface LeafChooser {
        /** {@code sni}: the name the client asked for, or null when it asked for none. */
        LeafCertificates.Leaf choose(String sni);
    }

    private final Map<SSLSocket, LeafChooser> choosers = new ConcurrentHashMap<>();
    /**
     * The name each accepted client asked for, until {@link #info} is asked: BouncyCastle's provider
     * forgets it once the handshake is over. Weak keys: a socket whose handshake failed, or whose
     * owner never asks, takes its entry with it.
     */
    private final Map<SSLSocket, String> requested = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private final LeafCertificates leaves;
    private final KeyManager keyManager;
    private final SSLContext context;

    /** With {@code leaves}, mints per host; else serves {@code fixed}. */
    private ServerTls(LeafCertificates leaves, KeyManager fixed) {
        this(leaves, fixed, null);
    }

    /** {@code keyLog}: TLS on the provider that logs its secrets there; null for the JDK's. */
    private ServerTls(LeafCertificates leaves, KeyManager fixed, KeyLog keyLog) {
        this.leaves = leaves;
        this.keyManager = leaves != null ? new SniKeyManager(leaves) : fixed;
        try {
            context = keyLog != null ? keyLog.context() : SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, null, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** The same certificates, each connection's secrets written to {@code keyLog}. */
    public ServerTls withKeyLog(KeyLog keyLog) {
        return new ServerTls(leaves, leaves != null ? null : keyManager, keyLog);
    }

    /** Leaves minted per host by {@code leaves}. */
    public static ServerTls minting(LeafCertificates leaves) {
        return new ServerTls(leaves, null);
    }

    /** One fixed certificate chain and key from PEM files. */
    public static ServerTls fixed(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Pem.readCertificates(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!KeyMatch.isKeyOf(key, chain.get(0))) {
            throw new GeneralSecurityException("the key in " + keyFile + " is not the key of the certificate in " + certFile
                    + " (" + chain.get(0).getSubjectX500Principal().getName() + "): give the key the certificate was made for");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "wstap".toCharArray();
        store.setKeyEntry("fixed", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return new ServerTls(null, kmf.getKeyManagers()[0]);
    }

    /**
     * Starts TLS as the server on an accepted connection and completes the handshake.
     *
     * @param consumed     bytes already read from {@code raw} (the start of the ClientHello)
     * @param fallbackHost the host to mint for when the client sends no SNI
     */
    public SSLSocket accept(Socket raw, byte[] consumed, String fallbackHost) throws IOException {
        return accept(raw, consumed, fallingBackTo(fallbackHost));
    }

    /** The leaf for the name the client asked for, else for {@code host} (a fixed certificate never asks). */
    public LeafChooser fallingBackTo(String host) {
        return sni -> leaves.forHost(sni != null ? sni : host);
    }

    /**
     * As above, with the leaf chosen by {@code chooser} (which may connect to the upstream first to
     * mirror its certificate); a fixed certificate is presented whatever it would choose.
     */
    public SSLSocket accept(Socket raw, byte[] consumed, LeafChooser chooser) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, new ByteArrayInputStream(consumed), true);
        tls.setUseClientMode(false);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(ALPN);
        tls.setSSLParameters(params);
        // The key manager may be asked more than once per handshake (per signature scheme): choose once.
        LeafCertificates.Leaf[] chosen = {null};
        choosers.put(tls, sni -> {
            if (sni != null) requested.put(tls, sni);
            if (chosen[0] == null) chosen[0] = chooser.choose(sni);
            return chosen[0];
        });
        try {
            tls.startHandshake();
        } finally {
            choosers.remove(tls);
        }
        return tls;
    }

    /** What the handshake of a socket {@link #accept} returned agreed on, the name the client asked for included. */
    public TlsInfo info(SSLSocket tls) {
        String sni = requested.remove(tls);
        if (sni != null) return TlsInfo.of(tls, sni);
        try {
            return TlsInfo.ofServer(tls);
        } catch (UnsupportedOperationException e) {
            return TlsInfo.of(tls, null); // BouncyCastle's provider, and a fixed certificate: the name is not known
        }
    }

    /** Whether the leaves are minted (not one fixed certificate), so that a {@link LeafChooser} has a say. */
    public boolean isMinting() {
        return leaves != null;
    }

    /** The minted leaves, or null for a fixed certificate. */
    public LeafCertificates leaves() {
        return leaves;
    }

    /** Picks the leaf per handshake, by the connection's chooser: by SNI, else its fallback host, or mirroring the upstream. Keys are EC P-256. */
    private final class SniKeyManager extends X509ExtendedKeyManager {
        private final LeafCertificates leaves;

        SniKeyManager(LeafCertificates leaves) {
            this.leaves = leaves;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            // The JDK asks for "EC"; BouncyCastle's provider (with a key log) for "EC/secp256r1" (the leaves' curve)
            // in TLS 1.3, and by key exchange ("ECDHE_ECDSA") in TLS 1.2.
            boolean isOurs = "EC".equals(keyType) || "EC/secp256r1".equals(keyType) || "ECDHE_ECDSA".equals(keyType);
            if (!isOurs || !(socket instanceof SSLSocket tls)) return null;
            LeafChooser chooser = choosers.get(tls);
            if (chooser == null) return null;
            return chooser.choose(TlsInfo.requestedServerName(tls)).alias();
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return alias == null ? null : leaves.byAlias(alias).chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return alias == null ? null : leaves.byAlias(alias).key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
