package dev.wstap.proxy;

import dev.wstap.http.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * A listening socket whose accepted connections each run on a virtual thread of their own, so that
 * one slow or broken connection never holds up another.
 */
public final class Listener implements AutoCloseable {
    private static final int BACKLOG = 1024;
    private static final long MAX_ACCEPT_BACKOFF_MILLIS = 100;
    private static final long ACCEPT_REPORT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final ServerSocket server;
    private final String name;
    private Thread acceptor;

    private Listener(ServerSocket server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Binds {@code at} and starts accepting; {@code handler} runs once per connection.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static Listener start(HostPort at, String name, Consumer<Socket> handler) throws IOException {
        return bind(at, name).accept(handler);
    }

    /**
     * Binds {@code at} without accepting yet, so that what depends on the address really bound
     * can be set up before the first connection; {@link #accept} starts.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static Listener bind(HostPort at, String name) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(at.host(), at.port()), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + at + ": " + e.getMessage(), e);
        }
        return new Listener(server, name);
    }

    /** Starts accepting (once); {@code handler} runs once per connection. */
    public synchronized Listener accept(Consumer<Socket> handler) {
        if (acceptor != null) throw new IllegalStateException("the listener on port " + port() + " accepts already");
        startVirtualThreadPolling();
        acceptor = Thread.ofPlatform().name(name + "-accept").daemon().start(() -> acceptLoop(handler));
        return this;
    }

    private void acceptLoop(Consumer<Socket> handler) {
        int failures = 0;
        long lastReport = 0;
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
                failures = 0;
            } catch (IOException e) {
                if (server.isClosed()) return;
                // A connection that failed before it was accepted concerns no one else; but when
                // accepting itself fails (out of file descriptors), trying again at once would spin
                // a core until one is freed. Back off, and say why every so often.
                failures++;
                long now = System.nanoTime();
                if (failures > 1 && now - lastReport > ACCEPT_REPORT_NANOS) {
                    lastReport = now;
                    System.err.println("wstap: cannot accept connections on port " + port() + ": " + e.getMessage()
                            + (String.valueOf(e.getMessage()).contains("open files") ? " (raise the limit: ulimit -n)" : "")
                            + "; new connections wait");
                }
                pause(Math.min(MAX_ACCEPT_BACKOFF_MILLIS, 1L << Math.min(failures, 7)));
                continue;
            }
            Thread.ofVirtual().start(() -> serve(handler, s));
        }
    }

    /** Runs {@code handler}; whatever escapes it costs this connection only, with one line. */
    private static void serve(Consumer<Socket> handler, Socket s) {
        try {
            handler.accept(s);
        } catch (Throwable t) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closed already.
            }
            System.err.println("wstap: a connection from " + s.getRemoteSocketAddress() + " failed: " + t);
        }
    }

    /**
     * The JDK sets up the polling behind virtual threads' socket reads (epoll file descriptors) on
     * the first read that has to wait. If file descriptors have run out at that moment (a burst
     * of connections at start-up), the setup fails for good and no connection can be served again
     * until wstap restarts. So the first waiting read is made here, before anything is accepted.
     */
    private static void startVirtualThreadPolling() {
        Thread reader = Thread.ofVirtual().start(() -> {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                 Socket client = new Socket(s.getInetAddress(), s.getLocalPort());
                 Socket accepted = s.accept()) {
                accepted.setSoTimeout(1);
                accepted.getInputStream().read();
            } catch (IOException expected) {
                // The read timed out: the polling is set up.
            }
        });
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port actually bound: the one asked for, or the one the system chose for port 0. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address bound: a specific one, or the wildcard address ({@code 0.0.0.0}, {@code ::}). */
    public java.net.InetAddress address() {
        return server.getInetAddress();
    }

    /** Stops accepting; connections already accepted go on. */
    @Override
    public void close() {
        try {
            server.close();
            Thread a;
            synchronized (this) {
                a = acceptor;
            }
            if (a != null) a.join(1000);
        } catch (IOException ignored) {
            // Closing is best effort.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
