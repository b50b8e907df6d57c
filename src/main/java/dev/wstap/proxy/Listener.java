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
        acceptor = Thread.ofPlatform().name(name + "-accept").daemon().start(() -> acceptLoop(handler));
        return this;
    }

    private void acceptLoop(Consumer<Socket> handler) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) return;
                continue; // a connection that failed before it was accepted concerns no one else
            }
            Thread.ofVirtual().start(() -> handler.accept(s));
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
