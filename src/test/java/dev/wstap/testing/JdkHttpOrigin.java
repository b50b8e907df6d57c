package dev.wstap.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver} (an HTTP server nobody here wrote) on a free loopback
 * port, as the origin behind a forward proxy. It answers
 * {@code /hello?QUERY} with {@code hello, QUERY} and a Content-Length;
 * {@code /chunked} chunked (the JDK server chunks when the length given is 0), in three writes;
 * {@code /upload} with {@code got N bytes: BODY}. It keeps every request it saw.
 */
public final class JdkHttpOrigin implements AutoCloseable {
    /** A request as the server saw it; header names as the JDK normalises them ({@code Proxy-authorization}). */
    public record Seen(String method, String uri, Map<String, List<String>> headers) {}

    public static final List<String> CHUNKS = List.of("first chunk\n", "second\n", "third and last\n");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private JdkHttpOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(executor);
        server.createContext("/hello", ex -> answer(ex, 200, "hello, " + ex.getRequestURI().getRawQuery() + "\n"));
        server.createContext("/chunked", this::chunked);
        server.createContext("/upload", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            answer(ex, 200, "got " + body.length + " bytes: " + new String(body, StandardCharsets.UTF_8));
        });
        server.start();
    }

    public static JdkHttpOrigin start() throws IOException {
        return new JdkHttpOrigin();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void record(HttpExchange ex) {
        Headers h = ex.getRequestHeaders();
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), new TreeMap<>(h)));
    }

    private void answer(HttpExchange ex, int status, String body) throws IOException {
        record(ex);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void chunked(HttpExchange ex) throws IOException {
        record(ex);
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(200, 0); // 0: length unknown, so the JDK server sends it chunked
        try (OutputStream out = ex.getResponseBody()) {
            for (String chunk : CHUNKS) {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
