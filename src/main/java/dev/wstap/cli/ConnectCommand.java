package dev.wstap.cli;

import dev.wstap.http.Header;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.HandshakeFailed;
import dev.wstap.proxy.SessionRegistry;
import dev.wstap.proxy.WsClient;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.PayloadPrinter;
import dev.wstap.intercept.Intercept;
import dev.wstap.shell.CommandRunner;
import dev.wstap.shell.LineFormat;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Redaction;
import dev.wstap.tap.Tap;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.CloseCode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Connect to a WebSocket server as a client, and show every frame as the proxy does.",
            "",
            "In a terminal a shell takes commands (send, frag, ping, close, raw ... ; help lists them); a line that "
                    + "does not start with a command is sent as a text message. From a pipe, every line is a text message "
                    + "(--binary, --hex, --jsonl: other formats; --commands: lines are commands), and the end of the input "
                    + "closes the connection. wstap answers the server's pings and close as a client must; everything else "
                    + "is yours to send. It ends when the connection does; Ctrl-D or quit closes it with 1000 first."},
        footer = {
            "",
            "Examples:",
            "  wstap connect ws://127.0.0.1:9001/chat",
            "  wstap connect wss://127.0.0.1:9443/ --ca server-ca.pem \\",
            "      -H 'Authorization: Bearer abc' --subprotocol chat.v2",
            "  echo '{\"op\":\"hello\"}' | wstap connect ws://127.0.0.1:9001/",
            "  printf '{\"n\":1}\\n{\"n\":2}\\n' | wstap connect ws://127.0.0.1:9001/ -P | jq .n",
            "  wstap connect ws://127.0.0.1:9001/ \\",
            "      -e 'send hello; expect frame --dir s2c hello'",
            "",
            "In a script (-e, --script) every line is a command: send text with send.",
            "",
            "Exit code: 0 when the connection closed cleanly (or the script's expectations held), 1 otherwise: also when a "
                    + "piped line could not be sent, or a piped command or expectation failed."})
