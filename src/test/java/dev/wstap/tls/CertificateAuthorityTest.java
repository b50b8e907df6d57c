package dev.wstap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * wstap's CA as mitmproxy's certificate store keeps its own: made on first use, a ten-year
 * self-signed CA certificate (RFC 5280 §4.2.1.9 basicConstraints and §4.2.1.3 keyUsage, both
 * critical), a key file only its owner can read, and a key that never leaves that file.
 */
class CertificateAuthorityTest {
    // RFC 5280 §4.2.1.3: KeyUsage bit positions.
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;
    private static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
    private static final String KEY_USAGE_OID = "2.5.29.15";

    @TempDir
    Path dir;

    @Test
    void firstUseWritesTheCertificateAndAKeyFileOnlyItsOwnerCanReadOrWrite() throws Exception {
        assumePosix();
        Path caDir = dir.resolve("ca");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);

        assertEquals(caDir, ca.dir());
        assertEquals(caDir.resolve("ca.pem"), ca.certificateFile());
        assertEquals(Set.of("ca.pem", "ca-key.pem"), Set.copyOf(list(caDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca-key.pem"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)));
        assertTrue(Files.readString(caDir.resolve("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"),
                "PKCS#8 PEM key file");
        assertEquals(ca.certificatePem(), Files.readString(caDir.resolve("ca.pem")));
    }

    @Test
    void theCertificateIsACriticalCaForCertificateAndCrlSigningOnly() throws Exception {
        X509Certificate cert = CertificateAuthority.loadOrCreate(dir).certificate();

        assertEquals(3, cert.getVersion());
        // RFC 5280 §4.2.1.9: basicConstraints cA=TRUE, marked critical; a path length of 0 allows leaves only.
        assertTrue(cert.getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS_OID), "basicConstraints is critical");
        assertEquals(0, cert.getBasicConstraints(), "CA:true with pathLen 0 (-1 would mean not a CA)");
        // RFC 5280 §4.2.1.3: keyCertSign and cRLSign, nothing else, marked critical.
        assertTrue(cert.getCriticalExtensionOIDs().contains(KEY_USAGE_OID), "keyUsage is critical");
        boolean[] expected = new boolean[9];
        expected[KEY_CERT_SIGN] = true;
        expected[CRL_SIGN] = true;
        assertArrayEquals(expected, cert.getKeyUsage());
        // Self-signed: issued by itself and verifiable with its own key.
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
    }

    @Test
    void theCertificateSaysItIsWstapsAndLastsTenYears() throws Exception {
        Instant before = Instant.now();
        X509Certificate cert = CertificateAuthority.loadOrCreate(dir).certificate();
        Instant after = Instant.now();

        String subject = cert.getSubjectX500Principal().getName();
        assertTrue(subject.contains("CN=wstap debugging CA"), subject);
        assertTrue(subject.contains("O=wstap"), subject);
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        // Backdated two days against clock skew, valid 3650 days from now.
        assertEquals(Duration.ofDays(3652), Duration.between(notBefore, notAfter));
        // X.509 times have whole seconds: allow the second that was cut off.
        assertTrue(between(notBefore, before.minus(Duration.ofDays(2)).minusSeconds(1), after.minus(Duration.ofDays(2))),
                "notBefore " + notBefore);
        assertTrue(between(notAfter, before.plus(Duration.ofDays(3650)).minusSeconds(1), after.plus(Duration.ofDays(3650))),
                "notAfter " + notAfter);
    }

    @Test
    void loadingAgainGivesTheSameCertificateAndKey() throws Exception {
        CertificateAuthority made = CertificateAuthority.loadOrCreate(dir);
        CertificateAuthority loaded = CertificateAuthority.load(dir);
        CertificateAuthority loadedOrMade = CertificateAuthority.loadOrCreate(dir);

        assertEquals(made.certificate(), loaded.certificate());
        assertArrayEquals(made.certificate().getEncoded(), loadedOrMade.certificate().getEncoded());
        assertArrayEquals(made.key().getEncoded(), loaded.key().getEncoded());
        assertEquals(made.certificatePem(), loaded.certificatePem());
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheChmodThatFixesIt() throws Exception {
        assumePosix();
        CertificateAuthority.loadOrCreate(dir);
        Path keyFile = dir.resolve("ca-key.pem");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        CaException e = assertThrows(CaException.class, () -> CertificateAuthority.load(dir));
        assertEquals("the CA key " + keyFile + " can be read by others (mode rw-r--r--); anyone with it can impersonate "
                + "any site to this machine. Fix it with: chmod 600 " + keyFile, e.getMessage());
        CaException again = assertThrows(CaException.class, () -> CertificateAuthority.loadOrCreate(dir));
        assertTrue(again.getMessage().contains("chmod 600 " + keyFile), again.getMessage());

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        CertificateAuthority.load(dir); // and after the fix it loads
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw-r-----", "rw----r--", "r--r--r--", "rw-rw-rw-"})
    void aKeyFileOthersCanReadIsRefused(String mode) throws Exception {
        assumePosix();
        CertificateAuthority.loadOrCreate(dir);
        Path keyFile = dir.resolve("ca-key.pem");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString(mode));

        CaException e = assertThrows(CaException.class, () -> CertificateAuthority.load(dir));
        assertTrue(e.getMessage().startsWith("the CA key " + keyFile + " can be read by others (mode " + mode + ")"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix it with: chmod 600 " + keyFile), e.getMessage());
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw--w----", "rw-----w-"})
    void aKeyFileOthersCanWriteIsRefusedToo(String mode) throws Exception {
        // Whoever can write the key can put their own in, and then sign for any site with it.
        assumePosix();
        CertificateAuthority.loadOrCreate(dir);
        Path keyFile = dir.resolve("ca-key.pem");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString(mode));

        CaException e = assertThrows(CaException.class, () -> CertificateAuthority.load(dir));
        assertTrue(e.getMessage().startsWith("the CA key " + keyFile + " can be replaced by others (mode " + mode + ")"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix it with: chmod 600 " + keyFile), e.getMessage());
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw-------", "r--------"})
    void aKeyFileOnlyItsOwnerCanUseIsAccepted(String mode) throws Exception {
        assumePosix();
        CertificateAuthority.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir.resolve("ca-key.pem"), PosixFilePermissions.fromString(mode));
        CertificateAuthority.load(dir);
    }

    @Test
    void theKeyIsMadeOwnerOnlyWhateverTheUmaskLetsThrough() throws Exception {
        // The key file is created with its mode (not chmod-ed after), so it is never readable by
        // others, not even for a moment; an umask can only take bits away.
        assumePosix();
        CertificateAuthority.loadOrCreate(dir.resolve("fresh"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("fresh/ca-key.pem"))));
        assertFalse(Files.exists(dir.resolve("fresh/ca-key.pem.tmp")), "no temporary file is left behind");
    }

    @Test
    void aCaWithOnlyOneOfItsTwoFilesIsRefused() throws Exception {
        CertificateAuthority.loadOrCreate(dir);
        Files.delete(dir.resolve("ca-key.pem"));

        CaException e = assertThrows(CaException.class, () -> CertificateAuthority.loadOrCreate(dir));
        assertEquals("the CA in " + dir + " is incomplete: ca.pem and ca-key.pem must both be there "
                + "(move the folder away to have a new CA made)", e.getMessage());
    }

    @Test
    void thePrivateKeyNeverAppearsInWhatTheCaPrints() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
        String keyPem = Files.readString(dir.resolve("ca-key.pem"), StandardCharsets.US_ASCII);
        String keyBase64 = Base64.getEncoder().encodeToString(ca.key().getEncoded());
        List<String> keyLines = keyPem.lines().filter(l -> !l.startsWith("-----")).toList();
        assertFalse(keyLines.isEmpty());

        for (String shown : List.of(ca.toString(), ca.certificatePem(), Files.readString(ca.certificateFile()),
                ca.certificate().toString())) {
            assertFalse(shown.contains("PRIVATE KEY"), shown);
            assertFalse(shown.contains(keyBase64.substring(0, 40)), shown);
            for (String line : keyLines) assertFalse(shown.contains(line), "key line '" + line + "' in: " + shown);
        }
        assertTrue(ca.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"), ca.certificatePem());
        assertTrue(ca.certificatePem().strip().endsWith("-----END CERTIFICATE-----"), ca.certificatePem());
    }

    /** Permissions are checked on POSIX file systems only; elsewhere there is nothing to test. */
    static void assumePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
    }

    private static boolean between(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    private static List<String> list(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
