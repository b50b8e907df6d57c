package dev.wstap.cli;

import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.proxy.ProxyAuth;
import dev.wstap.render.ConsoleSink;
import dev.wstap.intercept.Intercept;
import dev.wstap.shell.CommandRunner;
import dev.wstap.shell.HoldOptions;
import dev.wstap.tap.Tap;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Relay WebSocket clients to servers and show every frame that crosses.",
            "",
            "Reverse mode (--upstream URL): every client connection is relayed to that server. Its upgrade request "
                    + "goes upstream with Host rewritten and the client's path and query appended to the upstream URL's path.",
            "",
            "Forward mode (no --upstream): clients use wstap as their HTTP proxy. CONNECT tunnels that start with TLS "
                    + "are intercepted with a certificate minted by wstap's CA (trust it: wstap ca trust-help); plain "
                    + "HTTP requests pass through with keep-alive, each shown as one line.",
            "",
            "Either way, frames are forwarded byte for byte as they arrive (mask keys, fragmentation, RSV bits and "
                    + "malformed frames included) and shown with any protocol violations."},
        footer = {
            "",
            "Examples:",
            "  wstap proxy --upstream ws://127.0.0.1:9001",
            "      listens on 127.0.0.1:8080: point your client at ws://127.0.0.1:8080/",
            "      instead of the server",
            "  wstap proxy -l wss://127.0.0.1:8443 -u wss://127.0.0.1:9443 --upstream-ca server-ca.pem",
            "  wstap proxy -l 8080",
            "      forward proxy: chromium --proxy-server=http://127.0.0.1:8080",
            "  wstap proxy -l socks5://127.0.0.1:1080",
            "      SOCKS5 proxy: curl --socks5-hostname 127.0.0.1:1080, chromium --proxy-server=socks5://127.0.0.1:1080",
            "  wstap proxy -u ws://127.0.0.1:9001 --quiet --log traffic.jsonl",
            "",
            "Files: the CA in ~/.wstap (or $WSTAP_HOME, or --ca-dir).",
            "In a terminal, a shell takes commands below the traffic (help lists them); Ctrl-D, quit or SIGTERM stops "
                    + "the proxy, and Ctrl-C (SIGINT) clears the line. From a pipe, commands are read line by line; there, and "
                    + "with --no-shell, Ctrl-C (SIGINT) or SIGTERM stops it. Either way open sessions get a close 1001 "
                    + "both ways, then the log is flushed."})
final class ProxyCommand implements Callable<Integer> {
    @Option(names = {"-l", "--listen"}, paramLabel = "[wss://|socks5://][HOST:]PORT", defaultValue = "127.0.0.1:8080",
            description = "Where clients connect (default: ${DEFAULT-VALUE}). Loopback unless a host is given; "
                    + "wss:// makes the listener speak TLS; socks5:// makes it a SOCKS5 proxy (forward mode: each CONNECT "
                    + "is a tunnel as an HTTP CONNECT's, TLS in it intercepted; --proxy-auth asks for that user name and password).")
    String listen;

    @Option(names = {"-u", "--upstream"}, paramLabel = "URL",
            description = "Reverse mode: the WebSocket server to relay to, ws:// or wss://HOST[:PORT][/PATH]. "
                    + "Without it wstap is a forward proxy.")
    String upstream;

    @Option(names = "--no-intercept", paramLabel = "GLOB",
            description = "Forward mode: tunnel CONNECTs to matching hosts untouched (e.g. '*.example.com'); may be repeated.")
    List<String> noIntercept = new ArrayList<>();

    @Option(names = "--no-upstream-cert",
            description = "Forward mode: answer an intercepted client's TLS with a leaf for the name it asked for (SNI, else the "
                    + "CONNECT host) alone. By default wstap first connects to the upstream and copies its certificate's names "
                    + "(CN and every DNS and IP SAN) into the leaf, as clients that check another name than the one they "
                    + "connected with need.")
    boolean isNoUpstreamCert;

    @Option(names = "--proxy-auth", paramLabel = "USER:PASS",
            description = "Forward mode: require these credentials (Basic proxy authentication; 407 without them).")
    String proxyAuth;

    @Option(names = "--no-compression",
            description = "Take permessage-deflate out of clients' upgrade requests, so that both sides talk uncompressed.")
    boolean isNoCompression;

    @Option(names = "--strict",
            description = "Act as a conforming endpoint: on a protocol violation, close the offending side (1002, 1007 or 1009) "
                    + "and the other side (1001), and say why. By default malformed frames are forwarded and flagged.")
    boolean isStrict;

