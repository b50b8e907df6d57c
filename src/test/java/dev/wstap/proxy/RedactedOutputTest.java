package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Handshake;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HostPort;
import dev.wstap.http.HttpResponse;
import dev.wstap.http.WsUrl;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.HarLog;
import dev.wstap.tap.Interest;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Json;
import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --redact} end to end: a session whose upgrade carries a bearer token, a cookie and an
 * access_token in its URL, and whose answer sets a cookie; and a refused request with a token in
 * its target. The console, the text log, the JSONL log and the HAR show none of the secrets; the
 * upstream and the client get every byte as it was sent.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedactedOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final List<String> SECRETS = List.of("tok-123", "tok-456", "cookie-789", "server-secret-321", "tok-000");

    @TempDir
    Path dir;

    @Test
    void noSinkShowsASecretAndEveryPeerGetsAllItsBytes() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(RedactedOutputTest::answerWithACookie)) {
            Path log = dir.resolve("traffic.jsonl");
            Path har = dir.resolve("traffic.har");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            ByteArrayOutputStream textLog = new ByteArrayOutputStream();
            Tap tap = new Tap(true);
            tap.attach("console", new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), new PrintStream(console, true,
                    StandardCharsets.UTF_8), false), false, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
            tap.attach("text", new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), new PrintStream(textLog, true,
                    StandardCharsets.UTF_8), false), false, Tap.LOG_QUEUE_EVENTS, ConsoleView.interests(ViewMode.AUTO));
            tap.attach("log", new JsonlLog(Files.newOutputStream(log), true), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
            tap.attach("har", new HarLog(Files.newOutputStream(har), "test", true), false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
            ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                    WsUrl.parse("ws://127.0.0.1:" + upstream.port() + "/")), tap).start();

            byte[] upgrade = Handshake.clientRequest("127.0.0.1:" + proxy.port(), "/chat?room=7&access_token=tok-123", RawClient.KEY,
                    List.of(new Header("Authorization", "Bearer tok-456"), new Header("Cookie", "sid=cookie-789; theme=dark"))).encode();
            try (RawClient client = RawClient.connect(proxy.port())) {
                client.write(upgrade);
                String answer = new String(client.readHead(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.contains("\r\nSet-Cookie: sid=server-secret-321; Path=/; HttpOnly\r\n"), "the client gets it all: " + answer);
                client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x01020304, utf8("hello")));
                client.readExactly(11); // the echo: 81 85, the mask key, "hello" masked
            }
            String received = new String(upstream.exchange(0, WAIT).head(), StandardCharsets.ISO_8859_1);
            for (String sent : List.of("GET /chat?room=7&access_token=tok-123 HTTP/1.1\r\n", "\r\nAuthorization: Bearer tok-456\r\n",
                    "\r\nCookie: sid=cookie-789; theme=dark\r\n")) {
                assertTrue(received.contains(sent), "the upstream gets " + sent.strip() + " unmasked: " + received);
            }
            try (RawClient refused = RawClient.connect(proxy.port())) {
                refused.write(ascii("GET /nope?token=tok-000 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
                assertTrue(new String(refused.readToEnd(), StandardCharsets.UTF_8).startsWith("HTTP/1.1 400 "));
            }
            Poll.until(WAIT, () -> proxy.sessions().size() == 0, () -> "the session is still open");
            proxy.close();
            tap.close();

            List<Map<String, Object>> records = Json.lines(log);
            Map<String, Object> open = records.stream().filter(r -> r.get("type").equals("open")).findFirst().orElseThrow();
            assertEquals(true, open.get("redacted"));
            assertEquals("ws://127.0.0.1:" + upstream.port() + "/chat?room=7&access_token=***", open.get("url"));
            assertEquals("/chat?room=7&access_token=***", ((Map<?, ?>) open.get("request")).get("target"));
            assertTrue(headers(open, "request").containsAll(List.of(List.of("Authorization", "Bearer ***"),
                    List.of("Cookie", "sid=***; theme=***"))), open.toString());
            assertTrue(headers(open, "response").contains(List.of("Set-Cookie", "sid=***; Path=/; HttpOnly")), open.toString());
            Map<String, Object> http = records.stream().filter(r -> r.get("type").equals("http")).findFirst().orElseThrow();
            assertEquals(true, http.get("redacted"));
            assertEquals("/nope?token=***", http.get("url"));
            assertTrue(records.stream().filter(r -> r.get("type").equals("frame")).allMatch(r -> !r.containsKey("redacted")),
                    "frames are not redacted, and do not say they are");

            String harText = Files.readString(har);
            assertTrue(harText.contains("\"comment\" : \"redacted by wstap --redact"), harText);
            assertTrue(harText.contains("\"name\" : \"access_token\",\n          \"value\" : \"***\""), harText);
            assertTrue(harText.contains("\"value\" : \"Bearer ***\""), harText);
            String consoleText = console.toString(StandardCharsets.UTF_8);
            assertTrue(consoleText.contains(" → ws://127.0.0.1:" + upstream.port() + "/chat?room=7&access_token=***"), consoleText);
            assertTrue(consoleText.contains("GET /nope?token=*** → 400"), consoleText);
            assertTrue(consoleText.contains("hello"), "payloads are shown as they are: " + consoleText);
            for (String secret : SECRETS) {
                for (var sink : Map.of("console", consoleText, "text log", textLog.toString(StandardCharsets.UTF_8),
                        "JSONL log", Files.readString(log), "HAR", harText).entrySet()) {
                    assertFalse(sink.getValue().contains(secret), secret + " in the " + sink.getKey() + ":\n" + sink.getValue());
                }
            }
        }
    }

    private static List<List<Object>> headers(Map<String, Object> open, String side) {
        List<List<Object>> out = new ArrayList<>();
        for (Object h : (List<?>) ((Map<?, ?>) open.get(side)).get("headers")) out.add(new ArrayList<>((List<?>) h));
        return out;
    }

    /** A 101 that sets a cookie, then a raw echo until the client leaves. */
    private static void answerWithACookie(ScriptedServer.Exchange ex) throws Exception {
        HttpResponse ok = Handshake.switchingProtocols(ex.request());
        List<Header> headers = new ArrayList<>(ok.headers().list());
        headers.add(new Header("Set-Cookie", "sid=server-secret-321; Path=/; HttpOnly"));
        ex.write(new HttpResponse(ok.version(), ok.status(), ok.reason(), new Headers(headers)).encode());
        ex.socket().setSoTimeout(0);
        InputStream in = ex.input();
        in.transferTo(ex.socket().getOutputStream());
        ex.shutdownOutput();
    }
}
