package dev.wstap.cli;

import dev.wstap.tls.CertificateAuthority;
import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.ServerTls;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** TLS towards clients and towards servers. */
public final class TlsOptions {
    @Option(names = "--tls", description = "Speak TLS to clients (wss://), as a wss:// listen address does.")
    boolean isTls;

    @Option(names = "--cert", paramLabel = "FILE", description = "With --tls: present this certificate chain (PEM) instead of one minted by wstap's CA.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key (PEM) for --cert.")
    Path key;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "Also trust the CA certificates in FILE (PEM) for upstream servers; may be repeated.")
    List<Path> upstreamCa = new ArrayList<>();

    @Option(names = {"-k", "--insecure"}, description = "Do not verify upstream servers' certificates.")
    boolean isInsecure;

    @Mixin
    CaOptions ca;

    @Mixin
    ClientCertOptions clientCerts;

    @Mixin
    KeyLogOptions keyLog;

    private LeafCertificates leaves;

    /** Minted leaves, the CA made on first use. */
    LeafCertificates leaves() {
        if (leaves == null) {
            CertificateAuthority authority = ca.loadOrCreate();
            leaves = new LeafCertificates(authority, LeafCertificates.DEFAULT_CAPACITY);
        }
        return leaves;
    }

    /** The listener's TLS, or null when it speaks plain ws. */
    ServerTls listenerTls(boolean isWanted) {
        if (!isWanted) {
            if (cert != null || key != null) throw new WstapException(ExitCodes.USAGE, "--cert and --key need --tls or a wss:// listen address");
            return null;
        }
        if ((cert == null) != (key == null)) throw new WstapException(ExitCodes.USAGE, "--cert and --key go together");
        if (cert == null) return logged(ServerTls.minting(leaves()));
        try {
            return logged(ServerTls.fixed(cert, key));
        } catch (IOException | GeneralSecurityException e) {
            throw new WstapException(ExitCodes.FAILURE, "cannot use --cert " + cert + " --key " + key + ": " + e.getMessage(), e);
        }
    }

    /** Forward mode: TLS towards clients inside CONNECT tunnels, with leaves of wstap's CA. */
    ServerTls interceptTls() {
        return logged(ServerTls.minting(leaves()));
    }

    /** {@code tls}, its secrets logged when --keylog or SSLKEYLOGFILE asks. */
    private ServerTls logged(ServerTls tls) {
        return keyLog.open() == null ? tls : tls.withKeyLog(keyLog.open());
    }

    UpstreamTls upstreamTls() {
        try {
            UpstreamTls tls = clientCerts.apply(isInsecure ? UpstreamTls.insecure() : UpstreamTls.verifying(upstreamCa));
            return keyLog.open() == null ? tls : tls.withKeyLog(keyLog.open());
        } catch (IOException | GeneralSecurityException e) {
            throw new WstapException(ExitCodes.USAGE, "cannot use --upstream-ca: " + e.getMessage(), e);
        }
    }
}
