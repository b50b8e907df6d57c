package dev.wstap.proxy;

import dev.wstap.tap.Tap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener: accepts clients and gives each its own virtual thread, which runs the handshake and
 * then the session. One bad connection never disturbs another.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxyConfig config;
    private final Tap tap;
    private final SessionRegistry sessions = new SessionRegistry();
    private final AtomicInteger nextConn = new AtomicInteger(1);
    private ServerSocket server;
    private Thread acceptor;

    public ProxyServer(ProxyConfig config, Tap tap) {
        this.config = config;
        this.tap = tap;
    }

    /**
     * Binds the listen address and starts accepting.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public ProxyServer start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(config.listen().host(), config.listen().port()), 1024);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        acceptor = Thread.ofPlatform().name("wstap-accept").daemon().start(this::acceptLoop);
        return this;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return;
                continue;
            }
            int conn = nextConn.getAndIncrement();
            Thread.ofVirtual().name("wstap-" + conn).start(() -> new HandshakeRelay(conn, client, config, tap, sessions).run());
        }
    }

    /** The port actually bound: the configured one, or the one the system chose for port 0. */
    public int port() {
        return server.getLocalPort();
    }

    public String host() {
        return config.listen().host();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** Stops accepting and drops every open session. */
    @Override
    public void close() {
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
        for (Session s : sessions.all()) s.abort("wstap was stopped");
        if (acceptor != null) {
            try {
                acceptor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
