package dev.wstap.browser;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wstap.tls.LeafCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The "real site": the JDK's own HTTPS server on 127.0.0.1, serving one HTML page at {@code /}
 * (404 for anything else) with a certificate for 127.0.0.1 from {@code leaves}.
 */
final class PageServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final HttpsServer server;

    private PageServer(HttpsServer server) {
        this.server = server;
    }

    static PageServer start(LeafCertificates leaves, String html) throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(HOST, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(contextFor(leaves.forHost(HOST))));
        byte[] page = html.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (!exchange.getRequestURI().getPath().equals("/")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            }
        });
        server.start();
        return new PageServer(server);
    }

    private static SSLContext contextFor(LeafCertificates.Leaf leaf) throws IOException, GeneralSecurityException {
        char[] password = "page".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("page", leaf.key(), password, leaf.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:PORT/}, with the port actually bound. */
    String url() {
        return "https://" + HOST + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
