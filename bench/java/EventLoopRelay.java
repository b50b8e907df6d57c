import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A measuring stick, not part of wstap: the forwarding that wstap's pumps do (wstap's own frame
 * parser on every byte, bytes forwarded unchanged as they arrive) on an event loop instead of a
 * thread per direction: one NIO selector per core, non-blocking reads and writes, and a receiver
 * that does not keep up pauses reading from its sender (backpressure) instead of blocking the loop.
 * bench/run puts it in front of the echo server like wstap, to tell what an event-loop transport
 * would gain on this machine before wstap is rebuilt around one (docs/performance.md).
 *
 * <p>Run: {@code java -cp target/wstap.jar bench/java/EventLoopRelay.java LISTEN_PORT UPSTREAM_PORT}.
 * It relays the HTTP upgrade as bytes and parses frames after each side's head; it does nothing
 * else wstap does (no handshake checks, no tap, no decision point).
 */
public final class EventLoopRelay {
    private static final int READ_BYTES = 64 * 1024;

    public static void main(String[] args) throws IOException {
        int listenPort = Integer.parseInt(args[0]);
        InetSocketAddress upstream = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        int loops = Runtime.getRuntime().availableProcessors();
        List<Loop> all = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Loop loop = new Loop();
            all.add(loop);
            Thread.ofPlatform().name("loop-" + i).start(loop);
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", listenPort), 1024);
        AtomicInteger next = new AtomicInteger();
        System.err.println("event-loop relay on 127.0.0.1:" + listenPort + " with " + loops + " loops");
        while (true) {
            SocketChannel client = server.accept();
            SocketChannel toServer = SocketChannel.open(upstream);
            all.get(next.getAndIncrement() % loops).add(client, toServer);
        }
    }

    /** One selector and the connections on it; all their I/O happens on its thread. */
    static final class Loop implements Runnable {
        private final Selector selector;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);

        Loop() throws IOException {
            selector = Selector.open();
        }

        void add(SocketChannel client, SocketChannel server) {
            tasks.add(() -> {
                try {
                    Side c = new Side(client);
                    Side s = new Side(server);
                    new Flow(c, s, Direction.C2S);
                    new Flow(s, c, Direction.S2C);
                } catch (IOException e) {
                    close(client, server);
                }
            });
            selector.wakeup();
        }

        /** One socket: its key, and the direction that reads from it and the one that writes to it. */
        final class Side {
            final SocketChannel channel;
            final SelectionKey key;
            Flow reading;
            Flow writing;

            Side(SocketChannel channel) throws IOException {
                this.channel = channel;
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                this.key = channel.register(selector, SelectionKey.OP_READ, this);
            }
        }

        /** Bytes from one side to the other, through wstap's parser. */
        final class Flow {
            final Side from;
            final Side to;
            final FrameParser parser;
            boolean isInHead = true;
            int headMatch;
            /** What the receiver did not take yet; while it waits, the sender is not read. */
            ByteBuffer pending;

            Flow(Side from, Side to, Direction dir) {
                this.from = from;
                this.to = to;
                from.reading = this;
                to.writing = this;
                this.parser = new FrameParser(dir, 0, frame -> { });
            }

            void readable() throws IOException {
                buffer.clear();
                int n = from.channel.read(buffer);
                if (n < 0) throw new IOException("end of stream");
                if (n == 0) return;
                byte[] bytes = buffer.array();
                int off = 0;
                if (isInHead) off = skipHead(bytes, n);
                if (off < n) parser.feed(bytes, off, n - off);
                buffer.flip();
                to.channel.write(buffer);
                if (buffer.hasRemaining()) {
                    pending = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                    from.key.interestOps(from.key.interestOps() & ~SelectionKey.OP_READ);
                    to.key.interestOps(to.key.interestOps() | SelectionKey.OP_WRITE);
                }
            }

            void writable() throws IOException {
                to.channel.write(pending);
                if (pending.hasRemaining()) return;
                pending = null;
                to.key.interestOps(to.key.interestOps() & ~SelectionKey.OP_WRITE);
                from.key.interestOps(from.key.interestOps() | SelectionKey.OP_READ);
            }

            /** The HTTP head goes through as bytes; frames start after its blank line. */
            private int skipHead(byte[] bytes, int n) {
                byte[] end = {'\r', '\n', '\r', '\n'};
                for (int i = 0; i < n; i++) {
                    headMatch = bytes[i] == end[headMatch] ? headMatch + 1 : (bytes[i] == '\r' ? 1 : 0);
                    if (headMatch == 4) {
                        isInHead = false;
                        return i + 1;
                    }
                }
                return n;
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    selector.select();
                    for (Runnable t; (t = tasks.poll()) != null; ) t.run();
                    for (SelectionKey key : selector.selectedKeys()) {
                        Side side = (Side) key.attachment();
                        try {
                            if (key.isValid() && key.isWritable()) side.writing.writable();
                            if (key.isValid() && key.isReadable()) side.reading.readable();
                        } catch (IOException e) {
                            close(side.channel, side.reading.to.channel);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static void close(SocketChannel a, SocketChannel b) {
            try {
                a.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            try {
                b.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}
