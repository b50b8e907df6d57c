package dev.wstap.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Per-host certificates signed by the {@link CertificateAuthority}, minted on demand and kept in a
 * bounded cache. Every leaf has a SAN (a DNS name, or an IP address for an IP), is backdated two
 * days against clock skew, and lasts 365 days, under the 398 that browsers accept. Concurrent
 * requests for the same host mint once. Thread safe.
 */
public final class LeafCertificates {
    static final Duration BACKDATE = Duration.ofDays(2);
    static final Duration VALIDITY = Duration.ofDays(365);
    public static final int DEFAULT_CAPACITY = 1000;

    /** A minted certificate and its key: the chain is the leaf, then the CA. */
    public record Leaf(PrivateKey key, X509Certificate[] chain) {}

    private final CertificateAuthority ca;
    private final int capacity;
    /** The subject's organization: what a browser's certificate viewer says the certificate is. */
    private final String organization;
    private final Map<String, CompletableFuture<Leaf>> cache;
    private volatile int minted;

    public LeafCertificates(CertificateAuthority ca, int capacity) {
        this(ca, capacity, "wstap (intercepted)");
    }

    /** Leaves for a server of wstap's own ({@code wstap echo --tls}): {@code organization} says so, not "intercepted". */
    public LeafCertificates(CertificateAuthority ca, int capacity, String organization) {
        this.organization = organization;
        this.ca = ca;
        this.capacity = capacity;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Leaf>> eldest) {
                return size() > LeafCertificates.this.capacity;
            }
        };
    }

    /** The leaf for {@code host} (a name or an IP address), minted on first use. */
    public Leaf forHost(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        CompletableFuture<Leaf> future;
        boolean isMine = false;
        synchronized (cache) {
            future = cache.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                cache.put(key, future);
                isMine = true;
            }
        }
        if (isMine) {
            try {
                future.complete(mint(key));
                minted++;
            } catch (GeneralSecurityException | RuntimeException e) {
                synchronized (cache) {
                    cache.remove(key, future);
                }
                future.completeExceptionally(e);
            }
        }
        return future.join();
    }

    /** How many leaves were minted so far: a cache hit mints none. */
    public int mintedCount() {
        return minted;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    private Leaf mint(String host) throws GeneralSecurityException {
        KeyPair pair = CertificateAuthority.newKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host)
                .addRDN(BCStyle.O, organization).build();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, CertificateAuthority.serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            // getByName does no lookup for a literal address.
            GeneralName name = isIpAddress(host)
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(bare).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate leaf = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(CertificateAuthority.SIGNATURE).build(ca.key())));
            return new Leaf(pair.getPrivate(), new X509Certificate[] {leaf, ca.certificate()});
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot mint a certificate for " + host + ": " + e.getMessage(), e);
        }
    }

    /** True for IPv4 and IPv6 literals (with or without brackets), which get an IP SAN. */
    public static boolean isIpAddress(String host) {
        if (host.startsWith("[") && host.endsWith("]")) return true;
        if (host.indexOf(':') >= 0) return true;
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
