package dev.wstap.proxy;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.tls.UpstreamTls;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * wstap as a WebSocket client ({@code wstap connect}). The connection to the server is an
 * ordinary session whose client end is inside wstap: the server's frames are parsed, shown and
 * logged as in the proxy, and what the user sends goes through the {@link Injector}. That client
 * end behaves as a conforming client does on its own: it answers pings with pongs (RFC 6455
 * §5.5.2) and a close with a close (§5.5.1), masking what it sends; everything else is the user's.
 */
public final class WsClient {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What to ask for: the URL, extra headers (replacing the standard ones of the same name), subprotocols, an Origin. */
    public record Request(WsUrl url, List<Header> headers, List<String> subprotocols, String origin) {}

    private final Session session;
    private final CountDownLatch ended = new CountDownLatch(1);

    private WsClient(Session session) {
        this.session = session;
    }

    public Session session() {
        return session;
    }

    /**
     * Connects and performs the handshake; the session then runs on a thread of its own, listed in
     * {@code registry} while it is open.
     *
     * @throws HandshakeFailed naming the host and the cause, or the server's answer when it was not a verified 101
     */
    public static WsClient connect(Request r, UpstreamTls tls, Duration timeout, int maxPreviewBytes, Tap tap,
                                   SessionRegistry registry, int conn) throws HandshakeFailed {
        return connect(r, tls, timeout, maxPreviewBytes, tap, registry, conn, null);
    }

    /** As above; {@code setup}, when not null, sets the session up before its first frame (an intercept). */
    public static WsClient connect(Request r, UpstreamTls tls, Duration timeout, int maxPreviewBytes, Tap tap,
                                   SessionRegistry registry, int conn, SessionSetup setup) throws HandshakeFailed {
        AnsweringClient answering = new AnsweringClient();
        try {
            return connect(r, tls, timeout, maxPreviewBytes, tap, registry, conn, setup, answering.end);
        } catch (HandshakeFailed e) {
            answering.end.close();
            throw e;
        }
    }

    /**
     * As above, with {@code end} as the client: what it sends goes to the server; it answers nothing
     * unless its listener does (a replay sends what was recorded, pongs and close included).
     */
    public static WsClient connect(Request r, UpstreamTls tls, Duration timeout, int maxPreviewBytes, Tap tap,
                                   SessionRegistry registry, int conn, SessionSetup setup, LocalEnd end) throws HandshakeFailed {
        WsUrl url = r.url();
        Route route = new Route(url.host(), url.port(), url.isSecure(), url.host());
        Conn server;
        try {
            server = new UpstreamConnector(tls, timeout, null).connect(route);
        } catch (HttpException e) {
            throw new HandshakeFailed(e.getMessage().replace("upstream ", "server "), null);
        }
        HttpRequest request = request(r);
        HttpResponse response;
        try {
            server.out().write(request.encode());
            server.out().flush();
            server.setReadTimeout((int) timeout.toMillis());
            HeadBuffer head = new HeadBuffer();
            if (!head.readFrom(server.in())) throw new HandshakeFailed(url + " closed the connection without answering the upgrade request", null);
            response = HeadParser.parseResponse(head.head());
            server.unread(head.leftover());
            server.setReadTimeout(0);
        } catch (SocketTimeoutException e) {
            server.close();
            throw new HandshakeFailed(url + " did not answer the upgrade request within " + timeout.toSeconds() + " s", null);
        } catch (HttpException e) {
            server.close();
            throw new HandshakeFailed(url + " answered with a malformed response: " + e.getMessage(), null);
        } catch (IOException e) {
            server.close();
            throw new HandshakeFailed("the connection to " + url + " failed during the handshake: " + e.getMessage(), null);
        }
        if (response.status() != 101) {
            server.close();
            throw new HandshakeFailed(url + " answered " + response.status() + " " + response.reason()
                    + " instead of 101 Switching Protocols", response);
        }
        String mismatch = Handshake.checkAccept(request, response);
        if (mismatch != null) {
            server.close();
            throw new HandshakeFailed(url + ": " + mismatch, response);
        }
        Opened opened = new Opened(Instant.now(), conn, "wstap", url.toString(), request, response, null, server.tls);
        Session session = new Session(opened, end.conn, server, maxPreviewBytes, false, true, tap, setup);
        end.attach(session);
        WsClient client = new WsClient(session);
        registry.add(session);
        // One session: the lowest latency costs no other session anything.
        session.start(PumpThreads.PLATFORM, () -> {
            registry.remove(session);
            client.ended.countDown();
        });
        return client;
    }

