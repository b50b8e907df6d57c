package dev.wstap.cli;

import dev.wstap.http.Header;
import dev.wstap.http.WsUrl;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How wstap connects to a server as a client: the upgrade request's headers and the TLS trust ({@code connect}, {@code replay}). */
final class ClientOptions {
    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", converter = HeaderConverter.class,
            description = "Send this header with the upgrade request (may be repeated); it replaces a standard one of the same name.")
    List<Header> headers = new ArrayList<>();

    @Option(names = "--subprotocol", paramLabel = "NAME", description = "Offer this subprotocol (may be repeated, in order of preference).")
    List<String> subprotocols = new ArrayList<>();

    @Option(names = "--origin", paramLabel = "ORIGIN", description = "Send Origin: ORIGIN, as a browser would.")
    String origin;

    @Option(names = "--ca", paramLabel = "FILE", description = "wss: trust the CA certificates in FILE (PEM) too; may be repeated.")
    List<Path> caFiles = new ArrayList<>();

    @Option(names = {"-k", "--insecure"}, description = "wss: do not verify the server's certificate.")
    boolean isInsecure;

    @picocli.CommandLine.Mixin
    ClientCertOptions clientCerts;

    @picocli.CommandLine.Mixin
    KeyLogOptions keyLog;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time the server has to accept the connection and answer the upgrade (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Duration timeout() {
        if (timeoutSeconds <= 0) throw new WstapException(ExitCodes.USAGE, "--timeout " + timeoutSeconds + " must be at least 1 second");
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The trust for a wss:// {@code target}; null for ws://, where --ca and --insecure are mistakes. */
    UpstreamTls tls(WsUrl target) {
        if (!target.isSecure()) {
            if (isInsecure || !caFiles.isEmpty() || clientCerts.isGiven() || keyLog.file != null) {
                throw new WstapException(ExitCodes.USAGE, "--insecure, --ca, --client-cert, --client-key and --keylog are for wss:// URLs");
            }
            return null;
        }
        try {
            UpstreamTls tls = clientCerts.apply((isInsecure ? UpstreamTls.insecure() : UpstreamTls.verifying(caFiles)).withCaOption("--ca"));
            return keyLog.open() == null ? tls : tls.withKeyLog(keyLog.open());
        } catch (IOException | GeneralSecurityException e) {
            throw new WstapException(ExitCodes.USAGE, "cannot use --ca: " + e.getMessage(), e);
        }
    }

    /** {@code -H 'Name: value'}: a header name as HTTP allows (RFC 9110 §5.6.2), a colon, the value. */
    static final class HeaderConverter implements CommandLine.ITypeConverter<Header> {
        private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

        @Override
        public Header convert(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(value.substring(0, colon).strip()).matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "': say 'Name: value'");
            }
            return new Header(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
        }
    }
}
