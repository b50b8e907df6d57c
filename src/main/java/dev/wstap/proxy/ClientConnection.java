package dev.wstap.proxy;

import dev.wstap.http.Authority;
import dev.wstap.http.BodyFraming;
import dev.wstap.http.ErrorResponse;
import dev.wstap.http.Extensions;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HeadRewriter;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.tls.ServerTls;
import dev.wstap.tls.TlsFailures;
import dev.wstap.tls.TlsInfo;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * One accepted client connection, from its first byte to its last. TLS first when the listener
 * speaks it; then HTTP requests one after another (keep-alive), each routed by a {@link Router}:
 * plain requests are relayed with their bodies and shown as one line each, an upgrade is relayed
 * (RFC 6455 §4), verified, and becomes a {@link Session}. In forward mode a CONNECT opens a tunnel,
 * intercepted when it starts with a TLS ClientHello. Whatever goes wrong gets an HTTP answer and
 * one line: 400, 407, 408, 431, 502, 503, 504, 508 (a request for wstap's own listen address).
 */
final class ClientConnection {
    private static final int DRAIN_MILLIS = 1000;
    private static final long MAX_DRAIN_BYTES = 1 << 20;
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;

    private final int conn;
    private final Socket socket;
    private final ProxyConfig config;
    private final Tap tap;
    private final SessionRegistry registry;
    private final UpstreamConnector connector;
    private final SessionSlots slots;
    private Conn client;
    /** This connection holds one of the session slots: from its upgrade until the session takes it over. */
    private boolean hasSlot;
    /** The connections became a session's, which closes them when it ends. */
    private boolean isHandedOff;
    private String clientAddress = "?";
    /**
     * When the client's first request must be complete (nanoTime): one deadline from accepting the
     * connection, across every stage before it (TLS at a TLS listener, CONNECT, TLS interception),
     * so that a slow client cannot earn a fresh timeout at each stage.
     */
    private long handshakeDeadline;

    private final PumpThreads.Choice threads;

    ClientConnection(int conn, Socket socket, ProxyConfig config, Tap tap, SessionRegistry registry, UpstreamConnector connector,
                     SessionSlots slots, PumpThreads.Choice threads) {
        this.conn = conn;
        this.threads = threads;
        this.socket = socket;
        this.config = config;
        this.tap = tap;
        this.registry = registry;
        this.connector = connector;
        this.slots = slots;
    }

    void run() {
        handshakeDeadline = System.nanoTime() + config.handshakeTimeout().toNanos();
        try {
            socket.setTcpNoDelay(true);
            client = new Conn(socket, null);
            clientAddress = client.address();
            if (config.listenTls() != null && !startListenerTls()) return;
            if (config.isSocks()) {
                socks();
                return;
            }
            if (!config.isForward()) {
                converse(Router.reverse(config.upstream()), null, null);
                return;
            }
            HeadBuffer head = readRequestHead(true);
            if (head == null) return;
            HttpRequest first = HeadParser.parseRequest(head.head());
            if (first.method().equals("CONNECT")) {
                tunnel(first, head);
            } else {
                converse(Router.absoluteForm(config.proxyAuth()), head, null);
            }
        } catch (HttpException e) {
            reject(null, null, e);
        } catch (IOException e) {
            emitHttp(null, null, 0, "", "client connection failed: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug must cost this connection only, with one line, never a stack trace on the console.
            reject(null, null, new HttpException(500, "wstap failed on this connection: " + e));
        } finally {
            giveBackSlot();
            if (!isHandedOff) {
                if (client != null) client.close();
                closeQuietly(socket);
            }
        }
    }

    private void giveBackSlot() {
        if (hasSlot) slots.give();
        hasSlot = false;
    }

    private boolean startListenerTls() {
        try {
            SSLSocket tls = acceptTls(config.listenTls(), new byte[0], config.listenTls().fallingBackTo(config.listen().host()));
            client = new Conn(tls, config.listenTls().info(tls));
            return true;
        } catch (IOException e) {
            emitHttp(null, null, 0, "", TlsFailures.client(clientAddress, e));
            return false;
        }
    }

    /**
     * An upstream connection made before the client's first request (to mirror its certificate),
     * or why it could not be made.
     */
    private record Early(Route route, Conn upstream, HttpException failure) {}

    /** Requests one after another while the connection is kept alive; the first may use {@code early}'s connection. */
    private void converse(Router router, HeadBuffer firstHead, Early early) throws IOException, HttpException {
        Conn upstream = early != null ? early.upstream() : null;
        Route current = early != null && early.upstream() != null ? early.route() : null;
        HeadBuffer head = firstHead;
        boolean isFirst = true;
        try {
            while (true) {
                if (head == null) head = readRequestHead(isFirst);
                if (head == null) return;
                isFirst = false;
                HttpRequest request = HeadParser.parseRequest(head.head());
                Target target;
                boolean isUpgrade;
                try {
                    target = router.route(request);
                    isUpgrade = Handshake.isUpgrade(request);
                    if (isUpgrade) Handshake.checkRequest(request);
                } catch (HttpException e) {
                    reject(request, null, e);
                    return;
                }
                String url = target.url(isUpgrade);
                BodyFraming requestBody;
                try {
                    requestBody = BodyFraming.ofRequest(request); // a body of doubtful length never reaches the upstream
                } catch (HttpException e) {
                    reject(request, url, e);
                    return;
                }
                if (isUpgrade) {
                    // Before the upstream is asked: a session over the limit costs it nothing.
                    hasSlot = slots.tryTake();
                    if (!hasSlot) {
                        reject(request, url, new HttpException(503, "wstap has " + slots.max() + " session"
                                + (slots.max() == 1 ? "" : "s") + " open, as many as --max-sessions allows; try again once one has closed"));
                        return;
                    }
                }
                if (early != null && early.failure() != null && upstream == null && target.route().equals(early.route())) {
                    // Tried before the client's TLS was answered: the same 502 now, without waiting for it again.
                    reject(request, url, early.failure());
                    return;
                }
                if (upstream == null || !target.route().equals(current)) {
                    if (upstream != null) upstream.close();
                    try {
                        upstream = connector.connect(target.route());
                    } catch (HttpException e) {
                        upstream = null;
                        reject(request, url, e);
                        return;
                    }
                    current = target.route();
                }
                client.unread(head.leftover());
                byte[] relayed = relayedHead(head, request, target, isUpgrade);
                if (isUpgrade) {
                    upgrade(request, relayed, url, upstream);
                    return;
                }
                if (!exchange(request, requestBody, relayed, url, upstream)) return;
                head = null;
            }
        } finally {
            if (upstream != null && !isHandedOff) upstream.close();
        }
    }

    /**
     * The request head as it goes upstream: target, Host and proxy headers as the route says, and
     * with {@code --no-compression} the compression offers taken out of an upgrade, so that the
     * peers talk uncompressed (an explicit choice; never done silently).
     */
    private byte[] relayedHead(HeadBuffer head, HttpRequest request, Target target, boolean isUpgrade) {
        String offers = request.headers().joined("Sec-WebSocket-Extensions");
        if (!config.isNoCompression() || !isUpgrade || offers == null) {
            return HeadRewriter.rewriteRequest(head.head(), target.upstreamTarget(), target.hostHeader(), target.dropHeaders());
        }
        String kept = Extensions.withoutCompression(offers);
        java.util.Set<String> drop = new java.util.HashSet<>(target.dropHeaders());
        if (kept == null) drop.add("sec-websocket-extensions");
        return HeadRewriter.rewriteRequest(head.head(), target.upstreamTarget(), target.hostHeader(), drop,
                kept == null ? java.util.Map.of() : java.util.Map.of("sec-websocket-extensions", kept));
    }

    /** Relays an upgrade; on a verified 101 the connection becomes a session. */
    private void upgrade(HttpRequest request, byte[] relayed, String url, Conn upstream) throws IOException {
        try {
            upstream.out().write(relayed);
        } catch (IOException e) {
            reject(request, url, new HttpException(502, upstreamFailed(upstream, where(url), e)));
            return;
        }
        HeadBuffer responseHead = readUpstreamHead(upstream, request, url, true);
        if (responseHead == null) return;
        HttpResponse response = parseResponse(responseHead, request, url);
        if (response == null) return;
        client.setReadTimeout(0);
        upstream.setReadTimeout(0);
        if (response.status() != 101) {
            giveBackSlot(); // no session: what follows is plain bytes until either side closes
            emitHttp(request, url, response.status(), response.reason(), null);
            client.out().write(responseHead.head());
            upstream.unread(responseHead.leftover());
            BytePipe.run(client, upstream);
            return;
        }
        String mismatch = Handshake.checkAccept(request, response);
        if (mismatch != null) {
            reject(request, url, new HttpException(502, mismatch));
            return;
        }
        client.out().write(responseHead.head());
        upstream.unread(responseHead.leftover());
        Opened opened = new Opened(Instant.now(), conn, clientAddress, url, request, response, client.tls, upstream.tls);
        Session session = new Session(opened, client, upstream, config.maxPreviewBytes(), config.isStrict(), false, tap, config.setup());
        registry.add(session);
        // The session owns both connections from here on and runs on threads of its own, so this
        // thread's stack, with the handshake's buffers and heads, is not kept alive by an idle session.
        isHandedOff = true;
        hasSlot = false; // the session gives it back when it ends
        PumpThreads pumpThreads = threads.take();
        session.start(pumpThreads, () -> {
            threads.ended(pumpThreads);
            registry.remove(session);
            slots.give();
        });
    }

    /**
     * Relays one plain HTTP exchange with its bodies; returns whether the connection may carry another.
     * No deadline on the answer: only the upstream knows how long it takes.
     */
    private boolean exchange(HttpRequest request, BodyFraming requestBody, byte[] relayed, String url, Conn upstream)
            throws IOException {
        client.setReadTimeout(0);
        try {
            upstream.out().write(relayed);
            // RFC 9110 §10.1.1: with Expect: 100-continue the client sends its body only after an
            // interim 100 (or when it tires of waiting), so the body is passed on when that comes.
            boolean isBodySent = requestBody.kind() == BodyFraming.Kind.NONE;
            if (!isBodySent && !request.headers().hasToken("Expect", "100-continue")) {
                BodyCopier.copy(client, upstream.out(), requestBody, 400);
                isBodySent = true;
            }
            while (true) {
                HeadBuffer head = isBodySent ? readUpstreamHead(upstream, request, url, false) : awaitInterim(upstream, request, url);
                if (head == NO_ANSWER_YET) {
                    // The upstream ignores Expect and waits for the body, as many do: send it.
                    BodyCopier.copy(client, upstream.out(), requestBody, 400);
                    isBodySent = true;
                    continue;
                }
                if (head == null) return false;
                HttpResponse response = parseResponse(head, request, url);
                if (response == null) return false;
                boolean isInterim = response.status() >= 100 && response.status() < 200 && response.status() != 101;
                // A body of doubtful length is refused before any of its answer reaches the client.
                BodyFraming responseBody = isInterim ? BodyFraming.NONE : BodyFraming.ofResponse(request, response);
                client.out().write(head.head());
                upstream.unread(head.leftover());
                if (isInterim) {
                    if (response.status() == 100 && !isBodySent) {
                        BodyCopier.copy(client, upstream.out(), requestBody, 400);
                        isBodySent = true;
                    }
                    continue;
                }
                try {
                    BodyCopier.copy(upstream, client.out(), responseBody, 502);
                } catch (HttpException e) {
                    // Its head has gone to the client already: the connection's end tells the client.
                    emitHttp(request, url, response.status(), response.reason(),
                            "the upstream's body was malformed, so the connection was dropped: " + e.getMessage());
                    return false;
                }
                emitHttp(request, url, response.status(), response.reason(), null);
                // A final answer before the body (a 417, a 401) leaves the client free to send it or not: start afresh.
                return isBodySent && responseBody.kind() != BodyFraming.Kind.UNTIL_CLOSE
                        && BodyFraming.isPersistent(request.version(), request.headers())
                        && BodyFraming.isPersistent(response.version(), response.headers());
            }
        } catch (HttpException e) {
            reject(request, url, e);
            return false;
        }
    }

    /** A head that says the upstream has not answered yet: see {@link #awaitInterim}. */
    private static final HeadBuffer NO_ANSWER_YET = new HeadBuffer(0);
    private static final Duration EXPECT_WAIT = Duration.ofSeconds(1);

    /**
     * Waits up to {@link #EXPECT_WAIT} for the upstream's answer to a request whose body waits for
     * a 100: its head, null when it failed (the client got a 502), or {@link #NO_ANSWER_YET}.
     */
    private HeadBuffer awaitInterim(Conn upstream, HttpRequest request, String url) {
        HeadBuffer head = new HeadBuffer(config.maxHeadBytes());
        try {
            if (fill(upstream, head, System.nanoTime() + EXPECT_WAIT.toNanos())) return head;
        } catch (SocketTimeoutException e) {
            if (head.size() == 0) return NO_ANSWER_YET;
        } catch (IOException | HttpException e) {
            // Read on below: the same failure is reported there, as for any answer.
        }
        return readUpstreamHead(upstream, head, request, url, Long.MAX_VALUE); // an answer has begun, or failed
    }

    /** Forward mode: {@code CONNECT host:port}, then TLS interception, a plain tunnel, or an untouched one. */
    private void tunnel(HttpRequest connect, HeadBuffer head) throws IOException, HttpException {
        Authority authority = Authority.parse(connect.target());
        String where = authority.toString();
        try {
            if (config.proxyAuth() != null) config.proxyAuth().check(connect);
            connector.refuseLoop(authority.host(), authority.port());
        } catch (HttpException e) {
            reject(connect, where, e);
            return;
        }
        client.out().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.unread(head.leftover());
        intoTunnel(connect, authority);
    }

    /**
     * A SOCKS5 listener (RFC 1928): the handshake within the handshake deadline, then the CONNECT's
     * stream is a tunnel like an HTTP CONNECT's, shown as {@code CONNECT host:port}.
     */
    private void socks() throws IOException, HttpException {
        Socks5Handshake handshake = new Socks5Handshake(config.proxyAuth());
        byte[] buf = new byte[1024];
        Socks5Handshake.Step step;
        do {
            long millisLeft = (handshakeDeadline - System.nanoTime()) / 1_000_000;
            int n;
            try {
                if (millisLeft <= 0) throw new SocketTimeoutException();
                client.setReadTimeout((int) Math.min(Integer.MAX_VALUE, millisLeft));
                n = client.in().read(buf);
            } catch (SocketTimeoutException e) {
                emitHttp(null, null, 408, "Request Timeout", "no complete SOCKS5 request within " + config.handshakeTimeout().toSeconds() + " s");
                return;
            }
            if (n < 0) {
                emitHttp(null, null, 0, "", "client closed the connection during its SOCKS5 handshake");
                return;
            }
            step = handshake.feed(buf, 0, n);
            if (step.reply().length > 0) client.out().write(step.reply());
        } while (step.state() == Socks5Handshake.State.MORE);
        if (step.state() == Socks5Handshake.State.REFUSED) {
            emitHttp(null, null, 0, "", "SOCKS5: " + step.why());
            client.shutdownOutput();
            drainBriefly();
            return;
        }
        Authority authority = step.target();
        HttpRequest connect = new HttpRequest("CONNECT", authority.toString(), "SOCKS/5", new dev.wstap.http.Headers(java.util.List.of()));
        try {
            connector.refuseLoop(authority.host(), authority.port());
        } catch (HttpException e) {
            client.out().write(Socks5Handshake.reply(Socks5Handshake.REPLY_NOT_ALLOWED));
            emitHttp(connect, authority.toString(), e.status(), ErrorResponse.reasonPhrase(e.status()), e.getMessage());
            return;
        }
        client.out().write(Socks5Handshake.reply(Socks5Handshake.REPLY_OK));
        client.unread(handshake.leftover());
        intoTunnel(connect, authority);
    }

    /** A tunnel to {@code authority} is open (CONNECT answered): TLS interception, a plain tunnel, or an untouched one. */
    private void intoTunnel(HttpRequest connect, Authority authority) throws IOException, HttpException {
        String where = authority.toString();
        byte[] first = readFirstBytes();
        if (first == null) return;
        boolean isTls = first[0] == TLS_HANDSHAKE_RECORD;
        if (!isTls || isExcluded(authority.host()) || config.interceptTls() == null) client.unread(first);
        if (isExcluded(authority.host()) || (isTls && config.interceptTls() == null)) {
            Conn upstream;
            try {
                upstream = connector.connect(new Route(authority.host(), authority.port(), false, null));
            } catch (HttpException e) {
                emitHttp(connect, where, 0, "", e.getMessage());
                return;
            }
            emitHttp(connect, where, 200, "Connection established", null);
            try (upstream) {
                BytePipe.run(client, upstream);
            }
            return;
        }
        if (!isTls) {
            converse(Router.tunnel(authority, false, null), null, null);
            return;
        }
        SSLSocket tls;
        Early[] early = {null};
        try {
            // first: the ClientHello read so far
            tls = acceptTls(config.interceptTls(), first, sni -> leafFor(authority, sni != null ? sni : authority.host(), early));
        } catch (IOException e) {
            if (early[0] != null && early[0].upstream() != null) early[0].upstream().close();
            emitHttp(connect, where, 0, "", TlsFailures.client(clientAddress, e));
            return;
        }
        boolean isConversing = false;
        try {
            TlsInfo info = config.interceptTls().info(tls);
            client = new Conn(tls, info);
            isConversing = true; // converse owns the early connection from here, and closes it
            converse(Router.tunnel(authority, true, info.sni() != null ? info.sni() : authority.host()), null, early[0]);
        } finally {
            if (!isConversing && early[0] != null && early[0].upstream() != null) early[0].upstream().close();
        }
    }

    /**
     * The leaf for a client inside a CONNECT tunnel to {@code authority} that asked for {@code name}:
     * with upstream certificates on, wstap connects to the upstream first (asking it for the same
     * name) and mints a leaf with the upstream certificate's names, so that a client checking another
     * name than the one it connected with (as some do for an IP address) still finds it; the connection
     * is kept in {@code early} for the client's first request. Without them, or when the upstream
     * cannot be reached, the leaf is for {@code name} alone.
     */
    private dev.wstap.tls.LeafCertificates.Leaf leafFor(Authority authority, String name, Early[] early) {
        dev.wstap.tls.LeafCertificates leaves = config.interceptTls().leaves();
        if (!config.isUpstreamCert()) return leaves.forHost(name);
        Route route = new Route(authority.host(), authority.port(), true, name);
        try {
            Conn upstream = connector.connect(route);
            early[0] = new Early(route, upstream, null);
            if (upstream.socket instanceof SSLSocket secured
                    && secured.getSession().getPeerCertificates()[0] instanceof java.security.cert.X509Certificate cert) {
                return leaves.mirroring(cert, name);
            }
        } catch (HttpException e) {
            early[0] = new Early(route, null, e);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            // No certificate to mirror: the name alone.
        }
        return leaves.forHost(name);
    }

    /**
     * TLS as the server towards the client, finished within the handshake deadline or dropped. A read
     * timeout alone would not do: a client that sends nothing would hold the connection for ever (no
     * timeout is set yet), and one that trickles its hello a byte at a time would renew it with each byte.
     *
     * @throws SocketTimeoutException when the deadline passed first
     */
    private SSLSocket acceptTls(ServerTls tls, byte[] consumed, ServerTls.LeafChooser chooser) throws IOException {
        return Deadline.finishBy(handshakeDeadline, socket, "wstap-" + conn + "-tls-deadline", config.handshakeTimeout(),
                () -> tls.accept(socket, consumed, chooser));
    }

    /** The first bytes a tunnel carries, within the handshake deadline; null when the client leaves. */
    private byte[] readFirstBytes() throws IOException {
        byte[] buf = new byte[16 * 1024];
        long millisLeft = (handshakeDeadline - System.nanoTime()) / 1_000_000;
        if (millisLeft <= 0) return null;
        client.setReadTimeout((int) Math.min(Integer.MAX_VALUE, millisLeft));
        try {
            int n = client.in().read(buf);
            return n <= 0 ? null : java.util.Arrays.copyOf(buf, n);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private boolean isExcluded(String host) {
        return config.noIntercept().stream().anyMatch(glob -> dev.wstap.http.HostGlob.of(glob).matches(host));
    }


    /**
     * Reads the client's next request head: the first by the handshake deadline (else 408), later
     * ones within the keep-alive timeout (else a quiet close). Null when there is nothing to relay.
     */
    private HeadBuffer readRequestHead(boolean isFirst) throws IOException, HttpException {
        HeadBuffer head = new HeadBuffer(config.maxHeadBytes());
        Duration limit = isFirst ? config.handshakeTimeout() : ProxyConfig.KEEP_ALIVE_TIMEOUT;
        try {
            if (fill(client, head, isFirst ? handshakeDeadline : System.nanoTime() + limit.toNanos())) return head;
            if (head.size() > 0) emitHttp(null, null, 0, "", "client closed the connection before finishing its request");
        } catch (SocketTimeoutException e) {
            if (isFirst || head.size() > 0) {
                reject(null, null, new HttpException(408, "no complete request within " + limit.toSeconds() + " s"));
            }
        } catch (IOException e) {
            // A client may drop a connection between requests (RFC 9112 §9.6). Over TLS without a
            // close_notify, as browsers do, the JDK reports that as "Socket is closed", not end of stream.
            if (head.size() > 0) throw e;
        }
        return null;
    }

    /** Reads an upstream's answer head; null when it failed (the client got a 502 or 504 and the console a line). */
    private HeadBuffer readUpstreamHead(Conn upstream, HttpRequest request, String url, boolean hasDeadline) {
        long deadline = hasDeadline ? System.nanoTime() + config.handshakeTimeout().toNanos() : Long.MAX_VALUE;
        return readUpstreamHead(upstream, new HeadBuffer(config.maxHeadBytes()), request, url, deadline);
    }

    /** Goes on filling {@code head} until it is complete, before {@code deadline} (nanoTime; MAX_VALUE: none). */
    private HeadBuffer readUpstreamHead(Conn upstream, HeadBuffer head, HttpRequest request, String url, long deadline) {
        String where = where(url);
        try {
            if (fill(upstream, head, deadline)) return head;
            // A TLS 1.3 server that wanted a client certificate may just close: what it asked for tells.
            String refusal = head.size() == 0 ? refusedForCertificate(upstream, where) : null;
            if (refusal != null) {
                reject(request, url, new HttpException(502, refusal));
                return null;
            }
            reject(request, url, new HttpException(502, head.size() == 0
                    ? "upstream " + where + " closed the connection without answering"
                    : "upstream " + where + " closed the connection after " + head.size()
                            + " bytes that are no HTTP response: '" + head.receivedText() + "'"));
        } catch (SocketTimeoutException e) {
            reject(request, url, new HttpException(504, "upstream " + where + " did not answer the upgrade within "
                    + config.handshakeTimeout().toSeconds() + " s"));
        } catch (HttpException e) {
            reject(request, url, new HttpException(502, e.status() == 431
                    ? "upstream " + where + " sent a response head over " + config.maxHeadBytes() + " bytes"
                    : "upstream " + where + " answered with something else than HTTP: " + e.getMessage()));
        } catch (IOException e) {
            reject(request, url, new HttpException(502, upstreamFailed(upstream, where, e)));
        }
        return null;
    }

    /** Why the upstream ended the connection when it asked for a client certificate and wstap had none for it, else null. */
    private static String refusedForCertificate(Conn upstream, String where) {
        if (upstream.tls == null || !"".equals(upstream.tls.clientCertificate())) return null;
        return "TLS to upstream " + where + " failed: it asked for a client certificate and wstap had none for it "
                + "(give one with --client-cert FILE --client-key FILE)";
    }

    /** {@code host:port} of a URL, for messages. */
    private static String where(String url) {
        return url.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    }

    /**
     * Why talking to an upstream failed, in one line. TLS 1.3: a server that refuses the client's
     * certificate (or its lack) says so only after the handshake, and its alert may be lost to a
     * reset: whether it asked for one, and what wstap presented, tells.
     */
    private static String upstreamFailed(Conn upstream, String where, IOException e) {
        String refusal = refusedForCertificate(upstream, where);
        if (refusal != null) return refusal;
        String asked = upstream.tls == null ? null : upstream.tls.clientCertificate();
        return (e instanceof javax.net.ssl.SSLException ? TlsFailures.upstream(where, e, "--upstream-ca") : "upstream " + where + " failed: "
                + e.getMessage()) + (asked != null ? " (wstap presented the client certificate " + asked + ")" : "");
    }

    /** Reads until the head is complete (true) or the stream ends (false), before {@code deadlineNanos}. */
    private static boolean fill(Conn from, HeadBuffer head, long deadlineNanos) throws IOException, HttpException {
        byte[] buf = new byte[8192];
        while (!head.isComplete()) {
            if (deadlineNanos == Long.MAX_VALUE) {
                from.setReadTimeout(0);
            } else {
                long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) throw new SocketTimeoutException("deadline passed");
                from.setReadTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
            }
            int n = from.in().read(buf);
            if (n < 0) return false;
            head.add(buf, 0, n);
        }
        return true;
    }

    private HttpResponse parseResponse(HeadBuffer head, HttpRequest request, String url) {
        try {
            return HeadParser.parseResponse(head.head());
        } catch (HttpException e) {
            reject(request, url, e);
            return null;
        }
    }

    /** Answers the client with {@code e}'s status and reason, and shows it. */
    private void reject(HttpRequest request, String url, HttpException e) {
        // Before the answer: a client may ask again as soon as it has read it, while this thread
        // still lingers to drain what the client sent.
        giveBackSlot();
        emitHttp(request, url, e.status(), ErrorResponse.reasonPhrase(e.status()), e.getMessage());
        if (client == null) return;
        try {
            // RFC 9110 §10.2.3: a 503 may say when to come back. Sessions end when their peers say, so
            // the hint is short: one more request costs little, a long wait after a tab was closed a lot.
            String extra = e.status() == 407 ? ProxyAuth.CHALLENGE : e.status() == 503 ? "Retry-After: 1" : null;
            client.out().write(ErrorResponse.of(e.status(), e.getMessage(), extra));
            client.shutdownOutput();
            drainBriefly();
        } catch (IOException ignored) {
            // The client left already; the console line says what happened.
        }
    }

    /**
     * Reads and discards what the client is still sending, for a moment, before the socket closes:
     * closing with unread bytes makes TCP send a reset, which can destroy the answer just written.
     */
    private void drainBriefly() throws IOException {
        client.setReadTimeout(DRAIN_MILLIS);
        byte[] sink = new byte[8192];
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        long drained = 0;
        try {
            int n;
            while (drained < MAX_DRAIN_BYTES && System.nanoTime() < deadline && (n = client.in().read(sink)) >= 0) drained += n;
        } catch (SocketTimeoutException enough) {
            // The client went quiet: time to close.
        }
    }

    private void emitHttp(HttpRequest request, String url, int status, String reason, String error) {
        String method = request == null ? "-" : request.method();
        String shownUrl = url != null ? url : request != null ? request.target() : "-";
        boolean isUpgrade = request != null && Handshake.isUpgrade(request);
        tap.emit(new HttpSeen(Instant.now(), conn, clientAddress, method, shownUrl, isUpgrade, status, reason, error));
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
