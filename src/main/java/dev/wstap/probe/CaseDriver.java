package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link CaseRun} over a connection of its own to the server under test: the handshake,
 * then the run's writes, waits and drop, with the server's frames parsed on a thread of their own.
 */
public final class CaseDriver {
    /** A server frame is kept up to this: Autobahn's largest echo (9.1.6 with --full) is 16 MiB. */
    private static final int MAX_FRAME_BYTES = 32 << 20;
    private static final Object END = new Object();

    private final WsUrl url;
    private final UpstreamTls tls;
    private final dev.wstap.proxy.WsClient.Request upgrade;
    private final Duration caseTimeout;
    private final Duration connectTimeout;

    /** {@code upgrade}: the URL, and the headers, subprotocols and Origin the upgrade request carries (as {@code wstap connect}'s). */
    public CaseDriver(dev.wstap.proxy.WsClient.Request upgrade, UpstreamTls tls, Duration caseTimeout, Duration connectTimeout) {
        this.url = upgrade.url();
        this.tls = tls;
        this.upgrade = upgrade;
        this.caseTimeout = caseTimeout;
        this.connectTimeout = connectTimeout;
    }

    /** Runs {@code c}; a connection or handshake that fails is a FAILED case that says why. */
    public CaseRun.Result run(AutobahnCase c) throws InterruptedException {
        Expectation expected = Expectation.of(c);
        CaseRun run = new CaseRun(c, expected, caseTimeout, new SecureRandom());
        long started = System.nanoTime();
        Socket socket = null;
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(url.host(), url.port()), (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) connectTimeout.toMillis()); // a TLS handshake the server never answers ends too
            if (tls != null) {
                try {
                    socket = tls.connect(socket, url.host(), url.port(), url.host());
                } catch (IOException e) {
                    throw new IOException("the TLS handshake failed (is it a wss:// server?): " + e.getMessage(), e);
                }
            }
            DeflateParameters[] agreed = {null};
            String[] lenient = {null};
            InputStream in = handshake(socket, c, agreed, lenient);
            run.tolerate(lenient[0]);
            long limitMillis = caseTimeout.toMillis() * expected.timeoutFactor() * 4 + connectTimeout.toMillis() + 60_000;
            if (c.compression() != null) limitMillis += caseTimeout.toMillis() * expected.timeoutFactor() * c.compression().count();
            return play(run, agreed[0], socket, in, limitMillis, c.id());
        } catch (IOException | HttpException e) {
            return new CaseRun.Result(c.id(), c.title(), CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.FAILED, expected, List.of(), -1,
                    false, false, false, "no WebSocket session: " + e.getMessage(), "the opening handshake was never completed",
                    Duration.ofNanos(System.nanoTime() - started), List.of(), List.of());
        } finally {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closed already.
                }
            }
        }
    }

    /**
     * Runs {@code run} over {@code socket} (the opening handshake done; {@code in} reads what follows
     * it) to its end, and returns its result. A peer that stops reading cannot hold a write for ever:
     * after {@code limitMillis} the socket is closed.
     */
    static CaseRun.Result play(CaseRun run, DeflateParameters agreed, Socket socket, InputStream in, long limitMillis, String name)
            throws IOException, InterruptedException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        FrameParser parser = new FrameParser(run.isServer() ? Direction.C2S : Direction.S2C, MAX_FRAME_BYTES, events::add);
        Thread.ofVirtual().name("wstap-probe-" + name).start(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) parser.feed(buf, 0, n);
            } catch (IOException | RuntimeException gone) {
                // The connection ended: said below.
            }
            events.add(END);
        });
        OutputStream out = socket.getOutputStream();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(limitMillis);
                socket.close();
            } catch (InterruptedException | IOException done) {
                // The case ended first.
            }
        });
        try {
            run.start(System.nanoTime(), agreed);
            while (true) {
                CaseRun.Action action = run.next(System.nanoTime());
                if (action instanceof CaseRun.Action.Done) break;
                switch (action) {
                    case CaseRun.Action.Write w -> {
                        try {
                            out.write(w.bytes());
                            out.flush();
                        } catch (IOException gone) {
                            // The peer has gone: its end is read below.
                        }
                    }
                    case CaseRun.Action.Drop d -> {
                        if (!run.isServer()) socket.setSoLinger(true, 0);
                        socket.close();
                        run.ended(System.nanoTime());
                    }
                    case CaseRun.Action.Wait w -> {
                        long left = w.untilNanos() - System.nanoTime();
                        Object e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                        while (e != null) {
                            if (e == END) run.ended(System.nanoTime());
                            else run.received((dev.wstap.wire.ParsedFrame) e, System.nanoTime());
                            e = events.poll();
                        }
                    }
                    case CaseRun.Action.Done done -> { }
                }
            }
            return run.result();
        } finally {
            watchdog.interrupt();
        }
    }

    /**
     * Sends the upgrade request (offering permessage-deflate as {@code c} does) and reads a verified
     * 101; returns the input with what followed the head, and puts what was agreed in {@code agreed[0]}.
     */
    private InputStream handshake(Socket socket, AutobahnCase c, DeflateParameters[] agreed, String[] lenient) throws IOException, HttpException {
        dev.wstap.proxy.WsClient.Request asked = upgrade;
        if (c.compression() != null) {
            List<dev.wstap.http.Header> headers = new java.util.ArrayList<>(upgrade.headers());
            headers.add(new dev.wstap.http.Header("Sec-WebSocket-Extensions", c.compression().offerHeader()));
            asked = new dev.wstap.proxy.WsClient.Request(upgrade.url(), headers, upgrade.subprotocols(), upgrade.origin());
        }
        HttpRequest request = dev.wstap.proxy.WsClient.request(asked);
        socket.getOutputStream().write(request.encode());
        socket.getOutputStream().flush();
        socket.setSoTimeout((int) connectTimeout.toMillis());
        InputStream in = socket.getInputStream();
        HeadBuffer head = new HeadBuffer();
        if (!head.readFrom(in)) throw new IOException("the server closed the connection without answering the upgrade request");
        HttpResponse response = HeadParser.parseResponse(head.head());
        if (response.status() != 101) throw new IOException("the server answered " + response.status() + " " + response.reason());
        String mismatch = Handshake.checkAccept(request, response);
        if (mismatch != null) throw new IOException(mismatch);
        if (c.compression() != null) {
            String answer = response.headers().joined("Sec-WebSocket-Extensions");
            String malformed = dev.wstap.deflate.DeflateOffer.malformedAnswer(answer);
            // A client fails the connection on such an answer (RFC 7692 §5), as Autobahn's does.
            if (malformed != null) throw new IOException("the server's permessage-deflate answer '" + answer + "' breaks RFC 7692: " + malformed);
            // One that accepts no offer as offered Autobahn takes as it is, and so does wstap: it says so (NON-STRICT).
            String mismatched = dev.wstap.deflate.DeflateOffer.mismatchedAnswer(c.compression().offers(), answer);
            if (mismatched != null) lenient[0] = "the server's permessage-deflate answer '" + answer + "': " + mismatched;
            agreed[0] = DeflateParameters.fromResponse(answer);
        }
        socket.setSoTimeout(0);
        byte[] early = head.leftover();
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(early), in);
    }
}
