package dev.wstap.demo;

import dev.wstap.http.Handshake;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client of {@code wstap demo}: one of every kind of frame, so that a new user sees how each
 * is shown. Sends a text, a JSON message, a binary blob, a text in three fragments with a ping
 * between the first two, and a close; waits for the echo of each.
 */
public final class DemoClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PAUSE_MILLIS = 150;

    private final String host;
    private final int port;
    private final String path;

    public DemoClient(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** Runs the whole conversation; returns once the server's close arrived (or 5 s passed). */
    public void run() throws IOException, InterruptedException {
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String key = Handshake.newKey();
            HttpRequest request = Handshake.clientRequest(host + ":" + port, path, key, List.of());
            out.write(request.encode());
            byte[] early = awaitSwitchingProtocols(in, request);

            CountDownLatch closed = new CountDownLatch(1);
            FrameParser parser = new FrameParser(Direction.S2C, 0, f -> {
                if (f.header().opcode() == Opcode.CLOSE) closed.countDown();
            });
            parser.feed(early, 0, early.length);
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) parser.feed(buf, 0, n);
                } catch (IOException ignored) {
                    // The socket closes when the demo ends.
                }
                closed.countDown();
            });

            send(out, true, Opcode.TEXT, "Hello from the wstap demo!");
            send(out, true, Opcode.TEXT, "{\"type\":\"greeting\",\"id\":42,\"tags\":[\"demo\",\"json\"],"
                    + "\"user\":{\"name\":\"Ada\",\"admin\":false,\"score\":9.5,\"email\":null}}");
            byte[] blob = new byte[40];
            for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 7 + 0x30);
            blob[0] = 0x00;
            blob[1] = (byte) 0xFF;
            send(out, true, Opcode.BINARY, blob);
            send(out, false, Opcode.TEXT, "This message arrives ");
            send(out, true, Opcode.PING, "are you there?");
            send(out, false, Opcode.CONTINUATION, "in three ");
            send(out, true, Opcode.CONTINUATION, "fragments.");
            send(out, true, Opcode.CLOSE, new ClosePayload(CloseCode.NORMAL, "demo finished").encode());
            closed.await(5, TimeUnit.SECONDS);
            reader.join(1000);
        }
    }

    private byte[] awaitSwitchingProtocols(InputStream in, HttpRequest request) throws IOException {
        HeadBuffer head = new HeadBuffer();
        try {
            if (!head.readFrom(in)) throw new IOException("the proxy closed the connection during the handshake");
            HttpResponse response = HeadParser.parseResponse(head.head());
            if (response.status() != 101) throw new IOException("the proxy answered " + response.statusLine());
            String problem = Handshake.checkAccept(request, response);
            if (problem != null) throw new IOException(problem);
        } catch (HttpException e) {
            throw new IOException(e.getMessage(), e);
        }
        return head.leftover();
    }

    private static void send(OutputStream out, boolean isFinal, int opcode, String text) throws IOException, InterruptedException {
        send(out, isFinal, opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(OutputStream out, boolean isFinal, int opcode, byte[] payload) throws IOException, InterruptedException {
        out.write(FrameEncoder.frame(isFinal, opcode, RANDOM.nextInt(), payload));
        out.flush();
        Thread.sleep(PAUSE_MILLIS);
    }
}
