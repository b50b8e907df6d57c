package dev.wstap.testing;

import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw upstream on loopback whose every answer is written by the test: it reads one request head
 * per connection and hands the connection to a {@link Script}, which writes whatever bytes it
 * likes (a correct 101, a 403, a wrong accept, frames glued to the handshake). Every request head
 * is kept, and a script that throws fails {@link #assertNoFailures}.
 */
public final class ScriptedServer implements AutoCloseable {
    /** What to do with one connection once its request head has arrived. */
    @FunctionalInterface
    public interface Script {
        void serve(Exchange exchange) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        Thread.ofPlatform().daemon().name("scripted-accept-" + port()).start(this::acceptLoop);
    }

    /** Listens on a free loopback port. */
    public static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** Listens on a given loopback port, for tests that need a server to appear where there was none. */
    public static ScriptedServer start(int port, Script script) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return new ScriptedServer(s, script);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofPlatform().daemon().name("scripted-" + port()).start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(RawClient.readTimeoutMillis());
            HeadBuffer head = new HeadBuffer();
            byte[] buf = new byte[8192];
            InputStream in = s.getInputStream();
            while (!head.isComplete()) {
                int n = in.read(buf);
                if (n < 0) return;
                head.add(buf, 0, n);
            }
            Exchange exchange = new Exchange(s, head.head(), HeadParser.parseRequest(head.head()), head.leftover());
            exchanges.add(exchange);
            script.serve(exchange);
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    /** The {@code index}-th request that arrived (0-based), waiting up to {@code limit} for it. */
    public Exchange exchange(int index, Duration limit) {
        Poll.until(limit, () -> exchanges.size() > index, () -> "request #" + index + " at scripted server " + port());
        return exchanges.get(index);
    }

    public int requestCount() {
        return exchanges.size();
    }

    /** Fails with the first exception a script threw, if any. */
    public void assertNoFailures() {
        if (!failures.isEmpty()) throw new AssertionError("scripted server failed", failures.get(0));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Test teardown.
        }
    }

    /** One connection after its request head: the head as it arrived and the socket to answer on. */
    public static final class Exchange {
        private final Socket socket;
        private final byte[] head;
        private final HttpRequest request;
        private final InputStream in;

        Exchange(Socket socket, byte[] head, HttpRequest request, byte[] leftover) throws IOException {
            this.socket = socket;
            this.head = head;
            this.request = request;
            // SequenceInputStream closes each stream it has read to the end, and closing a socket's
            // stream closes the socket: shield it, so that a script may still write after EOF.
            InputStream socketIn = new java.io.FilterInputStream(socket.getInputStream()) {
                @Override
                public void close() {}
            };
            this.in = new SequenceInputStream(new ByteArrayInputStream(leftover), socketIn);
        }

        /** The request head byte for byte, blank line included. */
        public byte[] head() {
            return head.clone();
        }

        public HttpRequest request() {
            return request;
        }

        public Socket socket() {
            return socket;
        }

        /** Writes all {@code parts} with one single write call. */
        public void write(byte[]... parts) throws IOException {
            socket.getOutputStream().write(Bytes.concat(parts));
        }

        /** The next {@code n} bytes after the head (bytes that came with the head first). */
        public byte[] readExactly(int n) throws IOException {
            byte[] out = in.readNBytes(n);
            if (out.length != n) throw new IOException("stream ended after " + out.length + " of " + n + " bytes");
            return out;
        }

        /** Everything after the head until the peer half-closes. */
        public byte[] readToEnd() throws IOException {
            return in.readAllBytes();
        }

        public InputStream input() {
            return in;
        }

        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }
    }
}
