package dev.wstap.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * wstap's own certificate authority: a key pair and a self-signed certificate, made on first use
 * and kept in a directory ({@code ~/.wstap} by default) as {@code ca.pem} and {@code ca-key.pem}.
 * The key file is mode 0600, and a key file that others can read is refused. The key is never
 * printed or logged. Thread safe once loaded.
 */
public final class CertificateAuthority {
    public static final String CERT_FILE = "ca.pem";
    public static final String KEY_FILE = "ca-key.pem";
    static final Duration VALIDITY = Duration.ofDays(3650);
    static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Loads the CA from {@code dir}, creating it first when there is none.
     *
     * @throws CaException saying what is wrong with the files and how to fix it
     */
    public static CertificateAuthority loadOrCreate(Path dir) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (Files.exists(certFile) || Files.exists(keyFile)) return load(dir);
        return create(dir);
    }

    /** Loads an existing CA; refuses a key that others may read. */
    public static CertificateAuthority load(Path dir) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            throw new CaException("the CA in " + dir + " is incomplete: " + CERT_FILE + " and " + KEY_FILE
                    + " must both be there (move the folder away to have a new CA made)");
        }
        checkPrivate(keyFile);
        try {
            return new CertificateAuthority(dir, Pem.readCertificates(certFile).get(0), Pem.readPrivateKey(keyFile));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CaException("cannot read the CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkPrivate(Path keyFile) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(keyFile);
            boolean isReadable = p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
            boolean isWritable = p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
            if (isReadable || isWritable) {
                throw new CaException("the CA key " + keyFile + " can be " + (isReadable ? "read" : "replaced")
                        + " by others (mode " + PosixFilePermissions.toString(p) + "); anyone with it can impersonate any site "
                        + "to this machine. Fix it with: chmod 600 " + keyFile);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static CertificateAuthority create(Path dir) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=wstap debugging CA, O=wstap, OU=made on this machine - trust it only here");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofDays(2))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate())));
            write(dir, cert, pair.getPrivate());
            return new CertificateAuthority(dir, cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new CaException("cannot create a CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path dir, X509Certificate cert, PrivateKey key) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system.
        }
        Path keyFile = dir.resolve(KEY_FILE);
        Path tmp = dir.resolve(KEY_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
        Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(CERT_FILE), Pem.encode(cert), StandardCharsets.US_ASCII);
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /** A positive random 127-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets). */
    static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    public Path dir() {
        return dir;
    }

    public Path certificateFile() {
        return dir.resolve(CERT_FILE);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** For signing leaves only; never to be printed, logged or exported. */
    PrivateKey key() {
        return key;
    }

    /** The certificate in PEM. */
    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** The CA directory: {@code --ca-dir}, else {@code $WSTAP_HOME}, else {@code ~/.wstap}. */
    public static Path defaultDir() {
        String home = System.getenv("WSTAP_HOME");
        if (home != null && !home.isBlank()) return Path.of(home);
        return Path.of(System.getProperty("user.home"), ".wstap");
    }
}