    /** The upgrade request: the standard headers, then the user's, which replace standard ones of the same name. */
    public static HttpRequest request(Request r) {
        List<Header> extra = new ArrayList<>();
        if (r.origin() != null) extra.add(new Header("Origin", r.origin()));
        if (!r.subprotocols().isEmpty()) extra.add(new Header("Sec-WebSocket-Protocol", String.join(", ", r.subprotocols())));
        WsUrl url = r.url();
        String target = url.query() == null ? url.path() : url.path() + "?" + url.query();
        HttpRequest standard = Handshake.clientRequest(url.hostHeader(), target, Handshake.newKey(), extra);
        List<Header> headers = new ArrayList<>(standard.headers().list());
        for (Header h : r.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            int at = -1;
            for (int i = 0; i < headers.size(); i++) {
                if (headers.get(i).name().toLowerCase(Locale.ROOT).equals(name)) at = i;
            }
            if (at >= 0) {
                headers.set(at, h);
            } else {
                headers.add(h);
            }
        }
        return new HttpRequest(standard.method(), standard.target(), standard.version(), new dev.wstap.http.Headers(headers));
    }

    /** Whether both sides sent a close frame (so far). */
    public boolean isCleanlyClosed() {
        return session.hasSentClose(Direction.C2S) && session.hasSentClose(Direction.S2C);
    }

    /** Waits for the session to end; true when it did within {@code limit}. */
    public boolean awaitEnd(Duration limit) throws InterruptedException {
        return ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes as a client does: a close frame (unless one went already), up to {@code grace} for the
     * server's answer and its end of the connection, then the connection is dropped.
     */
    public void close(int code, String reason, Tap tap, Duration grace) throws InterruptedException {
        if (ended.getCount() == 0) return; // the session is over: there is no one to close
        if (!session.hasSentClose(Direction.C2S)) {
            try {
                new Injector(session).close(Direction.C2S, code, reason);
            } catch (IOException e) {
                // Gone already.
            }
        }
        if (!awaitEnd(grace)) session.abort("the server did not end the connection within "
                + Deadline.text(grace) + " of the close");
        awaitEnd(Duration.ofSeconds(1));
    }

    /**
     * The client end of {@code wstap connect}: it answers what a client must answer, pings with
     * pongs and a close with a close, and ends its stream after the close; the rest is the user's.
     */
    private static final class AnsweringClient implements dev.wstap.wire.FrameListener {
        final LocalEnd end = new LocalEnd(Direction.S2C, this);

        @Override
        public void onFrame(ParsedFrame frame) {
            int opcode = frame.header().opcode();
            try {
                if (opcode == Opcode.PING) {
                    end.send(FrameEncoder.frame(true, Opcode.PONG, RANDOM.nextInt(), frame.preview()));
                } else if (opcode == Opcode.CLOSE) {
                    Session session = end.session();
                    if (session == null || !session.hasSentClose(Direction.C2S)) {
                        ClosePayload close = frame.closePayload();
                        byte[] payload = (close == null ? ClosePayload.EMPTY : close.echo()).encode();
                        end.send(FrameEncoder.frame(true, Opcode.CLOSE, RANDOM.nextInt(), payload));
                    }
                    end.finish(); // nothing more from this client: the pump passes the end on to the server
                }
            } catch (IOException e) {
                // The session is ending already; its close record says how.
            }
        }
    }
}
