package dev.wstap.cli;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "echo", mixinStandardHelpOptions = true,
        description = {
            "Run a WebSocket echo server, for trying wstap out.",
            "",
            "Every data frame is sent back as it came (same opcode, FIN and RSV bits, unmasked, streamed so any "
                    + "size works); pings are answered with pongs; a close is answered with the same code, then the "
                    + "server closes its side. The first offered subprotocol is accepted."},
        footer = {"", "Example:", "  wstap echo --listen 9001 &", "  wstap proxy --upstream ws://127.0.0.1:9001"})
final class EchoCommand implements Callable<Integer> {
    @Option(names = {"-l", "--listen"}, paramLabel = "[wss://][HOST:]PORT", defaultValue = "127.0.0.1:9001",
            description = "Where to listen (default: ${DEFAULT-VALUE}); wss:// makes it speak TLS.")
    String listen;

    @Option(names = "--tls", description = "Speak TLS (wss://) with a certificate from the CA in --ca-dir, or --cert/--key.")
    boolean isTls;

    @Option(names = "--cert", paramLabel = "FILE", description = "With --tls: this certificate chain (PEM).")
    java.nio.file.Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The private key (PEM) for --cert.")
    java.nio.file.Path key;

    @picocli.CommandLine.Mixin
    CaOptions ca;

    @Override
    public Integer call() throws Exception {
        boolean isSecure = isTls || listen.startsWith("wss://");
        HostPort at = Addresses.listen("--listen", listen.replaceFirst("^wss?://", ""));
        dev.wstap.tls.ServerTls tls = null;
        if (isSecure && cert != null && key != null) {
            try {
                tls = dev.wstap.tls.ServerTls.fixed(cert, key);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new WstapException(ExitCodes.FAILURE, "cannot use --cert " + cert + " --key " + key + ": " + e.getMessage(), e);
            }
        } else if (isSecure) {
            tls = dev.wstap.tls.ServerTls.minting(new dev.wstap.tls.LeafCertificates(ca.loadOrCreate(), 16, "wstap echo"));
        }
        EchoServer echo = new EchoServer(at, tls, System.err::println);
        try {
            echo.start();
        } catch (IOException e) {
            throw new WstapException(ExitCodes.FAILURE, e.getMessage(), e);
        }
        System.err.println("wstap echo: " + echo.url() + "  (Ctrl-C to stop)");
        Shutdown.awaitSignal(echo::close);
        return ExitCodes.OK;
    }
}
