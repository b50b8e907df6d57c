package dev.wstap.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket's server (a peer nobody here wrote) as an echo server on a free loopback port:
 * every text or binary message goes back as it came; pings get pongs and closes are answered by
 * the library itself. It counts what it received, so that a test can hold wstap's log against it.
 */
public final class JavaWebSocketEcho extends WebSocketServer implements AutoCloseable {
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<String> resources = new CopyOnWriteArrayList<>();
    private final List<Exception> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong messageBytes = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();

    private JavaWebSocketEcho(List<Draft> drafts) {
        super(new InetSocketAddress("127.0.0.1", 0), drafts);
        setReuseAddr(true);
        setConnectionLostTimeout(0); // no pings of its own: the byte streams hold only what the test sent
        setDaemon(true);
    }

    /** Starts the server; it accepts the first of {@code protocols} a client offers, or none when empty. */
    public static JavaWebSocketEcho launch(String... protocols) throws InterruptedException {
        List<IProtocol> accepted = new java.util.ArrayList<>();
        for (String p : protocols) accepted.add(new Protocol(p));
        accepted.add(new Protocol("")); // also serve clients that offer no subprotocol
        JavaWebSocketEcho server = new JavaWebSocketEcho(List.of(new Draft_6455(List.of(), accepted)));
        return started(server);
    }

    /** Starts the server with permessage-deflate (Java-WebSocket's {@code PerMessageDeflateExtension}) offered to clients. */
    public static JavaWebSocketEcho launchDeflate() throws InterruptedException {
        return started(new JavaWebSocketEcho(List.of(new Draft_6455(new org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension()))));
    }

    /** Starts a wss:// echo server whose TLS (certificate and key) comes from {@code tls}. */
    public static JavaWebSocketEcho launchTls(SSLContext tls) throws InterruptedException {
        JavaWebSocketEcho server = new JavaWebSocketEcho(List.of(new Draft_6455()));
        server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        return started(server);
    }

    private static JavaWebSocketEcho started(JavaWebSocketEcho server) throws InterruptedException {
        server.start();
        if (!server.started.await(Waits.scaledMillis(10_000), TimeUnit.MILLISECONDS)) throw new AssertionError("Java-WebSocket server did not start");
        if (!server.errors.isEmpty()) throw new AssertionError("Java-WebSocket server failed to start", server.errors.get(0));
        return server;
    }

    /** The request targets of the upgrades it accepted, in order. */
    public List<String> resources() {
        return List.copyOf(resources);
    }

    public List<Exception> errors() {
        return List.copyOf(errors);
    }

    /** Text and binary messages received (and echoed), over all connections. */
    public long messagesReceived() {
        return messages.get();
    }

    /** Their payload bytes (text as UTF-8). */
    public long messageBytesReceived() {
        return messageBytes.get();
    }

    /** Pings received (each answered with a pong by the library). */
    public long pingsReceived() {
        return pings.get();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        resources.add(handshake.getResourceDescriptor());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
        messages.incrementAndGet();
        messageBytes.addAndGet(message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        conn.send(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        messages.incrementAndGet();
        messageBytes.addAndGet(message.remaining());
        conn.send(message);
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata ping) {
        pings.incrementAndGet();
        super.onWebsocketPing(conn, ping);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        errors.add(ex);
        if (conn == null) started.countDown();
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void close() throws InterruptedException {
        stop(2000);
    }
}
