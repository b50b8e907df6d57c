package dev.wstap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.TlsContexts;
import dev.wstap.testing.Waits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leaves as browsers demand them (CA/Browser Forum: at most 398 days; RFC 6125: the name in a
 * SAN, a DNS name or an IP address) and as mitmproxy mints them (backdated, cached, bounded),
 * checked by the JDK's own PKIX validator and by real TLS handshakes with host name verification.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LeafCertificatesTest {
    // RFC 5280 §4.2.1.6: GeneralName tags as java.security.cert reports them.
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1"; // RFC 5280 §4.2.1.12 id-kp-serverAuth
    private static final long MAX_BROWSER_VALIDITY_DAYS = 398;

    @TempDir
    static Path dir;

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    @BeforeAll
    static void makeCas() {
        ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"));
        otherCa = CertificateAuthority.loadOrCreate(dir.resolve("other-ca"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "example.test | 2 | example.test",
            "EXAMPLE.Test | 2 | example.test",
            "127.0.0.1    | 7 | 127.0.0.1",
            "::1          | 7 | 0:0:0:0:0:0:0:1",
            "[::1]        | 7 | 0:0:0:0:0:0:0:1"})
    void theLeafNamesItsHostInExactlyOneSubjectAltName(String host, int type, String value) throws Exception {
        X509Certificate leaf = new LeafCertificates(ca, 10).forHost(host).chain()[0];

        assertEquals(List.of(List.of(type, value)), List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertEquals(List.of(SERVER_AUTH), leaf.getExtendedKeyUsage());
        assertEquals(ca.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.test", "127.0.0.1", "::1"})
    void theChainValidatesAgainstTheCaWithPkix(String host) throws Exception {
        LeafCertificates.Leaf leaf = new LeafCertificates(ca, 10).forHost(host);

        assertEquals(2, leaf.chain().length);
        assertSame(ca.certificate(), leaf.chain()[1]);
        pkixValidate(leaf.chain()[0], ca.certificate());
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> pkixValidate(leaf.chain()[0], otherCa.certificate()));
        assertEquals(PKIXReason.NO_TRUST_ANCHOR, e.getReason(), e.getMessage());
        assertEquals("Path does not chain with any of the trust anchors", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.test", "127.0.0.1", "::1"})
    void aJdkClientThatTrustsOnlyTheCaAcceptsTheLeafForItsHostName(String host) throws Exception {
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        X509Certificate seen = handshakeWith(ServerTls.minting(leaves), host, host);

        assertEquals(leaves.forHost(host).chain()[0], seen);
    }

    @Test
    void theLeafIsChosenBySniOverTheFallbackHost() throws Exception {
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        X509Certificate seen = handshakeWith(ServerTls.minting(leaves), "fallback.test", "sni.example.test");

        assertEquals(List.of(List.of(DNS_NAME, "sni.example.test")), List.copyOf(seen.getSubjectAlternativeNames()));
        assertEquals(1, leaves.mintedCount(), "nothing minted for the fallback host");
    }

    @Test
    void hostNameVerificationIsOnSoALeafForAnotherNameIsRefused(@TempDir Path files) throws Exception {
        // A fixed certificate for example.test, while the client expects other.test.
        TlsContexts.writePem(new LeafCertificates(ca, 10).forHost("example.test"), files.resolve("c.pem"), files.resolve("k.pem"));
        ServerTls fixed = ServerTls.fixed(files.resolve("c.pem"), files.resolve("k.pem"));

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> handshakeWith(fixed, "x", "other.test"));
        assertTrue(e.getMessage().contains("No subject alternative DNS name matching other.test found"), e.getMessage());
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheLeaf() throws Exception {
        ServerTls tls = ServerTls.minting(new LeafCertificates(ca, 10));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshakeWith(tls, "127.0.0.1", "127.0.0.1", otherCa.certificate()));
        assertTrue(e.getMessage().contains("PKIX path"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.test", "127.0.0.1", "::1"})
    void theLeafIsBackdatedAndLastsUnderTheBrowsersLimit(String host) throws Exception {
        Instant before = Instant.now();
        X509Certificate leaf = new LeafCertificates(ca, 10).forHost(host).chain()[0];
        Instant after = Instant.now();

        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration validity = Duration.between(notBefore, notAfter);
        assertTrue(validity.toDays() <= MAX_BROWSER_VALIDITY_DAYS, "valid " + validity.toDays() + " days");
        assertEquals(Duration.ofDays(365 + 2), validity, "365 days from now, backdated 2 days");
        assertTrue(notBefore.isBefore(before), "notBefore " + notBefore + " is in the past");
        assertTrue(!notBefore.isBefore(before.minus(Duration.ofDays(2)).minusSeconds(1))
                && !notBefore.isAfter(after.minus(Duration.ofDays(2))), "notBefore " + notBefore + " is two days back");
        leaf.checkValidity();
    }

    @Test
    void thirtyTwoThreadsAskingForOneHostAtOnceMintOnceAndShareTheLeaf() throws Exception {
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        int threads = 32;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<LeafCertificates.Leaf>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS)) throw new AssertionError("start signal never came");
                    return leaves.forHost("busy.example.test");
                }));
            }
            assertTrue(ready.await(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS), "all threads started");
            go.countDown();
            LeafCertificates.Leaf first = results.get(0).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
            for (Future<LeafCertificates.Leaf> r : results) {
                LeafCertificates.Leaf leaf = r.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                assertSame(first.chain()[0], leaf.chain()[0]);
                assertSame(first.key(), leaf.key());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, leaves.mintedCount());
    }

    /** The SANs of {@code cert} as type:value, sorted. */
    private static List<String> sans(X509Certificate cert) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) out.add(san.get(0) + ":" + san.get(1));
        return out.stream().sorted().toList();
    }

    @Test
    void aMirroringLeafCopiesTheUpstreamsCnAndEverySanAndAddsTheRequestedName() throws Exception {
        LeafCertificates upstreamLeaves = new LeafCertificates(CertificateAuthority.loadOrCreate(dir.resolve("upstream-ca")), 10);
        X509Certificate upstream = upstreamLeaves.forNames("ws.example.test", List.of("localhost", "127.0.0.1", "ws.example.test", "::1"))
                .chain()[0];
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        X509Certificate mirrored = leaves.mirroring(upstream, "127.0.0.1").chain()[0];
        assertEquals("O=wstap (intercepted),CN=ws.example.test", mirrored.getSubjectX500Principal().getName(), "the upstream's CN, wstap's O");
        assertEquals(List.of(DNS_NAME + ":localhost", DNS_NAME + ":ws.example.test", IP_ADDRESS + ":0:0:0:0:0:0:0:1", IP_ADDRESS + ":127.0.0.1"),
                sans(mirrored));
        pkixValidate(mirrored, ca.certificate());
        // Asked for by another name, or for an upstream with other names: another leaf; the same again: the same one.
        X509Certificate byName = leaves.mirroring(upstream, "alias.example.test").chain()[0];
        assertTrue(sans(byName).contains(DNS_NAME + ":alias.example.test"), sans(byName).toString());
        X509Certificate other = upstreamLeaves.forNames("ws.example.test", List.of("ws.example.test")).chain()[0];
        assertTrue(leaves.mirroring(other, "127.0.0.1").chain()[0] != mirrored, "two upstreams with different names share no leaf");
        assertSame(mirrored, leaves.mirroring(upstream, "127.0.0.1").chain()[0]);
        assertEquals(3, leaves.mintedCount());
    }

    @Test
    void aCertificateWithItsHostInTheCnAloneIsMirroredWithThatNameAsASan() throws Exception {
        X509Certificate upstream = new LeafCertificates(CertificateAuthority.loadOrCreate(dir.resolve("old-ca")), 10).forHost("old.example.test").chain()[0];
        // forHost puts the name in a SAN too; the CN is what matters here: it is the leaf's CN.
        X509Certificate mirrored = new LeafCertificates(ca, 10).mirroring(upstream, "10.0.0.7").chain()[0];
        assertTrue(mirrored.getSubjectX500Principal().getName().contains("CN=old.example.test"), mirrored.getSubjectX500Principal().getName());
        assertEquals(List.of(DNS_NAME + ":old.example.test", IP_ADDRESS + ":10.0.0.7"), sans(mirrored));
    }

    @Test
    void aCacheHitMintsNothingAndNamesDifferingInCaseShareALeaf() {
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        X509Certificate first = leaves.forHost("Case.Example.Test").chain()[0];

        assertSame(first, leaves.forHost("case.example.test").chain()[0]);
        assertEquals(1, leaves.mintedCount());
    }

    @Test
    void theCacheKeepsAtMostItsCapacityAndEvictsTheLeastRecentlyUsed() {
        LeafCertificates leaves = new LeafCertificates(ca, 2);
        X509Certificate a = leaves.forHost("a.test").chain()[0];
        leaves.forHost("b.test");
        leaves.forHost("a.test"); // a is now the most recently used
        leaves.forHost("c.test"); // evicts b
        assertEquals(3, leaves.mintedCount());

        assertSame(a, leaves.forHost("a.test").chain()[0]);
        leaves.forHost("c.test");
        assertEquals(3, leaves.mintedCount(), "a and c are still cached");
        leaves.forHost("b.test");
        assertEquals(4, leaves.mintedCount(), "b was evicted and minted again");
    }

    @Test
    void everyLeafHasItsOwnKeyAndSerial() throws Exception {
        LeafCertificates leaves = new LeafCertificates(ca, 10);
        LeafCertificates.Leaf one = leaves.forHost("one.test");
        LeafCertificates.Leaf two = leaves.forHost("two.test");

        assertTrue(!one.chain()[0].getSerialNumber().equals(two.chain()[0].getSerialNumber()));
        assertTrue(one.chain()[0].getSerialNumber().signum() > 0, "RFC 5280 §4.1.2.2: serials are positive");
        assertTrue(!java.util.Arrays.equals(one.key().getEncoded(), two.key().getEncoded()));
        assertArrayEquals(ca.certificate().getEncoded(), one.chain()[1].getEncoded());
    }

    private static void pkixValidate(X509Certificate leaf, X509Certificate anchor) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }

    private static X509Certificate handshakeWith(ServerTls server, String fallbackHost, String clientExpects) throws Exception {
        return handshakeWith(server, fallbackHost, clientExpects, ca.certificate());
    }

    /**
     * A real handshake on loopback: {@code server} answers as wstap does, and a JDK client that
     * trusts only {@code trusted} verifies the chain and that it is for {@code clientExpects}.
     */
    private static X509Certificate handshakeWith(ServerTls server, String fallbackHost, String clientExpects,
                                                 X509Certificate trusted) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(5000);
                    SSLSocket tls = server.accept(raw, new byte[0], fallbackHost);
                    tls.getOutputStream().write('k');
                    tls.getInputStream().read(); // until the client closes
                } catch (IOException e) {
                    // The client refused the certificate: that is for the client side to report.
                }
            });
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", listener.getLocalPort()), 5000);
                SSLSocket tls = TlsContexts.handshake(TlsContexts.trusting(trusted), raw, clientExpects);
                assertEquals('k', tls.getInputStream().read());
                X509Certificate seen = TlsContexts.peerCertificate(tls);
                tls.close();
                served.get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                return seen;
            }
        }
    }
}