    @Option(names = "--low-latency",
            description = "Give every session two platform threads of its own, for the lowest added round-trip time even "
                    + "with many sessions open. By default a session gets them only while no more than one session per core "
                    + "has them; the others share virtual threads, which give more throughput and cost less memory when many "
                    + "sessions are busy.")
    boolean isLowLatency;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "0",
            description = "Keep at most N WebSocket sessions open at once; an upgrade beyond gets 503 Service Unavailable "
                    + "and the open sessions go on (default: 0, no limit).")
    int maxSessions;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "" + ProxyConfig.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS,
            description = "Time a client has from connecting to send its first request, TLS and CONNECT included, "
                    + "and the upstream to answer it (default: ${DEFAULT-VALUE}).")
    int handshakeTimeoutSeconds;

    @Option(names = "--intercept", paramLabel = "EXPR", converter = FilterConverter.class,
            description = "Hold the data messages that match this filter expression from the start (the shell's intercept "
                    + "command sets, shows and ends it; forward, edit and drop decide). See docs/intercept.md.")
    dev.wstap.filter.Expr intercept;

    @Mixin
    HoldOptions hold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    TlsOptions tls;

    @Mixin
    ConsoleOptions console;

    @Mixin
    LogOptions log;

    @Mixin
    RedactOptions redact;

    @Mixin
    CommandOptions commands;

    @Override
    public Integer call() throws Exception {
        boolean isTlsListener = tls.isTls || listen.startsWith("wss://");
        boolean isSocks = listen.startsWith("socks5://");
        if (isSocks && (isTlsListener || upstream != null)) {
            throw new WstapException(ExitCodes.USAGE, "a socks5:// listener is a forward proxy: it takes no --upstream and no --tls");
        }
        HostPort listenAt = Addresses.listen("--listen", listen.replaceFirst("^(wss?|socks5)://", ""));
        WsUrl upstreamUrl = upstream == null ? null : Addresses.url("--upstream", upstream);
        if (maxSessions < 0) throw new WstapException(ExitCodes.USAGE, "--max-sessions " + maxSessions + " is negative (0: no limit)");
        if (handshakeTimeoutSeconds <= 0) {
            throw new WstapException(ExitCodes.USAGE, "--handshake-timeout " + handshakeTimeoutSeconds + " must be at least 1 second");
        }
        ProxyConfig config = (upstreamUrl == null ? ProxyConfig.forward(listenAt) : ProxyConfig.reverse(listenAt, upstreamUrl))
                .withMaxPreviewBytes(log.previewBytes(console))
                .withHandshakeTimeout(Duration.ofSeconds(handshakeTimeoutSeconds))
                .withListenTls(tls.listenerTls(isTlsListener))
                .withUpstreamTls(tls.upstreamTls())
                .withNoIntercept(noIntercept)
                .withUpstreamCert(!isNoUpstreamCert)
                .withSocks(isSocks)
                .withNoCompression(isNoCompression)
                .withStrict(isStrict)
                .withLowLatency(isLowLatency)
                .withMaxSessions(maxSessions);
        if (upstreamUrl == null) {
            config = config.withInterceptTls(tls.interceptTls());
            if (proxyAuth != null) {
                try {
                    config = config.withProxyAuth(ProxyAuth.parse(proxyAuth));
                } catch (IllegalArgumentException e) {
                    throw new WstapException(ExitCodes.USAGE, "--proxy-auth: " + e.getMessage());
                }
            }
            for (String glob : noIntercept) {
                try {
                    dev.wstap.http.HostGlob.of(glob);
                } catch (IllegalArgumentException e) {
                    throw new WstapException(ExitCodes.USAGE, "--no-intercept '" + glob + "': " + e.getMessage());
                }
            }
        } else if (proxyAuth != null || !noIntercept.isEmpty() || isNoUpstreamCert) {
            throw new WstapException(ExitCodes.USAGE, "--proxy-auth, --no-intercept and --no-upstream-cert are for forward mode (no --upstream)");
        }
        CommandOptions.Mode mode = commands.mode();
        Tap tap = new Tap(redact.isRedact);
        // Sessions can be intercepted whenever commands can reach them, or --intercept holds from the start.
        Intercept interceptor = null;
        if (intercept != null || mode != CommandOptions.Mode.PLAIN) {
            interceptor = new Intercept();
            try {
                interceptor.set(hold.settings(intercept, Intercept.Settings.OFF));
            } catch (IllegalArgumentException e) {
                throw new WstapException(ExitCodes.USAGE, e.getMessage());
            }
            if (intercept != null && mode == CommandOptions.Mode.PLAIN && interceptor.settings().holdTimeout() == null) {
                throw new WstapException(ExitCodes.USAGE, "--intercept with --no-shell: no command can forward what is held; "
                        + "give --hold-timeout S (and --on-timeout drop|close), or leave out --no-shell");
            }
            config = config.withSessionSetup(interceptor);
        } else if (hold.isGiven()) {
            throw new WstapException(ExitCodes.USAGE, "--hold-control, --hold-timeout, --on-timeout and --hold-max are rules for --intercept");
        }
        ConsoleSink consoleSink = console.attachTo(tap);
        log.attachTo(tap, console);
        // Rules are installed before intercept: a message a rule delays or drops is not held first.
        java.util.concurrent.atomic.AtomicReference<CommandRunner> said = new java.util.concurrent.atomic.AtomicReference<>();
        dev.wstap.rules.Rules rules = ruleOptions.rules(line -> {
            CommandRunner r = said.get();
            if (r != null) r.notice(line);
            else System.err.println("wstap: " + line);
        });
        if (ruleOptions.file != null || mode != CommandOptions.Mode.PLAIN) {
            dev.wstap.proxy.SessionSetup interceptSetup = config.setup();
            config = config.withSessionSetup(interceptSetup == null ? rules : session -> {
                rules.setUp(session);
                interceptSetup.setUp(session);
            });
        }
        ProxyServer server = new ProxyServer(config, tap);
        // Created before the proxy starts, so that a wait sees everything from the first session on.
        CommandRunner runner = mode == CommandOptions.Mode.PLAIN ? null
                : new CommandRunner(server.sessions(), tap, consoleSink, System.out, System.err);
        if (runner != null) {
            runner.intercept(interceptor);
            runner.rules(rules);
            said.set(runner);
        }
        try {
            server.start();
        } catch (IOException e) {
            tap.close();
            throw new WstapException(ExitCodes.FAILURE, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            tap.close();
            throw new WstapException(ExitCodes.USAGE, "--upstream: " + tap.shown(e.getMessage()), e);
        }
        if (!Addresses.isLoopback(listenAt.host()) && config.proxyAuth() == null) {
            System.err.println("wstap: warning: listening on " + listenAt.host() + ", reachable from other machines, "
                    + (upstreamUrl == null ? "without --proxy-auth; anyone who can connect can use this proxy"
                            : "and anyone who can connect reaches " + tap.shown(upstreamUrl.toString()) + " through wstap"));
        }
        if (tls.isInsecure) System.err.println("wstap: warning: --insecure: upstream certificates are not verified");
        if (intercept != null) System.err.println("wstap proxy: " + interceptor.describe());
        if (ruleOptions.describe(rules) != null) System.err.println("wstap proxy: " + ruleOptions.describe(rules));
        String at = new HostPort(listenAt.host(), server.port()).toString();
        String logged = (log.log != null ? "  log: " + log.log : "") + (log.har != null ? "  HAR: " + log.har : "");
        if (upstreamUrl == null) {
            String kind = isSocks ? "SOCKS5 proxy on socks5://" + at + " (set it as your client's SOCKS5 proxy)"
                    : "forward proxy on http://" + at + " (set it as your client's HTTP proxy)";
            System.err.println("wstap proxy: " + kind + "; CA "
                    + tls.leaves().ca().certificateFile() + " (see wstap ca trust-help)" + logged + "  (" + commands.howToStop(mode) + ")");
        } else {
            // A certificate minted by wstap's CA is trusted only where that CA is: say which file.
            String ca = isTlsListener && tls.cert == null
                    ? "; CA " + tls.leaves().ca().certificateFile() + " (see wstap ca trust-help)" : "";
            System.err.println("wstap proxy: " + (isTlsListener ? "wss://" : "ws://") + at + " → " + tap.shown(upstreamUrl.toString()) + ca
                    + logged + "  (" + commands.howToStop(mode) + ")");
        }
        Runnable stop = Shutdown.once(() -> {
            int open = server.sessions().size();
            System.err.println("wstap proxy: stopping" + (open == 0 ? "" : ", closing " + open + " session" + (open == 1 ? "" : "s")
                    + " with 1001") + (log.log != null || log.har != null ? "; flushing the log" : ""));
            Shutdown.stopProxy(server, tap, commands.shutdownGrace());
        });
        return commands.run(mode, runner, consoleSink, console.isColored(), new CountDownLatch(1), stop, server::close);
    }
}
