package dev.wstap.cli;

import dev.wstap.tls.CaException;
import dev.wstap.tls.CertificateAuthority;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where wstap's CA lives; shared by {@code proxy} and {@code ca}. */
public final class CaOptions {
    @Option(names = "--ca-dir", paramLabel = "DIR",
            description = "Where wstap keeps its CA (ca.pem, ca-key.pem); default: $WSTAP_HOME, else ~/.wstap.")
    Path caDir;

    Path dir() {
        return caDir != null ? caDir : CertificateAuthority.defaultDir();
    }

    /** The CA, made on first use. */
    CertificateAuthority loadOrCreate() {
        try {
            return CertificateAuthority.loadOrCreate(dir());
        } catch (CaException e) {
            throw new WstapException(ExitCodes.FAILURE, e.getMessage(), e);
        }
    }
}
