package dev.wstap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --key} files as OpenSSL 3.0 writes them: one P-256 key as PKCS#8
 * ({@code openssl pkcs8 -topk8 -nocrypt}), as SEC1 ({@code openssl ecparam -genkey -noout}), and as
 * SEC1 without its optional public key (RFC 5915 §3; {@code openssl ec -no_public}).
 */
class PemTest {
    /** The private scalar of all three files below, as {@code openssl ec -text} prints it. */
    private static final BigInteger S = new BigInteger("2f5a95561f8e76edde1832587782ed237ca0bc31c3aa62c262101e6908469132", 16);

    private static final String PKCS8 = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgL1qVVh+Odu3eGDJY
            d4LtI3ygvDHDqmLCYhAeaQhGkTKhRANCAASVKf4J+aO2S9xblRfYxuwXmD2h29lg
            HD0yUzfKgPedfxaEsPnUkICTZMAASyvQxhKDXnBWzqMpRTPiT05SJcoH
            -----END PRIVATE KEY-----
            """;
    private static final String SEC1 = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIC9alVYfjnbt3hgyWHeC7SN8oLwxw6piwmIQHmkIRpEyoAoGCCqGSM49
            AwEHoUQDQgAElSn+CfmjtkvcW5UX2MbsF5g9odvZYBw9MlM3yoD3nX8WhLD51JCA
            k2TAAEsr0MYSg15wVs6jKUUz4k9OUiXKBw==
            -----END EC PRIVATE KEY-----
            """;
    private static final String SEC1_WITHOUT_PUBLIC_KEY = """
            -----BEGIN EC PRIVATE KEY-----
            MDECAQEEIC9alVYfjnbt3hgyWHeC7SN8oLwxw6piwmIQHmkIRpEyoAoGCCqGSM49
            AwEH
            -----END EC PRIVATE KEY-----
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {PKCS8, SEC1, SEC1_WITHOUT_PUBLIC_KEY})
    void everyFormOfOneKeyReadsAsThatKey(String pem) throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, pem);

        ECPrivateKey key = (ECPrivateKey) Pem.readPrivateKey(file);
        assertEquals(S, key.getS());
    }

    @Test
    void aFileWithoutAKeySaysSo() throws Exception {
        Path file = dir.resolve("cert.pem");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"));
        Files.writeString(file, ca.certificatePem());

        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(file));
        assertEquals(file + " holds no unencrypted PEM private key", e.getMessage());
        assertEquals(List.of(ca.certificate()), Pem.readCertificates(file));
        IOException none = assertThrows(IOException.class, () -> Pem.readCertificates(dir.resolve("ca/ca-key.pem")));
        assertEquals(dir.resolve("ca/ca-key.pem") + " holds no PEM certificate", none.getMessage());
    }
}
