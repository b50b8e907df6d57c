package dev.wstap.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.TreeSet;
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
 * Certificates signed by the {@link CertificateAuthority}, minted on demand and kept in a bounded
 * cache: one per host, or one per set of names that mirrors an upstream server's certificate (its
 * subject CN and every DNS and IP SAN, plus the name the client asked for). Every leaf has SANs (DNS
 * names, IP addresses for IPs), is backdated two days against clock skew, and lasts 365 days, under
 * the 398 that browsers accept. A leaf is cached under its CN and its whole set of names, so two
 * upstreams with different names never share one; concurrent requests for the same names mint once.
 * Thread safe.
 */
public final class LeafCertificates {
    static final Duration BACKDATE = Duration.ofDays(2);
    static final Duration VALIDITY = Duration.ofDays(365);
    public static final int DEFAULT_CAPACITY = 1000;

    /** A minted certificate and its key: the chain is the leaf, then the CA; {@code alias} names it in the cache. */
    public record Leaf(String alias, PrivateKey key, X509Certificate[] chain) {}

    /** Separates the CN and the names in an alias: no name holds it. */
    private static final String SEPARATOR = "\u0000";

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
        return forNames(host, List.of(host));
    }

    /**
     * The leaf that mirrors {@code upstream}'s certificate for a client that asked for
     * {@code requested} (its SNI, else the CONNECT host): the upstream's subject CN (else
     * {@code requested}), and its DNS and IP SANs with {@code requested} among them.
     */
    public Leaf mirroring(X509Certificate upstream, String requested) {
        List<String> names = new ArrayList<>();
        names.add(requested);
        String cn = commonName(upstream);
        try {
            Collection<List<?>> sans = upstream.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == GeneralName.dNSName || type == GeneralName.iPAddress) names.add((String) san.get(1));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // Its SANs cannot be read: the CN and the requested name will do.
        }
        // An old certificate names its host in the CN alone.
        if (cn != null && names.size() == 1 && (isIpAddress(cn) || cn.matches("[A-Za-z0-9*_.-]+"))) names.add(cn);
        return forNames(cn != null ? cn : requested, names);
    }

    /** The subject's CN, or null when it has none. */
    private static String commonName(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var rdns = subject.getRDNs(BCStyle.CN);
        return rdns.length == 0 || rdns[0].getFirst() == null ? null
                : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** The leaf with subject CN {@code commonName} and a SAN for each of {@code names} (host names, IP addresses). */
    public Leaf forNames(String commonName, Collection<String> names) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String n : names) sorted.add(normalized(n));
        // A CN that is a host name is one whatever its case; another (a company's name) is kept as it is.
        String cn = commonName.matches("[A-Za-z0-9*_.:\\[\\]-]+") ? normalized(commonName) : commonName.strip();
        return byAlias(cn + SEPARATOR + String.join(SEPARATOR, sorted));
    }

    /** A name as a SAN holds it: lower case; an IP address in the form the JDK writes it, without brackets. */
    private static String normalized(String name) {
        String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (isIpAddress(bare)) {
            try {
                return InetAddress.getByName(bare).getHostAddress(); // a literal: no lookup
            } catch (java.net.UnknownHostException e) {
                return bare.toLowerCase(Locale.ROOT);
            }
        }
        return bare.toLowerCase(Locale.ROOT);
    }

    /** The leaf an alias of {@link Leaf#alias} names: from the cache, or minted again from the names it holds. */
    public Leaf byAlias(String alias) {
        String key = alias;
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
                String[] parts = key.split(SEPARATOR);
                future.complete(mint(key, parts[0], List.of(parts).subList(1, parts.length)));
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

    private Leaf mint(String alias, String commonName, List<String> names) throws GeneralSecurityException {
        KeyPair pair = CertificateAuthority.newKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, organization).build();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, CertificateAuthority.serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName[] sans = names.stream()
                    .map(n -> new GeneralName(isIpAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate leaf = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(CertificateAuthority.SIGNATURE).build(ca.key())));
            return new Leaf(alias, pair.getPrivate(), new X509Certificate[] {leaf, ca.certificate()});
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot mint a certificate for " + String.join(", ", names) + ": " + e.getMessage(), e);
        }
    }

    /** True for IPv4 and IPv6 literals (with or without brackets), which get an IP SAN. */
    public static boolean isIpAddress(String host) {
        if (host.startsWith("[") && host.endsWith("]")) return true;
        if (host.indexOf(':') >= 0) return true;
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
