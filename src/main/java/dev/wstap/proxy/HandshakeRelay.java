package dev.wstap.proxy;

import dev.wstap.http.ErrorResponse;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HeadRewriter;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * Takes one accepted client connection through the opening handshake (RFC 6455 §4): reads its
 * request, relays it upstream with Host rewritten, verifies the upstream's 101 and relays it back,
 * then hands both sockets to a {@link Session}. Anything else gets a plain answer: a relayed
 * non-101, plain HTTP passed through, or wstap's own 400, 408, 431, 502 or 504 with a reason.
 */
final class HandshakeRelay {
    private static final int DRAIN_MILLIS = 1000;
    private static final long MAX_DRAIN_BYTES = 1 << 20;

    private final int conn;
    private final Socket client;
    private final ProxyConfig config;
    private final Tap tap;
    private final SessionRegistry registry;
    private final String clientAddress;
    private long deadlineNanos;

    HandshakeRelay(int conn, Socket client, ProxyConfig config, Tap tap, SessionRegistry registry) {
        this.conn = conn;
        this.client = client;
        this.config = config;
        this.tap = tap;
        this.registry = registry;
        this.clientAddress = address(client);
    }

    void run() {
        Socket upstream = null;
        boolean isHandedOver = false;
        try {
            client.setTcpNoDelay(true);
            deadlineNanos = System.nanoTime() + config.handshakeTimeout().toNanos();
            HeadBuffer requestHead = new HeadBuffer(config.maxHeadBytes());
            if (!readHead(client, requestHead, "client")) return;
            HttpRequest request = HeadParser.parseRequest(requestHead.head());
            boolean isUpgrade = Handshake.isUpgrade(request);
            if (isUpgrade) Handshake.checkRequest(request);

            WsUrl target = config.upstream();
            String upstreamTarget = target.targetFor(request.target());
            String url = isUpgrade ? target.withTarget(upstreamTarget)
                    : (target.isSecure() ? "https" : "http") + "://" + target.hostHeader() + upstreamTarget;
            byte[] relayed = HeadRewriter.rewriteRequest(requestHead.head(), upstreamTarget, target.hostHeader());

            upstream = connect(target, request, url);
            if (upstream == null) return;
            upstream.getOutputStream().write(relayed);

            if (!isUpgrade) {
                client.setSoTimeout(0); // the request is in: the handshake deadline no longer applies
                relayPlain(request, url, upstream, requestHead.leftover());
                closeQuietly(upstream);
                return;
            }
            HeadBuffer responseHead = new HeadBuffer(config.maxHeadBytes());
            if (!readUpstreamHead(upstream, responseHead, request, url)) return;
            HttpResponse response = parseResponse(responseHead, request, url);
            if (response == null) return;
            if (response.status() != 101) {
                emitHttp(request, url, response.status(), response.reason(), null);
                // The deadline covered the answer's head; its body may take as long as the upstream likes.
                client.setSoTimeout(0);
                upstream.setSoTimeout(0);
                BytePipe.run(client, requestHead.leftover(), upstream, concat(responseHead.head(), responseHead.leftover()));
                return;
            }
            String mismatch = Handshake.checkAccept(request, response);
            if (mismatch != null) {
                reject(request, url, new HttpException(502, mismatch));
                return;
            }
            client.getOutputStream().write(responseHead.head());
            client.setSoTimeout(0);
            upstream.setSoTimeout(0);
            Opened opened = new Opened(Instant.now(), conn, clientAddress, url, request, response);
            Session session = new Session(opened, client, upstream, config.maxPreviewBytes(), tap);
            isHandedOver = true;
            registry.add(session);
            try {
                session.run(requestHead.leftover(), responseHead.leftover());
            } finally {
                registry.remove(session);
            }
        } catch (HttpException e) {
            reject(null, null, e);
        } catch (IOException e) {
            emitHttp(null, null, 0, "", "client connection failed during the handshake: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug must cost this connection only, with one line, never a stack trace on the console.
            if (!isHandedOver) reject(null, null, new HttpException(500, "wstap failed on this connection: " + e));
        } finally {
            if (!isHandedOver) {
                closeQuietly(client);
                if (upstream != null) closeQuietly(upstream);
            }
        }
    }

    /** Reads a head from the client; false when there is nothing to relay (a 408 or a silent close was handled). */
    private boolean readHead(Socket from, HeadBuffer head, String side) throws IOException, HttpException {
        try {
            if (fill(from.getInputStream(), from, head)) return true;
            if (head.size() > 0) emitHttp(null, null, 0, "", side + " closed the connection before finishing its request");
            return false;
        } catch (SocketTimeoutException e) {
            long seconds = config.handshakeTimeout().toSeconds();
            reject(null, null, new HttpException(408, "no complete request within " + seconds + " s"));
            return false;
        }
    }

    private boolean readUpstreamHead(Socket upstream, HeadBuffer head, HttpRequest request, String url) throws IOException {
        String where = config.upstream().host() + ":" + config.upstream().port();
        try {
            if (fill(upstream.getInputStream(), upstream, head)) return true;
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
            reject(request, url, new HttpException(502, "upstream " + where + " failed during the upgrade: " + e.getMessage()));
        }
        return false;
    }

    /** Reads until the head is complete (true) or the stream ends (false), within the handshake deadline. */
    private boolean fill(InputStream in, Socket socket, HeadBuffer head) throws IOException, HttpException {
        byte[] buf = new byte[8192];
        while (!head.isComplete()) {
            if (deadlineNanos == Long.MAX_VALUE) {
                socket.setSoTimeout(0);
            } else {
                long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) throw new SocketTimeoutException("handshake deadline passed");
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
            }
            int n = in.read(buf);
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

    private Socket connect(WsUrl target, HttpRequest request, String url) {
        Socket s = new Socket();
        String where = target.host() + ":" + target.port();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(target.host(), target.port()), (int) config.connectTimeout().toMillis());
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            String reason = switch (e) {
                case ConnectException c -> "upstream " + where + " refused the connection (is the server running?)";
                case UnknownHostException u -> "upstream host '" + target.host() + "' is unknown";
                case SocketTimeoutException t -> "upstream " + where + " did not accept a connection within "
                        + config.connectTimeout().toSeconds() + " s";
                case NoRouteToHostException n -> "no route to upstream " + where;
                default -> "cannot connect to upstream " + where + ": " + e.getMessage();
            };
            reject(request, url, new HttpException(502, reason));
            return null;
        }
    }

