package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.HttpSeen;
import dev.wstap.testing.CaPair;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.tls.CertificateAuthority;
import dev.wstap.tls.ClientCertificates;
import dev.wstap.tls.Pem;
import dev.wstap.tls.UpstreamTls;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream that requires a client certificate (Python's websockets over OpenSSL, trusting one
 * client CA): reached through wstap with the certificate for its host, refused without one (a 502
 * that says what to give), and a certificate for other hosts is not presented to it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MutualTlsUpstreamPeersTest {
    @TempDir
    static Path dir;

    private static CaPair cas;
    private static Process server;
    private static int port;
    private static Path cert;
    private static Path key;

    @BeforeAll
    static void start() throws Exception {
        cas = CaPair.in(dir);
        CertificateAuthority clientCa = CertificateAuthority.loadOrCreate(dir.resolve("client-ca"));
        cert = dir.resolve("client.pem");
        key = dir.resolve("client-key.pem");
        clientCertificate(dir.resolve("client-ca"), cert, key);
        Path serverCert = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server-key.pem");
        dev.wstap.testing.TlsContexts.writePem(cas.serverLeaves.forHost("127.0.0.1"), serverCert, serverKey);
        Peers.require();
        port = dev.wstap.cli.WstapProcess.freePort();
        server = Peers.startServer("LISTENING", Peers.python(), "websockets_echo_server.py", String.valueOf(port), "mtls", serverCert.toString(),
                serverKey.toString(), clientCa.certificateFile().toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.destroyForcibly();
    }

    /** A client certificate (id-kp-clientAuth) signed by the CA in {@code caDir}, written as PEM. */
    private static void clientCertificate(Path caDir, Path certFile, Path keyFile) throws Exception {
        X509Certificate caCert = Pem.readCertificates(caDir.resolve("ca.pem")).get(0);
        var caKey = Pem.readPrivateKey(caDir.resolve("ca-key.pem"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair pair = g.generateKeyPair();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=wstap test client"), pair.getPublic());
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
        Files.writeString(certFile, Pem.encode(c), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, Pem.encode(new JcaPKCS8Generator(pair.getPrivate(), null)), StandardCharsets.US_ASCII);
    }

    private ProxyFixture proxy(Path work, List<ClientCertificates.HostFile> certs, List<ClientCertificates.HostFile> keys) throws Exception {
        UpstreamTls tls = cas.upstreamTrustingServerCa();
        if (!certs.isEmpty()) tls = tls.withClientCertificates(ClientCertificates.load(certs, keys));
        return ProxyFixture.start(ProxyFixture.config("wss://127.0.0.1:" + port).withUpstreamTls(tls), work);
    }

    private static String echo(ProxyFixture proxy) throws Exception {
        try (JdkWsClient client = JdkWsClient.connect(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + proxy.port() + "/"))) {
            client.sendText("over mutual TLS");
            return client.nextText();
        }
    }

    @Test
    void withTheCertificateForItsHostTheUpstreamIsReached(@TempDir Path work) throws Exception {
        try (ProxyFixture proxy = proxy(work, List.of(ClientCertificates.HostFile.parse("127.0.0.1=" + cert)),
                List.of(ClientCertificates.HostFile.parse("127.0.0.1=" + key)))) {
            assertEquals("over mutual TLS", echo(proxy));
        }
    }

    @Test
    void withoutOneTheClientGetsA502ThatSaysWhatToGive(@TempDir Path work) throws Exception {
        try (ProxyFixture proxy = proxy(work, List.of(), List.of())) {
            assertThrows(Exception.class, () -> echo(proxy));
            HttpSeen seen = proxy.events().await(HttpSeen.class, e -> e.status() != 0, Duration.ofSeconds(10));
            assertEquals(502, seen.status(), proxy.events().events(HttpSeen.class).toString());
            assertTrue(seen.error().endsWith("failed: it asked for a client certificate and wstap had none for it "
                    + "(give one with --client-cert FILE --client-key FILE)"), seen.error());
        }
    }

    @Test
    void aCertificateForOtherHostsIsNotPresented(@TempDir Path work) throws Exception {
        try (ProxyFixture proxy = proxy(work, List.of(ClientCertificates.HostFile.parse("*.example.test=" + cert)),
                List.of(ClientCertificates.HostFile.parse("*.example.test=" + key)))) {
            assertThrows(Exception.class, () -> echo(proxy));
            assertEquals(502, proxy.events().await(HttpSeen.class, e -> e.status() != 0, Duration.ofSeconds(10)).status(),
                    proxy.events().events(HttpSeen.class).toString());
        }
    }

    @Test
    void aPkcs12FileHoldsBothTheCertificateAndItsKey(@TempDir Path work) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", Pem.readPrivateKey(key), new char[0], Pem.readCertificates(cert).toArray(new X509Certificate[0]));
        Path p12 = work.resolve("client.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, new char[0]);
        }
        try (ProxyFixture proxy = proxy(work, List.of(ClientCertificates.HostFile.parse(p12.toString())), List.of())) {
            assertEquals("over mutual TLS", echo(proxy));
        }
    }
}
