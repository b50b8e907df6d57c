package dev.wstap.proxy;

import dev.wstap.http.WsUrl;
import dev.wstap.tap.Tap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy: a {@link Listener} whose every connection is numbered and taken through the
 * handshake relay and then its session, on a virtual thread of its own. One bad connection never
 * disturbs another.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxyConfig config;
    private final Tap tap;
    private final SessionRegistry sessions = new SessionRegistry();
    private final AtomicInteger nextConn = new AtomicInteger(1);
    private Listener listener;

    public ProxyServer(ProxyConfig config, Tap tap) {
        this.config = config;
        this.tap = tap;
    }

    /**
     * Binds the listen address and starts accepting.
     *
     * @throws IOException naming the address when it cannot be bound
     * @throws IllegalArgumentException when the upstream is this proxy's own listen address (a loop)
     */
    public ProxyServer start() throws IOException {
        listener = Listener.bind(config.listen(), "wstap");
        OwnAddress own = new OwnAddress(listener.address(), listener.port());
        WsUrl upstream = config.upstream();
        if (upstream != null && own.isReachedBy(new InetSocketAddress(upstream.host(), upstream.port()))) {
            listener.close();
            throw new IllegalArgumentException("the upstream " + upstream + " is wstap's own listen address (" + own
                    + "): every connection would loop back into wstap");
        }
        UpstreamConnector connector = new UpstreamConnector(config.upstreamTls(), config.connectTimeout(), own);
        SessionSlots slots = new SessionSlots(config.maxSessions());
        PumpThreads.Choice threads = config.isLowLatency() ? PumpThreads.Choice.allPlatform() : PumpThreads.Choice.mixed();
        listener.accept(client -> {
            int conn = nextConn.getAndIncrement();
            Thread.currentThread().setName("wstap-" + conn);
            new ClientConnection(conn, client, config, tap, sessions, connector, slots, threads).run();
        });
        return this;
    }

    /** The port actually bound: the configured one, or the one the system chose for port 0. */
    public int port() {
        return listener.port();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    /** Stops accepting and drops every open session. */
    @Override
    public void close() {
        if (listener != null) listener.close();
        for (Session s : sessions.all()) s.abort("wstap was stopped");
    }
}
