package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.HarLog;
import dev.wstap.tap.Interest;
import dev.wstap.tap.Tap;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.Json;
import dev.wstap.testing.ProxyFixture;
import dev.wstap.filter.EventFilter;
import dev.wstap.view.LogView;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAR export of a real session, live ({@code --har}) and from its log ({@code wstap view
 * --to-har}), checked by har-validator, a HAR 1.2 reader wstap did not write.
 */
class HarTest {
    @TempDir
    Path dir;

    @Test
    void aProxiedSessionBecomesAValidHarWithItsWholeMessages() throws Exception {
        Peers.require();
        Path live = dir.resolve("live.har");
        Path log;
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + server.getPort(), dir)) {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(live));
            proxy.tap().attach("har", new HarLog(out, "test"), false, Tap.LOG_QUEUE_EVENTS, Interest.EVERYTHING);
            try (JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/chat?room=7&who=ada"))) {
                client.sendText("hello");
                assertEquals("hello", client.nextText());
                client.ws().sendText("frag", false).get();
                client.ws().sendText("mented", true).get();
                assertEquals("fragmented", client.nextText());
                client.sendBinary(new byte[] {0, 1, (byte) 0xff});
                client.nextBinary();
                client.sendPing(new byte[] {1});
                client.next(JdkWsClient.Pong.class);
                client.sendClose(1000, "");
                client.next(JdkWsClient.Close.class);
            }
            proxy.awaitNoSessions(java.time.Duration.ofSeconds(5));
            proxy.close();
            log = proxy.logFile();
        }
        Path fromLog = dir.resolve("from-log.har");
        HarLog converted = new HarLog(Files.newOutputStream(fromLog), "test");
        try (InputStream in = Files.newInputStream(log)) {
            new LogView(EventFilter.ALL, converted::accept, System.err).read("log", in);
        }
        converted.close();

        List<String> said = Peers.runClient("node", "validate-har.js", live.toString(), fromLog.toString());
        assertEquals(List.of("valid " + live, "valid " + fromLog), said);
        assertArrayEquals(Files.readAllBytes(live), Files.readAllBytes(fromLog), "the log holds everything the HAR needs");

        Map<String, Object> entry = entries(live).get(0);
        assertEquals("websocket", entry.get("_resourceType"));
        assertEquals(101, ((Number) ((Map<?, ?>) entry.get("response")).get("status")).intValue());
        assertEquals(List.of(Map.of("name", "room", "value", "7"), Map.of("name", "who", "value", "ada")),
                ((Map<?, ?>) entry.get("request")).get("queryString"));
        List<?> messages = (List<?>) entry.get("_webSocketMessages");
        List<String> summary = messages.stream().map(m -> (Map<?, ?>) m)
                .map(m -> m.get("type") + " " + ((Number) m.get("opcode")).intValue() + " " + m.get("data")).toList();
        assertEquals(List.of("send 1 hello", "receive 1 hello", "send 1 fragmented", "receive 1 fragmented",
                "send 2 AAH/", "receive 2 AAH/"), summary, "whole messages, binary in base64, no control frames");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Path har) throws Exception {
        Map<String, Object> root = Json.object(Files.readString(har));
        return (List<Map<String, Object>>) ((Map<String, Object>) root.get("log")).get("entries");
    }
}
