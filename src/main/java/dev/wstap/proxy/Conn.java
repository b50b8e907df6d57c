package dev.wstap.proxy;

import dev.wstap.tls.TlsInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * One side of a relayed connection: its socket (TLS or not), an input that can be given back bytes
 * read ahead of time (what came after an HTTP head), its output, and what TLS agreed.
 */
final class Conn implements AutoCloseable {
    final Socket socket;
    final TlsInfo tls;
    private final Input in;
    private final OutputStream out;

    /** For an end that is not a socket: what a half-close and a close do instead. */
    private final Runnable onShutdownOutput;
    private final Runnable onClose;

    Conn(Socket socket, TlsInfo tls) throws IOException {
        this.socket = socket;
        this.tls = tls;
        this.in = new Input(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.onShutdownOutput = null;
        this.onClose = null;
    }

    /**
     * An end inside wstap ({@code wstap connect}'s own client): {@code onShutdownOutput} tells it
     * that nothing more will come, {@code onClose} drops it.
     */
    Conn(InputStream in, OutputStream out, Runnable onShutdownOutput, Runnable onClose) {
        this.socket = null;
        this.tls = null;
        this.in = new Input(in);
        this.out = out;
        this.onShutdownOutput = onShutdownOutput;
        this.onClose = onClose;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /** Puts {@code bytes} back in front of what is still to be read. */
    void unread(byte[] bytes) {
        in.unread(bytes);
    }

    /** {@code 127.0.0.1:54321}, IPv6 in brackets. */
    String address() {
        if (socket == null) return "wstap";
        var remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (remote == null) return "?";
        String host = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + remote.getPort();
    }

    void setReadTimeout(int millis) throws IOException {
        if (socket != null) socket.setSoTimeout(millis);
    }

    /** Half-closes the output, as the peer on the other side did. */
    void shutdownOutput() {
        if (socket == null) {
            onShutdownOutput.run();
            return;
        }
        try {
            socket.shutdownOutput();
        } catch (IOException | UnsupportedOperationException ignored) {
            // Closed already, or TLS, which has no half-close: nothing more to tell.
        }
    }

    /** Drops the connection with a TCP reset (SO_LINGER 0) rather than an orderly close. */
    void reset() {
        if (socket != null) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // Closed already: closing below says the rest.
            }
        }
        close();
    }

    @Override
    public void close() {
        if (socket == null) {
            onClose.run();
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
    }

    /** The socket's input with a prefix of bytes that were read ahead and given back. */
    private static final class Input extends InputStream {
        private final InputStream rest;
        private byte[] prefix = new byte[0];
        private int pos;

        Input(InputStream rest) {
            this.rest = rest;
        }

        void unread(byte[] bytes) {
            if (bytes.length == 0) return;
            byte[] left = Arrays.copyOfRange(prefix, pos, prefix.length);
            byte[] merged = Arrays.copyOf(bytes, bytes.length + left.length);
            System.arraycopy(left, 0, merged, bytes.length, left.length);
            prefix = merged;
            pos = 0;
        }

        @Override
        public int read() throws IOException {
            if (pos < prefix.length) return prefix[pos++] & 0xFF;
            return rest.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos < prefix.length) {
                int n = Math.min(len, prefix.length - pos);
                System.arraycopy(prefix, pos, b, off, n);
                pos += n;
                return n;
            }
            return rest.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return prefix.length - pos + rest.available();
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }
}