    /**
     * Plain HTTP in reverse mode: the request body (and anything after it) flows upstream while
     * the answer is awaited, without a deadline, since only the upstream knows how long it takes.
     */
    private void relayPlain(HttpRequest request, String url, Socket upstream, byte[] requestRest) {
        Thread toUpstream = Thread.ofVirtual().start(() -> BytePipe.copy(client, requestRest, upstream));
        HeadBuffer responseHead = new HeadBuffer(config.maxHeadBytes());
        deadlineNanos = Long.MAX_VALUE;
        try {
            if (!readUpstreamHead(upstream, responseHead, request, url)) return;
            HttpResponse response = parseResponse(responseHead, request, url);
            if (response == null) return;
            emitHttp(request, url, response.status(), response.reason(), null);
            BytePipe.copy(upstream, concat(responseHead.head(), responseHead.leftover()), client);
        } catch (IOException e) {
            emitHttp(request, url, 0, "", "relay failed: " + e.getMessage());
        } finally {
            join(toUpstream);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers the client with {@code e}'s status and reason, and shows it. */
    private void reject(HttpRequest request, String url, HttpException e) {
        emitHttp(request, url, e.status(), ErrorResponse.reasonPhrase(e.status()), e.getMessage());
        try {
            client.getOutputStream().write(ErrorResponse.of(e.status(), e.getMessage()));
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
        client.setSoTimeout(DRAIN_MILLIS);
        byte[] sink = new byte[8192];
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        long drained = 0;
        try {
            int n;
            while (drained < MAX_DRAIN_BYTES && System.nanoTime() < deadline && (n = client.getInputStream().read(sink)) >= 0) {
                drained += n;
            }
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String address(Socket s) {
        var remote = (InetSocketAddress) s.getRemoteSocketAddress();
        if (remote == null) return "?";
        String host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + remote.getPort();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
