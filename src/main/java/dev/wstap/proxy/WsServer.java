package dev.wstap.proxy;

import dev.wstap.http.ErrorResponse;
import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * wstap as a WebSocket server for one accepted connection ({@code wstap replay --as server}): it
 * reads the upgrade request, answers it, and runs an ordinary session whose server end is a
 * {@link LocalEnd}, so that the client's frames are parsed, shown and logged as in the proxy.
 */
public final class WsServer {
    private WsServer() {}

    /**
     * Performs the handshake on {@code socket} and starts the session on threads of its own,
     * listed in {@code registry} while it is open; {@code onEnd} runs after its close event.
     *
     * @param answer makes the 101 for a valid upgrade request (the accept key, and the subprotocol and
     *               extensions chosen)
     * @param url    what the session is shown as, without the request's target
     * @throws HandshakeFailed when the client left, timed out, or sent no valid upgrade request; it
     *                         was answered with the matching status, and the socket is closed
     */
    public static Session accept(Socket socket, Duration timeout, Function<HttpRequest, HttpResponse> answer, String url,
                                 int maxPreviewBytes, Tap tap, SessionRegistry registry, int conn, LocalEnd end, Runnable onEnd)
            throws HandshakeFailed {
        HttpRequest request;
        HeadBuffer head = new HeadBuffer();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            if (!head.readFrom(in)) throw failed(socket, "the client closed the connection before its upgrade request was complete", null);
            request = HeadParser.parseRequest(head.head());
            if (!Handshake.isUpgrade(request)) {
                throw new HttpException(426, "this is a WebSocket server; connect with a WebSocket client");
            }
            Handshake.checkRequest(request);
            socket.setSoTimeout(0);
        } catch (HttpException e) {
            try {
                socket.getOutputStream().write(ErrorResponse.of(e.status(), e.getMessage()));
            } catch (IOException ignored) {
                // The client left: the line below says what it did wrong.
            }
            throw failed(socket, "the client's request was refused with " + e.status() + ": " + e.getMessage(), null);
        } catch (SocketTimeoutException e) {
            throw failed(socket, "the client sent no upgrade request within " + Deadline.text(timeout), null);
        } catch (IOException e) {
            throw failed(socket, "the connection failed during the handshake: " + e.getMessage(), null);
        }
        HttpResponse response = answer.apply(request);
        Conn client;
        try {
            client = new Conn(socket, null);
            client.unread(head.leftover());
            client.out().write(response.encode());
            client.out().flush();
        } catch (IOException e) {
            throw failed(socket, "the client left before the answer to its upgrade request: " + e.getMessage(), response);
        }
        Opened opened = new Opened(Instant.now(), conn, client.address(), url + request.target(), request, response, null, null);
        Session session = new Session(opened, client, end.conn, maxPreviewBytes, false, false, tap, null);
        end.attach(session);
        registry.add(session);
        session.start(PumpThreads.PLATFORM, () -> {
            registry.remove(session);
            onEnd.run();
        });
        return session;
    }

    private static HandshakeFailed failed(Socket socket, String why, HttpResponse response) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
        return new HandshakeFailed(why, response);
    }
}
