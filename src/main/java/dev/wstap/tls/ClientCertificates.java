package dev.wstap.tls;

import dev.wstap.http.HostGlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificates wstap presents to servers that ask for one (mutual TLS), each for the upstream
 * hosts its pattern matches, or for any host. The first entry whose pattern matches the host is
 * used, patterns before the entry for any host; a server that asks for none gets none. Thread safe.
 */
public final class ClientCertificates {
    /**
     * A certificate chain and its key.
     *
     * @param hosts  the hosts it is for, or null for any
     * @param source where it came from, for messages
     */
    public record Entry(HostGlob hosts, X509Certificate[] chain, PrivateKey key, String source) {}

    /** A file given for a host pattern ({@code HOST=FILE}), or for any host (pattern null). */
    public record HostFile(HostGlob hosts, Path file) {
        /** {@code api.example.com=client.pem}, {@code *.test=c.p12} or {@code client.pem}. */
        public static HostFile parse(String value) {
            int eq = value.indexOf('=');
            if (eq > 0 && !value.substring(0, eq).contains("/")) return new HostFile(HostGlob.of(value.substring(0, eq)), Path.of(value.substring(eq + 1)));
            return new HostFile(null, Path.of(value));
        }

        String hostsText() {
            return hosts == null ? "" : hosts + "=";
        }
    }

    private final List<Entry> entries;
    /**
     * Handshakes where the server asked for a certificate: what was presented ("" for none). Weak
     * keys: an entry nobody takes (a handshake past its deadline, the probe's) goes with its socket.
     */
    private final java.util.Map<Socket, String> requests = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** No certificates: a server that asks for one gets none, and that it asked is known ({@link #takeRequest}). */
    public static ClientCertificates none() {
        return new ClientCertificates(List.of());
    }

    private ClientCertificates(List<Entry> entries) {
        List<Entry> ordered = new ArrayList<>(entries.stream().filter(e -> e.hosts() != null).toList());
        ordered.addAll(entries.stream().filter(e -> e.hosts() == null).toList());
        this.entries = List.copyOf(ordered);
    }

    /**
     * Pairs {@code certs} with {@code keys} by their host patterns. A PEM certificate needs a key
     * file with the same pattern; a PKCS#12 file ({@code .p12}, {@code .pfx}) holds its key, and is
     * opened with an empty password.
     *
     * @throws IllegalArgumentException what is wrong with the files, in one sentence
     */
    public static ClientCertificates load(List<HostFile> certs, List<HostFile> keys) throws IOException, GeneralSecurityException {
        List<Entry> entries = new ArrayList<>();
        List<HostFile> unused = new ArrayList<>(keys);
        for (HostFile cert : certs) {
            String name = cert.file().getFileName().toString().toLowerCase(Locale.ROOT);
            String source = "--client-cert " + cert.hostsText() + cert.file();
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                entries.add(pkcs12(cert, source));
                continue;
            }
            HostFile key = unused.stream().filter(k -> String.valueOf(k.hosts()).equals(String.valueOf(cert.hosts()))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(source + " needs --client-key " + cert.hostsText() + "FILE (or a .p12 file)"));
            unused.remove(key);
            List<X509Certificate> chain = Pem.readCertificates(cert.file());
            PrivateKey privateKey = Pem.readPrivateKey(key.file());
            if (!KeyMatch.isKeyOf(privateKey, chain.get(0))) {
                throw new IllegalArgumentException("the key in " + key.file() + " is not the key of the certificate in " + cert.file()
                        + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
            }
            entries.add(new Entry(cert.hosts(), chain.toArray(X509Certificate[]::new), privateKey, source));
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("--client-key " + unused.get(0).hostsText() + unused.get(0).file() + " has no --client-cert "
                    + unused.get(0).hostsText() + "FILE");
        }
        return new ClientCertificates(entries);
    }

    private static Entry pkcs12(HostFile file, String source) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file.file())) {
            store.load(in, new char[0]);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot open it with an empty password (" + e.getMessage()
                    + "); give its certificate and key as PEM files with --client-cert and --client-key", e);
        }
        for (String alias : java.util.Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Certificate[] chain = store.getCertificateChain(alias);
                PrivateKey key = (PrivateKey) store.getKey(alias, new char[0]);
                return new Entry(file.hosts(), Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new), key, source);
            }
        }
        throw new IllegalArgumentException(source + " holds no private key with its certificate");
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry for {@code host}, or null when none is for it. */
    public Entry forHost(String host) {
        for (Entry e : entries) {
            if (e.hosts() == null || e.hosts().matches(host)) return e;
        }
        return null;
    }

    /**
     * After a handshake on {@code socket}: the subject of the certificate presented, "" when the
     * server asked for one and none was for its host, null when it asked for none.
     */
    public String takeRequest(Socket socket) {
        return requests.remove(socket);
    }

    /** A key manager that answers a server's certificate request with the entry for the host connected to. */
    public X509ExtendedKeyManager keyManager() {
        return new KeyManager();
    }

    private final class KeyManager extends X509ExtendedKeyManager {
        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            if (!(socket instanceof SSLSocket tls) || tls.getHandshakeSession() == null) return null;
            Entry e = forHost(tls.getHandshakeSession().getPeerHost());
            // The JDK names key types "EC", "RSA"; BouncyCastle's provider "EC/secp256r1" and the like.
            if (e == null || Arrays.stream(keyTypes).noneMatch(t -> t.equals(e.key().getAlgorithm()) || t.startsWith(e.key().getAlgorithm() + "/"))) {
                requests.putIfAbsent(socket, "");
                return null;
            }
            requests.put(socket, e.chain()[0].getSubjectX500Principal().getName());
            return String.valueOf(entries.indexOf(e));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return alias == null ? null : entries.get(Integer.parseInt(alias)).chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return alias == null ? null : entries.get(Integer.parseInt(alias)).key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
