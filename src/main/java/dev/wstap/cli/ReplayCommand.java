package dev.wstap.cli;

import com.fasterxml.jackson.core.JsonPointer;
import dev.wstap.deflate.DeflateOffer;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.filter.Expr;
import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HostPort;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.HandshakeFailed;
import dev.wstap.proxy.LocalEnd;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionRegistry;
import dev.wstap.proxy.WsClient;
import dev.wstap.proxy.WsServer;
import dev.wstap.replay.Capture;
import dev.wstap.replay.JunitReport;
import dev.wstap.replay.Pacing;
import dev.wstap.replay.Recording;
import dev.wstap.replay.ReplayDriver;
import dev.wstap.replay.ReplayException;
import dev.wstap.replay.Replayer;
import dev.wstap.replay.Side;
import dev.wstap.tap.Tap;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.Direction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Replay one side of a recorded session against a live peer, and check what the peer answers.",
            "",
            "LOG is a wstap log (wstap proxy --log FILE --log-payload full). --as client connects to URL and sends what the "
                    + "recorded client sent; --as server listens, accepts one client and plays the recorded server. "
                    + "Frames go as recorded: fragmentation, RSV bits, length forms, pings, pongs, closes, malformed frames "
                    + "(masked afresh where they were masked). permessage-deflate is negotiated anew, and messages recorded "
                    + "compressed are compressed again by wstap.",
            "",
            "By default each recorded frame waits until the peer has sent what it had sent at that point in the recording, "
                    + "counted by opcode (not compared: --expect-same compares). The live peer's pings are answered at once, "
                    + "as the recorded side answered its peer's. The live session shows as in wstap connect."},
        footer = {
            "",
            "Examples:",
            "  wstap proxy --upstream ws://127.0.0.1:9001 --log chat.jsonl --log-payload full",
            "  wstap replay chat.jsonl --as client ws://127.0.0.1:9001/",
            "  wstap replay chat.jsonl --as client ws://127.0.0.1:9001/ --expect-same \\",
            "      --ignore /ts --capture sid=/session/id --junit replay.xml",
            "  wstap replay chat.jsonl --as server --listen 9002",
            "  wstap replay chat.jsonl --as client ws://127.0.0.1:9001/ --speed 2",
            "",
            "Captured values: --capture sid=/session/id takes the value at /session/id of the first message of the peer's "
                    + "that has it; later messages sent get it in place of {{sid}} and of the value the recording had there.",
            "",
            "Exit code: 0 when every recorded frame went and the peer sent what it had in the recording (and with "
                    + "--expect-same, the same), 1 when an expectation failed (a wait timed out, a message differed, the "
                    + "session ended early, a capture found nothing), 2 when the command line, the log or the connection was "
                    + "wrong, 130 when stopped by Ctrl-C (the JUnit report then has the steps so far)."})
