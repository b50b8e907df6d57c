package dev.wstap.testing;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * A WebSocket client made of a bare socket: it writes exactly the bytes a test gives it (an
 * upgrade glued to a frame, reserved opcodes, non-minimal lengths) and reads back raw bytes.
 * Every read has a 5 s timeout, so a test never hangs on it.
 */
public final class RawClient implements AutoCloseable {
    /** How long a read waits for bytes, before {@link Waits} stretches it on a busy machine. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** The read timeout to set on a test's socket now. */
    public static int readTimeoutMillis() {
        return (int) Waits.scaledMillis(READ_TIMEOUT_MILLIS);
    }
    /** RFC 6455 §1.3's sample key; any 16 bytes in base64 will do. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final InputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    public static RawClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(readTimeoutMillis());
        return new RawClient(s);
    }

    /** A raw client over a socket already connected (a TLS socket, or one inside a CONNECT tunnel). */
    public static RawClient over(Socket connected) throws IOException {
        connected.setSoTimeout(readTimeoutMillis());
        return new RawClient(connected);
    }

    /** An upgrade request for {@code target} as a conforming client writes it, {@code extra} headers last. */
    public static byte[] upgradeRequest(int port, String target, List<Header> extra) {
        return Handshake.clientRequest("127.0.0.1:" + port, target, KEY, extra).encode();
    }

    /** Sends an upgrade request and reads the answer's head; fails unless it is a 101. */
    public byte[] upgrade(String target) throws IOException {
        write(upgradeRequest(socket.getPort(), target, List.of()));
        byte[] head = readHead();
        String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 101 ")) throw new AssertionError("expected a 101, got:\n" + text);
        return head;
    }

    /** Writes all {@code parts} with one single write call. */
    public void write(byte[]... parts) throws IOException {
        socket.getOutputStream().write(Bytes.concat(parts));
    }

    /** Reads up to and including the blank line that ends an HTTP head. */
    public byte[] readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("stream ended inside an HTTP head: " + head.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    public byte[] readExactly(int n) throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length != n) throw new IOException("stream ended after " + out.length + " of " + n + " bytes");
        return out;
    }

    /** Everything until the peer closes its side. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** -1 once the peer has closed its side; fails if a byte comes instead. */
    public int read() throws IOException {
        return in.read();
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