final class ConnectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", description = "ws:// or wss://HOST[:PORT][/PATH][?QUERY]")
    String url;

    @Mixin
    ClientOptions client;

    @Option(names = "--deflate",
            description = "Offer permessage-deflate (RFC 7692), as browsers do: the server's compressed messages are shown "
                    + "inflated; wstap's own go uncompressed, which the extension allows.")
    boolean isDeflate;

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nLines from a pipe (stdin not a terminal):%n")
    PipedLines piped = new PipedLines();

    /** How the lines of a piped stdin are taken: each a text message unless one of these says otherwise. */
    static final class PipedLines {
        @Option(names = "--commands", description = "Each line is a command, as in the shell (send, ping, frag, expect ...).")
        boolean isCommands;

        @Option(names = "--binary", description = "Each line is a binary message (its UTF-8 bytes, without the newline).")
        boolean isBinary;

        @Option(names = "--hex", description = "Each line is hex digits (spaces allowed), sent as a binary message.")
        boolean isHex;

        @Option(names = "--jsonl", description = "Each line is one JSON value, checked before it is sent as a text message.")
        boolean isJsonl;

        /** The format of message lines; null when lines are commands. */
        LineFormat format() {
            if (isCommands) return null;
            return isBinary ? LineFormat.BINARY : isHex ? LineFormat.HEX : isJsonl ? LineFormat.JSONL : LineFormat.TEXT;
        }

        boolean isGiven() {
            return isCommands || isBinary || isHex || isJsonl;
        }
    }

    @Option(names = {"-P", "--payload-only"},
            description = "Print only the server's messages on stdout, one a line (text as it is, binary as hex), "
                    + "and everything else on stderr: wstap connect URL -P | jq.")
    boolean isPayloadOnly;

    @Mixin
    ConsoleOptions console;

    @Mixin
    LogOptions log;

    @Mixin
    RedactOptions redact;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    CommandOptions commands;

    @Override
    public Integer call() throws Exception {
        WsUrl target = Addresses.url("URL", url);
        Duration timeout = client.timeout();
        WsClient.Request request = new WsClient.Request(target, headers(), client.subprotocols, client.origin);
        UpstreamTls tls = client.tls(target);
        CommandOptions.Mode mode = commands.mode();
        if (piped.isGiven() && mode != CommandOptions.Mode.PIPED) {
            throw new WstapException(ExitCodes.USAGE, "--commands, --binary, --hex and --jsonl say how piped lines are sent: "
                    + "give them with a stdin that is not a terminal, and without -e or --script");
        }
        Tap tap = new Tap(redact.isRedact);
        // With -P, stdout carries the server's messages only; the console, the shell's answers and notes go to stderr.
        ConsoleSink consoleSink = console.attachTo(tap, isPayloadOnly ? FileDescriptor.err : FileDescriptor.out);
        if (isPayloadOnly) {
            tap.attach("payloads", new PayloadPrinter(new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8),
                    System.err), false, Tap.LOG_QUEUE_EVENTS, EnumSet.of(Interest.MESSAGES));
        }
        log.attachTo(tap, console);
        SessionRegistry sessions = new SessionRegistry();
        CommandRunner runner = new CommandRunner(sessions, tap, consoleSink, isPayloadOnly ? System.err : System.out, System.err);
        if (mode == CommandOptions.Mode.PIPED && piped.format() != null) {
            runner.sendEveryLine(piped.format());
        } else {
            runner.sendPlainText();
        }
        commands.quitAtEndOfInput();
        // The shell's intercept holds the server's messages (what wstap sends is the user's own already);
        // rules act on them too.
        Intercept intercept = new Intercept();
        runner.intercept(intercept);
        dev.wstap.rules.Rules rules = ruleOptions.rules(runner::notice);
        runner.rules(rules);
        WsClient ws;
        try {
            ws = WsClient.connect(request, tls, timeout, log.previewBytes(console), tap, sessions, 1,
                    mode == CommandOptions.Mode.PLAIN ? (ruleOptions.file == null ? null : rules) : session -> {
                        rules.setUp(session);
                        intercept.setUp(session);
                    });
        } catch (HandshakeFailed e) {
            tap.close();
            HttpResponse answer = e.response();
            if (answer != null) {
                if (tap.isRedacting()) answer = Redaction.response(answer);
                System.err.print(new String(answer.encode(), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            throw new WstapException(ExitCodes.FAILURE, tap.shown(e.getMessage()));
        }
        if (client.isInsecure) System.err.println("wstap: warning: --insecure: the server's certificate is not verified");
        System.err.println("wstap connect: " + tap.shown(target.toString()) + switch (mode) {
            case SHELL -> "  (type help for the commands; Ctrl-D or quit closes)";
            case PIPED -> "  (the end of the input closes)";
            case SCRIPT -> "";
            case PLAIN -> "  (Ctrl-C closes)";
        });
        CountDownLatch ended = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                ws.awaitEnd(Duration.ofDays(365 * 100));
            } catch (InterruptedException ignored) {
                // Not waiting any more.
            }
            ended.countDown();
        });
        Runnable stop = Shutdown.once(() -> {
            try {
                ws.close(CloseCode.NORMAL, "", tap, commands.shutdownGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tap.close();
        });
        int code = commands.run(mode, runner, consoleSink, console.isColored(), ended, stop,
                () -> ws.session().abort("wstap was stopped"));
        if (code != ExitCodes.OK || mode == CommandOptions.Mode.SCRIPT) return code;
        // Piped: a line that could not be sent, or a command or expectation that failed, fails the run.
        if (mode == CommandOptions.Mode.PIPED && runner.hasFailed()) return ExitCodes.FAILURE;
        return ws.isCleanlyClosed() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The user's headers, and with --deflate the offer of permessage-deflate. */
    private List<Header> headers() {
        List<Header> headers = new ArrayList<>(client.headers);
        if (isDeflate) {
            if (headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Sec-WebSocket-Extensions"))) {
                throw new WstapException(ExitCodes.USAGE, "--deflate and -H 'Sec-WebSocket-Extensions: ...': give one of them");
            }
            // What browsers offer; the window the server may ask of the client's (uncompressed) messages does not matter.
            headers.add(new Header("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        }
        return headers;
    }
}
