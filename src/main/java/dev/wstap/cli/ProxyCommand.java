package dev.wstap.cli;

import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.Tap;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Relay WebSocket clients to an upstream server and show every frame that crosses.",
            "",
            "Each client connection is a numbered session. Its upgrade request goes upstream with Host "
                    + "rewritten and the client's path and query appended to the upstream URL's path; frames are "
                    + "forwarded byte for byte as they arrive (mask keys, fragmentation, RSV bits and malformed "
                    + "frames included) and shown with any protocol violations."},
        footer = {
            "",
            "Examples:",
            "  wstap proxy --upstream ws://127.0.0.1:9001",
            "      listens on 127.0.0.1:8080: point your client at ws://127.0.0.1:8080/",
            "      instead of the server",
            "  wstap proxy -l 9000 -u ws://127.0.0.1:3000/socket --view hex",
            "  wstap proxy -u ws://127.0.0.1:9001 --quiet --log traffic.jsonl",
            "",
            "Ctrl-C stops the proxy; the log is flushed first."})
final class ProxyCommand implements Callable<Integer> {
    @Option(names = {"-l", "--listen"}, paramLabel = "[HOST:]PORT", defaultValue = "127.0.0.1:8080",
            description = "Where clients connect (default: ${DEFAULT-VALUE}). Loopback unless a host is given.")
    String listen;

    @Option(names = {"-u", "--upstream"}, paramLabel = "URL", required = true,
            description = "The WebSocket server to relay to: ws://HOST[:PORT][/PATH].")
    String upstream;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time a client has to send its upgrade request, and the upstream to answer it (default: ${DEFAULT-VALUE}).")
    int handshakeTimeoutSeconds;

    @Mixin
    ConsoleOptions console;

    @Mixin
    LogOptions log;

    @Override
    public Integer call() throws Exception {
        HostPort listenAt = Addresses.listen("--listen", listen);
        WsUrl upstreamUrl = Addresses.url("--upstream", upstream);
        if (upstreamUrl.isSecure()) {
            throw new WstapException(ExitCodes.USAGE, "--upstream " + upstream + ": wss:// upstreams are not supported yet; use ws://");
        }
        if (handshakeTimeoutSeconds <= 0) {
            throw new WstapException(ExitCodes.USAGE, "--handshake-timeout " + handshakeTimeoutSeconds + " must be at least 1 second");
        }
        ProxyConfig config = ProxyConfig.reverse(listenAt, upstreamUrl)
                .withMaxPreviewBytes(console.maxPreviewBytes)
                .withHandshakeTimeout(Duration.ofSeconds(handshakeTimeoutSeconds));
        Tap tap = new Tap();
        console.attachTo(tap);
        log.attachTo(tap);
        ProxyServer server = new ProxyServer(config, tap);
        try {
            server.start();
        } catch (IOException e) {
            tap.close();
            throw new WstapException(ExitCodes.FAILURE, e.getMessage(), e);
        }
        if (!Addresses.isLoopback(listenAt.host())) {
            System.err.println("wstap: warning: listening on " + listenAt.host() + ", reachable from other machines; "
                    + "anyone who can connect can use this proxy");
        }
        System.err.println("wstap proxy: ws://" + new HostPort(listenAt.host(), server.port()) + " → " + upstreamUrl
                + (log.log != null ? "  log: " + log.log : "") + "  (Ctrl-C to stop)");
        Shutdown.awaitSignal(() -> {
            server.close();
            Shutdown.awaitSessionsEnded(server, Duration.ofSeconds(1));
            tap.close();
        });
        return ExitCodes.OK;
    }
}
