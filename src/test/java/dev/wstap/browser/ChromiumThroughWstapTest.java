package dev.wstap.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Json;
import dev.wstap.testing.Poll;
import dev.wstap.tls.CertificateAuthority;
import dev.wstap.tls.LeafCertificates;
import dev.wstap.tls.ServerTls;
import dev.wstap.tls.UpstreamTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser through wstap. Headless Chromium, with wstap as its HTTP proxy, loads an HTTPS
 * page that opens a {@code wss://} WebSocket to an echo server, sends a few messages and writes
 * into its title whether their echoes came back. The page server and the echo server present
 * certificates from one CA (the real site's); Chromium trusts only wstap's CA, so the page can only
 * have worked through wstap's TLS interception, and wstap's log must hold the decrypted frames.
 */
class ChromiumThroughWstapTest {
    private static final List<String> MESSAGES = List.of(
            "hello from chromium",
            "{\"type\":\"chat\",\"text\":\"gr\u00fc\u00dfe \u2713\",\"n\":42}",
            "third message, with a fox: \ud83e\udd8a");
    private static final String PENDING = "ECHO-PENDING";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private CertificateAuthority serverCa;
    private CertificateAuthority wstapCa;
    private Path logFile;
    private Tap tap;
    private EchoServer echo;
    private PageServer page;
    private ProxyServer proxy;
    private String echoUrl;

    @BeforeEach
    void startServersAndWstap() throws Exception {
        Chromium.require();
        serverCa = CertificateAuthority.loadOrCreate(tmp.resolve("server-ca"));
        wstapCa = CertificateAuthority.loadOrCreate(tmp.resolve("wstap-ca"));
        echo = new EchoServer(new HostPort("127.0.0.1", 0), ServerTls.minting(new LeafCertificates(serverCa, 16)), line -> {})
                .start();
        echoUrl = echo.url() + "/browser";
        page = PageServer.start(new LeafCertificates(serverCa, 16), page(echoUrl));
        logFile = tmp.resolve("wstap.jsonl");
        tap = new Tap();
        tap.attach("log", new JsonlLog(Files.newOutputStream(logFile)), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
        proxy = new ProxyServer(ProxyConfig.forward(new HostPort("127.0.0.1", 0))
                .withInterceptTls(ServerTls.minting(new LeafCertificates(wstapCa, 100)))
                .withUpstreamTls(UpstreamTls.verifying(List.of(serverCa.certificateFile()))), tap).start();
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        if (tap != null) tap.close();
        if (page != null) page.close();
        if (echo != null) echo.close();
    }

    /**
     * Chromium, trusting only wstap's CA (as {@code wstap ca trust-help} says), loads the page
     * through {@code proxyServer} and sees every echo; then wstap stops, and its log is returned.
     */
    private List<Map<String, Object>> echoThrough(String proxyServer) throws Exception {
        Path home = tmp.resolve("home");
        // As a user does it: the throwaway steps of wstap ca trust-help, run as written.
        Chromium.trustAsTrustHelpSays(home, tmp.resolve("wstap-ca"));
        try (Chromium chromium = Chromium.start(home, proxyServer, page.url(), LIMIT)) {
            String title = chromium.awaitTitle(t -> t.startsWith("ECHO-") && !t.equals(PENDING), LIMIT);
            assertEquals("ECHO-OK:" + MESSAGES.size(), title, "the page saw every echo\nwstap log:\n" + readQuietly(logFile)
                    + "\nchromium:\n" + chromium.log());
            // The page closes the WebSocket after the last echo; wait for wstap to log the close.
            awaitLog(r -> "close".equals(r.get("type")), "the WebSocket's close record");
        }
        proxy.close();
        tap.close();
        return Json.lines(logFile);
    }

    @Test
    void chromiumTrustingOnlyWstapsCaEchoesOverWssAndWstapLogsTheDecryptedFrames() throws Exception {
        List<Map<String, Object>> log = echoThrough("http://127.0.0.1:" + proxy.port());
        String diagnostics = "\nwstap log:\n" + Files.readString(logFile);

        Map<String, Object> pageRequest = only(log, r -> "http".equals(r.get("type")) && page.url().equals(r.get("url")),
                "page request", diagnostics);
        assertEquals("GET", pageRequest.get("method"));
        assertEquals(200L, pageRequest.get("status"), diagnostics);

        Map<String, Object> open = only(log, r -> "open".equals(r.get("type")), "open record", diagnostics);
        assertTrue(((String) open.get("url")).startsWith(echoUrl), "open url " + open.get("url") + diagnostics);
        Map<?, ?> tls = (Map<?, ?>) open.get("tls");
        assertNotNull(tls, "open record without tls" + diagnostics);
        assertNotNull(tls.get("client"), "no TLS towards Chromium" + diagnostics);
        Map<?, ?> upstreamTls = (Map<?, ?>) tls.get("upstream");
        assertNotNull(upstreamTls, "no TLS towards the echo server" + diagnostics);
        assertTrue(String.valueOf(upstreamTls.get("subject")).contains("CN=127.0.0.1"), "upstream subject" + diagnostics);

        Object conn = open.get("conn");
        assertEquals(MESSAGES, texts(log, conn, "c2s"), "what Chromium sent, decrypted" + diagnostics);
        assertEquals(MESSAGES, texts(log, conn, "s2c"), "what the echo server sent back, decrypted" + diagnostics);
        Map<String, Object> close = only(log, r -> "close".equals(r.get("type")), "close record", diagnostics);
        assertEquals(1000L, close.get("code"), diagnostics);
        assertEquals(true, close.get("clean"), diagnostics);
        assertNull(close.get("error"), "a clean close is no error" + diagnostics);

        for (Map<String, Object> r : log) {
            Object url = r.get("url");
            if (url != null && !"-".equals(url)) {
                // A URL, or a CONNECT's host:port (Chromium may open a tunnel it then leaves unused).
                assertTrue(String.valueOf(url).matches("([a-z]+://)?127\\.0\\.0\\.1:\\d+(/.*)?"), "only loopback traffic: " + url);
            }
        }
    }

    /**
     * The same page with wstap as Chromium's SOCKS5 proxy ({@code --proxy-server=socks5://}): the
     * page's request and its wss:// WebSocket go through SOCKS5 CONNECTs, and wstap intercepts the
     * TLS in them as in an HTTP CONNECT.
     */
    @Test
    void chromiumThroughSocks5EchoesOverWssAndWstapLogsTheDecryptedFrames() throws Exception {
        proxy.close();
        proxy = new ProxyServer(ProxyConfig.forward(new HostPort("127.0.0.1", 0)).withSocks(true)
                .withInterceptTls(ServerTls.minting(new LeafCertificates(wstapCa, 100)))
                .withUpstreamTls(UpstreamTls.verifying(List.of(serverCa.certificateFile()))), tap).start();
        List<Map<String, Object>> log = echoThrough("socks5://127.0.0.1:" + proxy.port());
        String diagnostics = "\nwstap log:\n" + Files.readString(logFile);
        Object conn = only(log, r -> "open".equals(r.get("type")), "open record", diagnostics).get("conn");
        assertEquals(MESSAGES, texts(log, conn, "c2s"), "what Chromium sent, decrypted" + diagnostics);
        assertEquals(MESSAGES, texts(log, conn, "s2c"), "what the echo server sent back, decrypted" + diagnostics);
    }

    /**
     * The control: a Chromium that trusts the real site's CA but not wstap's refuses wstap's
     * certificate, so the page never loads. This is what makes the test above a proof that Chromium
     * checked wstap's minted certificates against the NSS database in its home.
     */
    @Test
    void chromiumNotTrustingWstapsCaRefusesTheInterceptedPage() throws Exception {
        Path home = tmp.resolve("home");
        Chromium.trustInHome(home, serverCa.certificateFile());
        try (Chromium chromium = Chromium.start(home, proxy.port(), page.url(), LIMIT)) {
            awaitLog(r -> String.valueOf(r.get("error")).startsWith("TLS from client"),
                    "wstap's record of Chromium refusing its certificate");
            String title = chromium.awaitTitle(t -> !t.isEmpty(), LIMIT); // Chromium's error page has one
            assertFalse(title.startsWith("ECHO-"), "the page must not have loaded: " + title);
        }
        proxy.close();
        tap.close();
        List<Map<String, Object>> log = Json.lines(logFile);
        assertTrue(log.stream().noneMatch(r -> "open".equals(r.get("type")) || page.url().equals(r.get("url"))),
                "nothing got through: " + Files.readString(logFile));
    }

    private void awaitLog(Predicate<Map<String, Object>> which, String what) {
        Poll.until(LIMIT, () -> {
            try {
                return Json.completeLines(logFile).stream().anyMatch(which);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> what + " in wstap's log:\n" + readQuietly(logFile));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The page, with the echo URL and the messages filled in as JavaScript string literals. */
    private static String page(String echoUrl) throws IOException {
        String template;
        try (InputStream in = ChromiumThroughWstapTest.class.getResourceAsStream("/browser/echo-page.html")) {
            assertNotNull(in, "src/test/resources/browser/echo-page.html is not on the class path");
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String messages = MESSAGES.stream().map(DevTools::quote).collect(Collectors.joining(", ", "[", "]"));
        return template.replace("@ECHO_URL@", DevTools.quote(echoUrl)).replace("@MESSAGES@", messages);
    }

    /** The decrypted text of the connection's text frames going {@code dir}, in order. */
    private static List<String> texts(List<Map<String, Object>> log, Object conn, String dir) {
        return log.stream()
                .filter(r -> "frame".equals(r.get("type")) && conn.equals(r.get("conn")) && dir.equals(r.get("dir"))
                        && Long.valueOf(1).equals(r.get("opcode")))
                .map(r -> (String) r.get("text"))
                .toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> log, Predicate<Map<String, Object>> which,
                                            String what, String diagnostics) {
        List<Map<String, Object>> found = log.stream().filter(which).toList();
        assertEquals(1, found.size(), "exactly one " + what + diagnostics);
        return found.get(0);
    }
}
