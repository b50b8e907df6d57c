package dev.wstap.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@link java.net.http.WebSocket}, a client nobody here wrote, wrapped so that a test can
 * send and then take what arrived, in order: whole text and binary messages (fragments joined),
 * pongs, the close. Every wait has a timeout.
 */
public final class JdkWsClient implements AutoCloseable {
    /** The limit of every wait, before {@link Waits} stretches it on a busy machine. */
    private static final long TIMEOUT_SECONDS = 10;

    /** A pong that arrived, with its payload. */
    public record Pong(byte[] payload) {}

    /** The server's close frame. */
    public record Close(int code, String reason) {}

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final WebSocket ws;

    private JdkWsClient(HttpClient http, URI uri, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofMillis(timeoutMillis()));
        if (subprotocols.length > 0) {
            String[] rest = java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        this.ws = builder.buildAsync(uri, new Collector()).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private static long timeoutMillis() {
        return Waits.scaledMillis(TIMEOUT_SECONDS * 1000);
    }

    public static JdkWsClient connect(URI uri, String... subprotocols) throws Exception {
        return new JdkWsClient(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build(), uri, subprotocols);
    }

    /** Through {@code http}: a client set up with its own TLS context or proxy. */
    public static JdkWsClient connect(HttpClient http, URI uri, String... subprotocols) throws Exception {
        return new JdkWsClient(http, uri, subprotocols);
    }

    public WebSocket ws() {
        return ws;
    }

    public void sendText(String text) throws Exception {
        ws.sendText(text, true).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    public void sendBinary(byte[] data) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(data), true).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    public void sendPing(byte[] data) throws Exception {
        ws.sendPing(ByteBuffer.wrap(data)).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    public void sendClose(int code, String reason) throws Exception {
        ws.sendClose(code, reason).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next thing that arrived, which must be a {@code type}. */
    public <T> T next(Class<T> type) throws InterruptedException {
        long limit = timeoutMillis();
        Object o = received.poll(limit, TimeUnit.MILLISECONDS);
        if (o == null) {
            throw new AssertionError("nothing arrived within " + limit + " ms (expected a " + type.getSimpleName() + "); "
                    + ThreadDumps.write("jdk-ws-client-waited"));
        }
        if (o instanceof Throwable t) throw new AssertionError("the client failed while a " + type.getSimpleName() + " was expected", t);
        if (!type.isInstance(o)) throw new AssertionError("expected a " + type.getSimpleName() + ", got " + o);
        return type.cast(o);
    }

    public String nextText() throws InterruptedException {
        return next(String.class);
    }

    public byte[] nextBinary() throws InterruptedException {
        return next(byte[].class);
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] payload = new byte[message.remaining()];
            message.get(payload);
            received.add(new Pong(payload));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            received.add(error);
        }
    }
}
