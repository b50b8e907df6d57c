package dev.wstap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.TlsContexts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a key log: handshakes as before, and the NSS key log lines of each connection. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeyLogTest {
    @TempDir
    Path dir;

    @Test
    void aTls13HandshakeWithWstapAsServerLogsFourSecretsUnderTheClientsRandom() throws Exception {
        List<String> lines = handshake(null);
        assertEquals(List.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"),
                lines.stream().map(l -> l.split(" ")[0]).toList(), String.join("\n", lines));
        assertTrue(lines.stream().map(l -> l.split(" ")[1]).distinct().count() == 1, "one client random: " + lines);
        assertTrue(lines.stream().allMatch(l -> l.matches("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64}([0-9a-f]{32})?")), "SHA-256 or SHA-384 secrets: " + lines);
    }

    @Test
    void aTls12HandshakeLogsItsMasterSecretOnce() throws Exception {
        List<String> lines = handshake("TLSv1.2");
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}"), lines.get(0));
    }

    /** A handshake with wstap as the server, a byte each way, the client limited to {@code protocol} (null: any); the key log's lines. */
    private List<String> handshake(String protocol) throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"));
        Path file = dir.resolve("keys.log");
        try (KeyLog log = KeyLog.open(file); ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerTls tls = ServerTls.minting(new LeafCertificates(ca, 4)).withKeyLog(log);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket raw = listener.accept(); SSLSocket s = tls.accept(raw, new byte[0], "127.0.0.1")) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    return s.getSession().getProtocol();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 SSLSocket client = TlsContexts.handshake(TlsContexts.trusting(ca.certificate()), raw, "127.0.0.1",
                         protocol == null ? null : new String[] {protocol})) {
                client.getOutputStream().write(42);
                client.getOutputStream().flush();
                assertEquals(42, client.getInputStream().read());
            }
            assertEquals(protocol == null ? "TLSv1.3" : protocol, served.get());
        }
        return Files.readAllLines(file);
    }
}
