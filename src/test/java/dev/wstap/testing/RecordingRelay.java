package dev.wstap.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A plain TCP relay on loopback that records every byte each way: put one on each side of wstap
 * and compare what went in with what came out. It knows nothing of HTTP or WebSocket; it passes
 * half-closes on as TCP would.
 */
public final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private RecordingRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("relay-accept-" + port()).start(this::acceptLoop);
    }

    /** A relay listening on a free loopback port, forwarding each connection to 127.0.0.1:{@code targetPort}. */
    public static RecordingRelay to(int targetPort) throws IOException {
        return new RecordingRelay(targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket from;
            try {
                from = server.accept();
            } catch (IOException e) {
                return;
            }
            Socket to = new Socket();
            try {
                from.setTcpNoDelay(true);
                to.setTcpNoDelay(true);
                to.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
                continue;
            }
            Connection c = new Connection(from, to);
            connections.add(c);
            c.start();
        }
    }

    /** The {@code index}-th accepted connection (0-based), waiting up to {@code limit} for it. */
    public Connection connection(int index, Duration limit) {
        Poll.until(limit, () -> connections.size() > index, () -> "connection #" + index + " to relay " + port());
        return connections.get(index);
    }

    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        closeQuietly(server);
        for (Connection c : connections) c.closeBoth();
    }

    /** One relayed connection: what the accepting side sent ({@code c2s}) and what came back ({@code s2c}). */
    public static final class Connection {
        private final Socket client;
        private final Socket target;
        private final ByteArrayOutputStream c2s = new ByteArrayOutputStream();
        private final ByteArrayOutputStream s2c = new ByteArrayOutputStream();
        private final CountDownLatch directionsEnded = new CountDownLatch(2);

        private Connection(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        private void start() {
            Thread.ofPlatform().daemon().name("relay-c2s").start(() -> copy(client, target, c2s));
            Thread.ofPlatform().daemon().name("relay-s2c").start(() -> copy(target, client, s2c));
        }

        private void copy(Socket from, Socket to, ByteArrayOutputStream record) {
            byte[] buf = new byte[32 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (record) {
                        record.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeBoth();
            } finally {
                directionsEnded.countDown();
                if (directionsEnded.getCount() == 0) closeBoth();
            }
        }

        /** Bytes the connecting peer sent so far. */
        public byte[] c2s() {
            synchronized (c2s) {
                return c2s.toByteArray();
            }
        }

        /** Bytes the target sent back so far. */
        public byte[] s2c() {
            synchronized (s2c) {
                return s2c.toByteArray();
            }
        }

        /** Waits until both directions have reached end of stream (or failed). */
        public Connection awaitEnded(Duration limit) throws InterruptedException {
            if (!directionsEnded.await(Waits.scaled(limit).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("relayed connection still open after " + limit.toMillis() + " ms ("
                        + c2s().length + " bytes c2s, " + s2c().length + " bytes s2c)");
            }
            return this;
        }

        void closeBoth() {
            closeQuietly(client);
            closeQuietly(target);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Test teardown: best effort.
        }
    }
}
