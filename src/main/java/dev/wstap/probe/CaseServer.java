package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.deflate.DeflateOffer;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.ErrorResponse;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HostPort;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.proxy.Listener;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code wstap probe --serve}: the Autobahn|Testsuite's fuzzingserver protocol, so that the client
 * test drivers projects already have for Autobahn run unchanged. A client asks
 * {@code /getCaseCount} (one text message: the count), then connects to
 * {@code /runCase?case=N&agent=NAME} for each case N from 1, where wstap plays the server's side of
 * the case and judges the client, and at last to {@code /updateReports?agent=NAME}, which writes
 * that agent's reports.
 */
public final class CaseServer implements AutoCloseable {
    private final HostPort at;
    private final List<AutobahnCase> cases;
    private final Duration caseTimeout;
    private final BiConsumer<String, List<CaseRun.Result>> onReport;
    private final Consumer<String> log;
    private final Map<String, Map<Integer, CaseRun.Result>> results = new ConcurrentHashMap<>();
    private Listener listener;

    /** {@code onReport}: an agent asked for its reports, with its results in case order. */
    public CaseServer(HostPort at, List<AutobahnCase> cases, Duration caseTimeout, BiConsumer<String, List<CaseRun.Result>> onReport,
                      Consumer<String> log) {
        this.at = at;
        this.cases = List.copyOf(cases);
        this.caseTimeout = caseTimeout;
        this.onReport = onReport;
        this.log = log;
    }

    public CaseServer start() throws IOException {
        listener = Listener.start(at, "wstap-probe-serve", this::serve);
        return this;
    }

    public int port() {
        return listener.port();
    }

    /** The results so far of {@code agent}, in case order. */
    public List<CaseRun.Result> results(String agent) {
        Map<Integer, CaseRun.Result> of = results.getOrDefault(agent, Map.of());
        return new ArrayList<>(new java.util.TreeMap<>(of).values());
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.max(1000, caseTimeout.toMillis() * 5));
            InputStream raw = socket.getInputStream();
            HeadBuffer head = new HeadBuffer();
            if (!head.readFrom(raw)) return;
            HttpRequest request = HeadParser.parseRequest(head.head());
            String target = request.target();
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            Map<String, String> query = query(target);
            if (!Handshake.isUpgrade(request)) throw new HttpException(426, "this is wstap probe's fuzzingserver; connect with a WebSocket client");
            Handshake.checkRequest(request);
            OutputStream out = socket.getOutputStream();
            switch (path) {
                case "/getCaseCount" -> {
                    accept(out, request);
                    out.write(FrameEncoder.frame(true, Opcode.TEXT, null, String.valueOf(cases.size()).getBytes(StandardCharsets.UTF_8)));
                    closeAfterTalk(socket, out, raw);
                }
                case "/runCase" -> {
                    int n = number(query.get("case"));
                    String agent = query.getOrDefault("agent", "unknown");
                    if (n < 1 || n > cases.size()) throw new HttpException(400, "case " + query.get("case") + " is not in 1-" + cases.size());
                    AutobahnCase c = cases.get(n - 1);
                    // Families 12 and 13: permessage-deflate as Autobahn's fuzzingserver agrees to it for this case.
                    DeflateParameters agreed = c.compression() == null ? null
                            : c.compression().accept(DeflateOffer.parse(request.headers().joined("Sec-WebSocket-Extensions")));
                    HttpResponse answer = Handshake.switchingProtocols(request);
                    if (agreed != null) answer = answer.withHeader("Sec-WebSocket-Extensions", agreed.header());
                    out.write(answer.encode());
                    out.flush();
                    socket.setSoTimeout(0);
                    Expectation expected = Expectation.of(c);
                    CaseRun run = new CaseRun(c, expected, caseTimeout, new SecureRandom(), true);
                    InputStream in = new SequenceInputStream(new ByteArrayInputStream(head.leftover()), raw);
                    long limit = caseTimeout.toMillis() * expected.timeoutFactor() * 4 + 60_000;
                    if (c.compression() != null) limit += caseTimeout.toMillis() * expected.timeoutFactor() * c.compression().count();
                    CaseRun.Result r = CaseDriver.play(run, agreed, socket, in, limit, c.id());
                    results.computeIfAbsent(agent, a -> new ConcurrentHashMap<>()).put(n, r);
                    log.accept(agent + " " + r.id() + ": " + r.behaviour().label() + " / close " + r.close().label());
                }
                case "/updateReports" -> {
                    String agent = query.getOrDefault("agent", "unknown");
                    accept(out, request);
                    onReport.accept(agent, results(agent));
                    closeAfterTalk(socket, out, raw);
                }
                default -> throw new HttpException(404, "no such route: /getCaseCount, /runCase?case=N&agent=NAME or /updateReports?agent=NAME");
            }
        } catch (HttpException e) {
            try {
                socket.getOutputStream().write(ErrorResponse.of(e.status(), e.getMessage()));
            } catch (IOException ignored) {
                // The client left.
            }
        } catch (IOException | InterruptedException e) {
            // The client went away.
        }
    }

    private static void accept(OutputStream out, HttpRequest request) throws IOException {
        out.write(Handshake.switchingProtocols(request).encode());
        out.flush();
    }

    /** Closes with 1000 and lets the client answer before the connection ends. */
    private static void closeAfterTalk(Socket socket, OutputStream out, InputStream in) throws IOException {
        out.write(FrameEncoder.frame(true, Opcode.CLOSE, null, new ClosePayload(1000, "").encode()));
        out.flush();
        byte[] buf = new byte[1024];
        try {
            while (in.read(buf) >= 0) {
                // The client's close and its end of the connection.
            }
        } catch (IOException timeout) {
            // It did not end: closed below.
        }
    }

    private static int number(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> query(String target) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = target.indexOf('?');
        if (q < 0) return out;
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        if (listener != null) listener.close();
    }
}
