package dev.wstap.testing;

import dev.wstap.tls.CertificateAuthority;
import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.ServerTls;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The two CAs a TLS test needs: wstap's own, whose leaves wstap presents to clients, and the "real
 * server's", whose leaves the upstream presents, so that a test can tell by the issuer which of the
 * two a client saw. Both hold the same subject name, as two wstap installs would; only their keys
 * tell them apart.
 */
public final class CaPair {
    public final CertificateAuthority wstapCa;
    public final CertificateAuthority serverCa;
    public final LeafCertificates wstapLeaves;
    public final LeafCertificates serverLeaves;

    private CaPair(Path dir) {
        this.wstapCa = CertificateAuthority.loadOrCreate(dir.resolve("wstap-ca"));
        this.serverCa = CertificateAuthority.loadOrCreate(dir.resolve("server-ca"));
        this.wstapLeaves = new LeafCertificates(wstapCa, LeafCertificates.DEFAULT_CAPACITY);
        this.serverLeaves = new LeafCertificates(serverCa, LeafCertificates.DEFAULT_CAPACITY);
    }

    /** Makes both CAs under {@code dir}. */
    public static CaPair in(Path dir) {
        return new CaPair(dir);
    }

    /** What wstap presents to its clients: leaves of wstap's CA. */
    public ServerTls wstapTls() {
        return ServerTls.minting(wstapLeaves);
    }

    /** What the upstream presents: leaves of the server's CA. */
    public ServerTls serverTls() {
        return ServerTls.minting(serverLeaves);
    }

    /** wstap's verification of upstreams with {@code --upstream-ca} set to the server's CA. */
    public UpstreamTls upstreamTrustingServerCa() throws IOException, GeneralSecurityException {
        return UpstreamTls.verifying(List.of(serverCa.certificateFile()));
    }

    /** A client that trusts wstap's CA and nothing else. */
    public SSLContext clientTrustingWstap() throws IOException, GeneralSecurityException {
        return TlsContexts.trusting(wstapCa.certificate());
    }

    /** A client that trusts the server's CA and nothing else: it does not trust wstap. */
    public SSLContext clientTrustingServer() throws IOException, GeneralSecurityException {
        return TlsContexts.trusting(serverCa.certificate());
    }
}
