package dev.wstap.browser;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.wstap.testing.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Just enough of the Chrome DevTools Protocol to read a page: commands sent with an id over the
 * browser's DevTools WebSocket (the JDK's client, no proxy), answers matched by that id, events
 * ignored. Commands for a page carry the session id that {@code Target.attachToTarget} with
 * {@code flatten} returned. Thread safe.
 */
final class DevTools implements AutoCloseable {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(10);

    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final WebSocket socket;

    private DevTools(URI browserEndpoint) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try {
            socket = http.newWebSocketBuilder().connectTimeout(COMMAND_LIMIT).buildAsync(browserEndpoint, new Answers())
                    .get(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to Chromium's DevTools at " + browserEndpoint + ": " + e, e);
        }
    }

    /** Connects to the browser endpoint, e.g. {@code ws://127.0.0.1:PORT/devtools/browser/ID}. */
    static DevTools connect(URI browserEndpoint) throws IOException, InterruptedException {
        return new DevTools(browserEndpoint);
    }

    /**
     * Sends {@code method} with {@code paramsJson} (a JSON object) to the browser, or to the page of
     * {@code sessionId} when it is not null, and returns the answer's {@code result}.
     *
     * @throws IOException when Chromium answers with an error or not within 10 s
     */
    Map<String, Object> send(String sessionId, String method, String paramsJson) throws IOException, InterruptedException {
        long id = nextId.getAndIncrement();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String command = "{\"id\":" + id + (sessionId == null ? "" : ",\"sessionId\":" + quote(sessionId))
                + ",\"method\":" + quote(method) + ",\"params\":" + paramsJson + "}";
        try {
            socket.sendText(command, true).get(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> reply = answer.get(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.containsKey("error")) throw new IOException(method + " failed: " + reply.get("error"));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.get("result");
            return result;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer from Chromium within " + COMMAND_LIMIT.toSeconds() + " s: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Collects each message's parts and completes the command it answers. */
    private final class Answers implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean isLast) {
            message.append(data);
            if (isLast) {
                Map<String, Object> reply = Json.object(message.toString());
                message.setLength(0);
                if (reply.get("id") instanceof Long id) {
                    CompletableFuture<Map<String, Object>> answer = pending.get(id);
                    if (answer != null) answer.complete(reply);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