final class ReplayCommand implements Callable<Integer> {
    /** How much of each payload the replay's observers get: all of it, since --expect-same compares whole messages. */
    private static final int PREVIEW_BYTES = LogOptions.FULL_PAYLOAD_BYTES;
    /** How long the peer has to end the connection once the replay is over. */
    private static final Duration END_GRACE = Duration.ofSeconds(5);
    /** Headers of the recorded request that belong to that one handshake: made anew. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "content-length", "transfer-encoding");
    /** Headers of the recorded 101 that this handshake makes itself. */
    private static final Set<String> ANSWER_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol",
            "sec-websocket-extensions", "content-length", "transfer-encoding");

    @Parameters(index = "0", paramLabel = "LOG", description = "A wstap JSONL log (docs/log-format.md).")
    Path log;

    @Parameters(index = "1", paramLabel = "URL", arity = "0..1", description = "--as client: the server to connect to, ws:// or wss://.")
    String url;

    @Option(names = "--as", paramLabel = "SIDE", required = true,
            description = "The side wstap plays: ${COMPLETION-CANDIDATES}.")
    Side side;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT",
            description = "--as server: where the client connects (loopback unless a host is given; port 0 picks a free one).")
    String listen;

    @Option(names = "--session", paramLabel = "N",
            description = "Replay session N of the log (default: the first; a log appended to by several runs: the first so numbered).")
    Integer session;

    @Mixin
    ClientOptions client;

    @Option(names = "--timing", paramLabel = "HOW", defaultValue = "lockstep",
            description = "When each recorded frame goes: lockstep (default: after the peer sent what it had by then), "
                    + "original (the recorded gaps, divided by --speed), asap (at once). A close always waits for what the "
                    + "peer sent before it.")
    Pacing timing;

    @Option(names = "--speed", paramLabel = "FACTOR",
            description = "With --timing original (implied): 2 replays twice as fast, 0.5 half as fast.")
    Double speed;

    @Option(names = "--match", paramLabel = "EXPR", converter = FilterConverter.class, completionCandidates = FilterConverter.Fields.class,
            description = "Only the peer's messages and frames EXPR matches (the filter language, man wstap-filter) count "
                    + "as what a step waits for and what --expect-same compares, in the recording and live; its close always counts.")
    Expr match;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long a step waits for the peer before the replay fails (default: ${DEFAULT-VALUE}).")
    double waitTimeoutSeconds;

    @Option(names = "--capture", paramLabel = "NAME=/POINTER", converter = CaptureConverter.class,
            description = "Take NAME from the peer's first JSON message that has POINTER (NAME=/POINTER@EXPR: and that EXPR "
                    + "matches); later messages sent get it for {{NAME}} and for the value the recording had. A capture that "
                    + "finds nothing fails the replay. May be repeated.")
    List<Capture> captures = new ArrayList<>();

    @Option(names = "--expect-same",
            description = "Compare every message (and the close) the peer sends with the recorded one; differences are "
                    + "shown as a diff and fail the replay.")
    boolean isExpectSame;

    @Option(names = "--ignore", paramLabel = "/POINTER", converter = PointerConverter.class,
            description = "With --expect-same: leave this JSON pointer (and what is below it) out of the comparison. May be repeated.")
    List<JsonPointer> ignored = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the steps as a JUnit XML report to FILE, for CI.")
    Path junit;

    @Mixin
    ConsoleOptions console;

    @Mixin
    LogOptions logOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Pacing pacing = timing;
        if (speed != null) {
            if (!(speed > 0) || speed.isInfinite()) {
                throw new WstapException(ExitCodes.USAGE, "--speed " + java.math.BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString()
                        + " must be above 0: 2 is twice as fast, 0.5 half as fast");
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--timing") && timing != Pacing.original) {
                throw new WstapException(ExitCodes.USAGE, "--speed is for --timing original; --timing " + timing + " does not use it");
            }
            pacing = Pacing.original;
        }
        if (!(waitTimeoutSeconds > 0)) throw new WstapException(ExitCodes.USAGE, "--wait-timeout " + waitTimeoutSeconds + " must be above 0");
        if (!ignored.isEmpty() && !isExpectSame) throw new WstapException(ExitCodes.USAGE, "--ignore is for --expect-same");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Capture c : captures) {
            if (!names.add(c.name())) throw new WstapException(ExitCodes.USAGE, "--capture " + c.name() + " is given twice: one value a name");
        }
        LogOptions.checkReportFile("--junit", junit);
        WsUrl target = null;
        HostPort at = null;
        UpstreamTls tls = null;
        Duration timeout = client.timeout();
        if (side == Side.client) {
            if (url == null) throw new WstapException(ExitCodes.USAGE, "--as client needs the URL of the server to connect to");
            if (listen != null) throw new WstapException(ExitCodes.USAGE, "--listen is for --as server");
            target = Addresses.url("URL", url);
            try {
                tls = client.tls(target);
            } catch (WstapException e) {
                throw new WstapException(ExitCodes.USAGE, e.getMessage(), e);
            }
        } else {
            if (url != null) throw new WstapException(ExitCodes.USAGE, "--as server takes no URL: say where it listens with --listen [HOST:]PORT");
            if (listen == null) throw new WstapException(ExitCodes.USAGE, "--as server needs --listen [HOST:]PORT");
            if (!client.headers.isEmpty() || !client.subprotocols.isEmpty() || client.origin != null || !client.caFiles.isEmpty()
                    || client.isInsecure) {
                throw new WstapException(ExitCodes.USAGE, "-H, --subprotocol, --origin, --ca and --insecure are for --as client: "
                        + "--as server answers with what the recorded server answered");
            }
            at = Addresses.listen("--listen", listen);
        }
        Recording recording;
        Replayer replayer;
        Replayer.Settings settings = new Replayer.Settings(side, pacing, speed == null ? 1 : speed, match, captures, isExpectSame,
                ignored, Duration.ofMillis(Math.round(waitTimeoutSeconds * 1000)));
        try {
            recording = Recording.read(log, session);
            replayer = new Replayer(recording, settings, new SecureRandom(), line -> System.err.println("wstap replay: " + line));
        } catch (ReplayException e) {
            throw new WstapException(ExitCodes.USAGE, e.getMessage());
        }
        Tap tap = new Tap();
        console.attachTo(tap);
        logOptions.attachTo(tap, console);
        ReplayDriver driver = new ReplayDriver();
        tap.attach("replay", driver, false, Tap.LOG_QUEUE_EVENTS, ReplayDriver.INTERESTS);
        SessionRegistry sessions = new SessionRegistry();
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean isReportWritten = new java.util.concurrent.atomic.AtomicBoolean(true);
        // Run once: at the end, or when Ctrl-C stops wstap (then the replay's last step says so, and the report has the steps so far).
        Runnable stop = Shutdown.once(() -> {
            replayer.stopped(System.nanoTime(), "wstap was stopped");
            Shutdown.closeSessions(sessions, tap, Duration.ofSeconds(Shutdown.DEFAULT_GRACE_SECONDS));
            tap.close();
            isReportWritten.set(report(recording, replayer, (System.nanoTime() - started) / 1e9));
        });
        Shutdown.onSignal(stop, () -> sessions.all().forEach(s -> s.abort("wstap was stopped")));
        String what = "session " + recording.opened().conn() + " of " + log + " (line " + recording.openLine() + ", "
                + replayer.planned() + " frames of the " + side + ")";
        Session live;
        LocalEnd end;
        try {
            if (side == Side.client) {
                end = new LocalEnd(Direction.S2C, null);
                WsClient ws = WsClient.connect(request(recording, target), tls, timeout, PREVIEW_BYTES, tap, sessions, 1, null, end);
                if (client.isInsecure) System.err.println("wstap: warning: --insecure: the server's certificate is not verified");
                live = ws.session();
                System.err.println("wstap replay: playing the client of " + what + " against " + target + ", " + pacing);
            } else {
                end = new LocalEnd(Direction.C2S, null);
                try {
                    live = serve(recording, at, timeout, what, pacing, tap, sessions, end);
                } catch (WstapException e) {
                    replayer.failed(System.nanoTime(), e.getMessage());
                    stop.run();
                    throw e;
                }
            }
        } catch (HandshakeFailed e) {
            replayer.failed(System.nanoTime(), e.getMessage());
            stop.run();
            HttpResponse answer = e.response();
            if (answer != null && side == Side.client) System.err.print(new String(answer.encode(), java.nio.charset.StandardCharsets.ISO_8859_1));
            throw new WstapException(ExitCodes.USAGE, e.getMessage());
        }
        driver.run(replayer, side, live, end, settings.waitTimeout(), END_GRACE);
        stop.run();
        if (!isReportWritten.get()) return ExitCodes.FAILURE;
        return replayer.isCompleted() && replayer.failures() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Writes the JUnit report (when asked) and prints the summary; false when the report could not be written. */
    private boolean report(Recording recording, Replayer replayer, double seconds) {
        boolean isWritten = true;
        if (junit != null) {
            try {
                JunitReport.write(junit, "wstap replay " + log.getFileName() + " session " + recording.opened().conn() + " as " + side,
                        replayer.steps(), seconds);
            } catch (IOException e) {
                System.err.println("wstap: cannot write the JUnit report " + junit + ": " + e);
                isWritten = false;
            }
        }
        System.err.println("wstap replay: " + summary(replayer, seconds));
        return isWritten;
    }

    private String summary(Replayer r, double seconds) {
        String time = String.format(Locale.ROOT, " (%.2f s)", seconds);
        if (!r.isCompleted()) {
            return "stopped after " + r.sent() + " of the " + side + "'s " + r.planned() + " recorded frames" + time
                    + (r.failures() > 0 ? ": failed (above)" : "");
        }
        String awaited = r.awaitedText().isEmpty() ? "nothing, as in the recording" : "what the recording has (" + r.awaitedText() + ")";
        String base = "completed: sent the " + side + "'s " + r.planned() + " recorded frames; the " + side.peer() + " sent " + awaited;
        if (!isExpectSame) return base + ", counted, not compared (--expect-same compares)" + time;
        int compared = r.compared();
        return base + "; " + (r.failures() == 0 ? "all " + compared + " compared are the same"
                : r.failures() + " of " + compared + " compared differ (above)") + time;
    }

    /**
     * The upgrade request: the recorded one's headers (cookies, authorization, the offered
     * subprotocols and extensions ...), less those of that one handshake, with -H, --subprotocol and
     * --origin in place of their recorded counterparts.
     */
    private WsClient.Request request(Recording recording, WsUrl target) {
        List<Header> headers = new ArrayList<>();
        for (Header h : recording.opened().request().headers().list()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (HANDSHAKE_HEADERS.contains(name)) continue;
            if (name.equals("sec-websocket-protocol") && !client.subprotocols.isEmpty()) continue;
            if (name.equals("origin") && client.origin != null) continue;
            headers.add(h);
        }
        headers.addAll(client.headers);
        String recordedTarget = recording.opened().request().target();
        String targetNow = target.query() == null ? target.path() : target.path() + "?" + target.query();
        if (!recordedTarget.equals(targetNow)) {
            System.err.println("wstap replay: note: asking for " + targetNow + " (the recorded request was for " + recordedTarget + ")");
        }
        return new WsClient.Request(target, headers, client.subprotocols, client.origin);
    }

    /** Listens, accepts one client and answers its upgrade as the recorded server did, where the client's offer allows. */
    private Session serve(Recording recording, HostPort at, Duration timeout, String what, Pacing pacing, Tap tap, SessionRegistry sessions,
                          LocalEnd end) {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            try {
                server.bind(new InetSocketAddress(at.host(), at.port()));
            } catch (IOException e) {
                throw new WstapException(ExitCodes.USAGE, "cannot listen on " + at + ": " + e.getMessage(), e);
            }
            String url = "ws://" + new HostPort(at.host(), server.getLocalPort());
            System.err.println("wstap replay: playing the server of " + what + " on " + url + "/, " + pacing + "; waiting for a client");
            while (true) {
                // One client is played to; a connection that is no WebSocket client (a port check, a plain HTTP
                // request) is answered, said, and the next one awaited.
                Socket socket = server.accept();
                try {
                    return WsServer.accept(socket, timeout, request -> answer(recording, request), url, PREVIEW_BYTES, tap,
                            sessions, 1, end, () -> { });
                } catch (HandshakeFailed e) {
                    InetSocketAddress from = (InetSocketAddress) socket.getRemoteSocketAddress();
                    System.err.println("wstap replay: " + new HostPort(from.getAddress().getHostAddress(), from.getPort()) + ": "
                            + e.getMessage() + "; waiting for a client");
                }
            }
        } catch (IOException e) {
            throw new WstapException(ExitCodes.USAGE, "cannot accept a client on " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * The 101 for a client's request: the recorded answer's other headers; the recorded subprotocol
     * when the client offers it; permessage-deflate when the recording had it and the client offers
     * it, with the recorded no-context-takeover choices (which a server may make unasked, RFC 7692
     * §7.1.1) and the default windows.
     */
    static HttpResponse answer(Recording recording, HttpRequest request) {
        HttpResponse recorded = recording.opened().response();
        List<Header> headers = new ArrayList<>(Handshake.switchingProtocols(request).headers().list());
        for (Header h : recorded.headers().list()) {
            if (!ANSWER_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) headers.add(h);
        }
        String protocol = recording.opened().subprotocol();
        String offered = request.headers().joined("Sec-WebSocket-Protocol");
        if (protocol != null && offered != null
                && List.of(offered.split(",")).stream().map(String::strip).anyMatch(protocol::equals)) {
            headers.add(new Header("Sec-WebSocket-Protocol", protocol));
        }
        DeflateParameters deflate = DeflateParameters.fromResponse(recording.opened().extensions());
        List<DeflateOffer> offers = DeflateOffer.parse(request.headers().joined("Sec-WebSocket-Extensions"));
        if (deflate != null && !offers.isEmpty()) {
            DeflateOffer offer = offers.get(0);
            // A window the client asked the server to keep to is kept to (RFC 7692 §7.1.2.1): wstap compresses with it.
            DeflateParameters agreed = new DeflateParameters(deflate.isServerNoContextTakeover() || offer.isServerNoContextTakeover(),
                    deflate.isClientNoContextTakeover(), offer.serverMaxWindowBits() != 0 ? offer.serverMaxWindowBits() : DeflateParameters.DEFAULT_WINDOW_BITS,
                    DeflateParameters.DEFAULT_WINDOW_BITS);
            headers.add(new Header("Sec-WebSocket-Extensions", agreed.header()));
        }
        return new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(headers));
    }

    /** {@code --capture NAME=/pointer[@EXPR]}. */
    static final class CaptureConverter implements CommandLine.ITypeConverter<Capture> {
        @Override
        public Capture convert(String value) {
            try {
                return Capture.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --ignore /pointer}: an RFC 6901 JSON pointer. */
    static final class PointerConverter implements CommandLine.ITypeConverter<JsonPointer> {
        @Override
        public JsonPointer convert(String value) {
            if (!value.startsWith("/")) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a JSON pointer (RFC 6901): it starts with /, e.g. /ts");
            }
            try {
                return JsonPointer.compile(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a JSON pointer: " + e.getMessage());
            }
        }
    }
}
