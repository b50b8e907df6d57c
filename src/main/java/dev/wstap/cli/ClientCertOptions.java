package dev.wstap.cli;

import dev.wstap.tls.ClientCertificates;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The client certificates wstap presents to servers that require one (mutual TLS). */
final class ClientCertOptions {
    @Option(names = "--client-cert", paramLabel = "[HOST=]FILE", converter = HostFileConverter.class,
            description = "Present this certificate (PEM chain, with --client-key; or PKCS#12 .p12/.pfx with an empty password) to "
                    + "servers that ask for one; with HOST= only to the hosts it matches (*.example.com). May be repeated.")
    List<ClientCertificates.HostFile> certs = new ArrayList<>();

    @Option(names = "--client-key", paramLabel = "[HOST=]FILE", converter = HostFileConverter.class,
            description = "The private key (PEM) of the --client-cert with the same HOST=.")
    List<ClientCertificates.HostFile> keys = new ArrayList<>();

    boolean isGiven() {
        return !certs.isEmpty() || !keys.isEmpty();
    }

    /** {@code tls} presenting the certificates, or {@code tls} itself when none were given. */
    UpstreamTls apply(UpstreamTls tls) {
        if (!isGiven()) return tls;
        try {
            return tls.withClientCertificates(ClientCertificates.load(certs, keys));
        } catch (IllegalArgumentException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new WstapException(ExitCodes.USAGE, "cannot use --client-cert: " + e.getMessage(), e);
        }
    }

    /** {@code [HOST=]FILE}. */
    static final class HostFileConverter implements CommandLine.ITypeConverter<ClientCertificates.HostFile> {
        @Override
        public ClientCertificates.HostFile convert(String value) {
            try {
                return ClientCertificates.HostFile.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
