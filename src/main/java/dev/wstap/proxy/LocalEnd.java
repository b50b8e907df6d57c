package dev.wstap.proxy;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;

/**
 * An end of a session that is wstap itself rather than a socket: {@code wstap connect}'s client,
 * and the side a replay plays. What it sends goes into the session as a peer's bytes would (parsed,
 * shown, logged, forwarded); what the session sends it is handed to a {@link FrameListener}, or
 * dropped when there is none. When the other peer ends its stream, this end ends its own too, as a
 * peer whose connection closed does.
 */
public final class LocalEnd {
    final Conn conn;
    private final OutputStream own;
    private volatile Session session;

    /** {@code received}: the direction of the frames this end gets; {@code listener}: told of each, or null. */
    public LocalEnd(Direction received, FrameListener listener) {
        Pipe pipe;
        try {
            pipe = Pipe.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a pipe: " + e.getMessage(), e);
        }
        this.own = Channels.newOutputStream(pipe.sink());
        OutputStream fromSession;
        if (listener == null) {
            fromSession = OutputStream.nullOutputStream();
        } else {
            FrameParser parser = new FrameParser(received, 0, listener);
            fromSession = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    parser.feed(b, off, len);
                }
            };
        }
        this.conn = new Conn(Channels.newInputStream(pipe.source()), fromSession, this::finish, () -> closeQuietly(pipe));
    }

    /** The session this end is part of, once it exists (before its first frame). */
    public Session session() {
        return session;
    }

    void attach(Session s) {
        this.session = s;
    }

    /** Sends {@code frameBytes} as this end's own: the session reads them as it reads a socket. */
    public synchronized void send(byte[] frameBytes) throws IOException {
        own.write(frameBytes);
    }

    /** Nothing more comes from this end: the session passes the end of stream on to the other peer. */
    public synchronized void finish() {
        try {
            own.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }

    /** Drops this end: what it was sending and what it was sent (a connection that failed before its session began). */
    public void close() {
        conn.close();
    }

    private static void closeQuietly(Pipe pipe) {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // Best effort.
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }
}
