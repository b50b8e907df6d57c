package dev.wstap.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM files: certificates and private keys in PKCS#8, PKCS#1 or SEC1 form (BouncyCastle's parser). */
public final class Pem {
    private Pem() {}

    public static String encode(Object certificateOrKey) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(s)) {
            pem.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    /** @throws java.nio.file.NoSuchFileException saying "FILE: no such file", which the JDK's says as "FILE" alone */
    private static void requireFile(Path file) throws IOException {
        if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        requireFile(file);
        List<X509Certificate> certs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) certs.add(new JcaX509CertificateConverter().getCertificate(h));
            }
        }
        if (certs.isEmpty()) throw new IOException(file + " holds no PEM certificate");
        return certs;
    }

    /** The first private key in a PEM file. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        requireFile(file);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                // RFC 5915: a SEC1 key's public key is optional, so convert the private part alone.
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
        }
        throw new IOException(file + " holds no unencrypted PEM private key");
    }
}
