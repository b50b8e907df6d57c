package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wstap ca} as a user runs it. */
class CaCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path caDir() {
        return dir.resolve("ca");
    }

    @Test
    void pathMakesTheCaOnFirstUseWithAPrivateKey() throws Exception {
        assumePosix();
        assertEquals(0, run("ca", "path", "--ca-dir", caDir().toString()));
        assertEquals(caDir().resolve("ca.pem").toString(), out.toString().strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir().resolve("ca-key.pem"))));
    }

    @Test
    void showPrintsSubjectFingerprintsAndValidityButNoKey() throws Exception {
        assertEquals(0, run("ca", "show", "--ca-dir", caDir().toString()));
        String shown = out.toString();
        assertTrue(shown.contains("subject:     OU=made on this machine - trust it only here,O=wstap,CN=wstap debugging CA"), shown);
        assertTrue(shown.matches("(?s).*SHA-256:     ([0-9A-F]{2}:){31}[0-9A-F]{2}\n.*"), shown);
        assertTrue(shown.contains("valid until: "), shown);
        assertFalse(shown.contains("PRIVATE"), "the key is never shown");
    }

    @Test
    void exportWritesTheCertificateInPemOrDer() throws Exception {
        Path pem = dir.resolve("ca-export.pem");
        Path der = dir.resolve("ca-export.der");
        assertEquals(0, run("ca", "export", "--ca-dir", caDir().toString(), pem.toString()));
        assertEquals(0, run("ca", "export", "--der", "--ca-dir", caDir().toString(), der.toString()));
        String text = Files.readString(pem);
        assertTrue(text.startsWith("-----BEGIN CERTIFICATE-----"), text);
        assertFalse(text.contains("PRIVATE"), "export never writes the key");
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        X509Certificate fromPem = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(text.getBytes()));
        assertArrayEquals(fromPem.getEncoded(), Files.readAllBytes(der));
        try (var in = Files.newInputStream(caDir().resolve("ca.pem"))) {
            assertArrayEquals(((X509Certificate) f.generateCertificate(in)).getEncoded(), fromPem.getEncoded(), "the CA's own certificate");
        }
    }

    @Test
    void trustHelpNamesEveryPlaceWithThePathFilledIn() {
        assertEquals(0, run("ca", "trust-help", "--ca-dir", caDir().toString()));
        String help = out.toString();
        String pem = caDir().resolve("ca.pem").toString();
        for (String place : new String[] {"certutil -d sql:", "Firefox", "curl --proxy http://127.0.0.1:8080 --cacert " + pem,
                "NODE_EXTRA_CA_CERTS=" + pem, "SSL_CERT_FILE=" + pem, "keytool -importcert", "update-ca-certificates"}) {
            assertTrue(help.contains(place), "trust-help lacks " + place + ":\n" + help);
        }
    }

    @Test
    void aKeyReadableByOthersIsRefusedWithTheFix() throws Exception {
        assumePosix();
        assertEquals(0, run("ca", "path", "--ca-dir", caDir().toString()));
        Path key = caDir().resolve("ca-key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(ExitCodes.FAILURE, run("ca", "show", "--ca-dir", caDir().toString()));
        assertTrue(err.toString().contains("Fix it with: chmod 600 " + key), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
    }

    @Test
    void aProxyThatNeedsTheCaRefusesAKeyOthersCanRead() throws Exception {
        // Forward mode mints certificates with the CA: it refuses to start rather than use the key.
        assumePosix();
        assertEquals(0, run("ca", "path", "--ca-dir", caDir().toString()));
        Path key = caDir().resolve("ca-key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(ExitCodes.FAILURE, run("proxy", "--listen", "127.0.0.1:0", "--ca-dir", caDir().toString(), "--no-color"));
        assertEquals("wstap: the CA key " + key + " can be read by others (mode rw-rw-r--); anyone with it can impersonate any "
                + "site to this machine. Fix it with: chmod 600 " + key, err.toString().strip());
    }

    private static void assumePosix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
    }

    @Test
    void trustHelpReachesAPipe() throws Exception {
        // In its own JVM, as `wstap ca trust-help | less` runs it: output must not be lost at exit.
        try (WstapProcess wstap = WstapProcess.start(dir, java.util.List.of(), "ca", "trust-help", "--ca-dir", caDir().toString())) {
            assertTrue(wstap.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
            assertTrue(wstap.stdoutText().contains("NODE_EXTRA_CA_CERTS=" + caDir().resolve("ca.pem")), wstap.stdoutText());
        }
    }
}
