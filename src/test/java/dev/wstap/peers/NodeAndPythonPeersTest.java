package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.proxy.ProxyConfig;
import dev.wstap.proxy.ProxyServer;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Python's websockets client talks to Node's ws server through wstap, with permessage-deflate
 * agreed between them: every echo must come back intact, and wstap must see every frame without
 * reporting a violation that is not there.
 */
class NodeAndPythonPeersTest {
    @Test
    void pythonWebsocketsThroughWstapToNodeWsWithCompression() throws Exception {
        Peers.require();
        int nodePort;
        try (ServerSocket s = new ServerSocket(0)) {
            nodePort = s.getLocalPort();
        }
        Process node = Peers.startServer("listening", "node", "ws-echo-server.js", Integer.toString(nodePort));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Tap tap = new Tap();
        tap.attach("log", new JsonlLog(log), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);
        try (ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                WsUrl.parse("ws://127.0.0.1:" + nodePort + "/base")), tap).start()) {
            List<String> out = Peers.runClient(Peers.python(), "websockets_client.py", "ws://127.0.0.1:" + proxy.port() + "/room?id=7");
            assertEquals(List.of("greeting /base/room?id=7 chat.v1", "echo str 5", "echo str 63", "echo bytes 256",
                    "echo str 11", "echo str 1048576", "echo bytes 300000", "echo fragmented", "pong"), out);
        } finally {
            tap.close();
            node.destroyForcibly();
        }

        Map<String, Integer> types = new HashMap<>();
        int compressed = 0;
        java.util.List<String> inflatedTexts = new java.util.ArrayList<>();
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            Map<String, Object> record = topLevel(line);
            types.merge((String) record.get("type"), 1, Integer::sum);
            if ("frame".equals(record.get("type"))) {
                assertEquals("[]", record.get("violations"), line);
                if (((Number) record.get("rsv")).intValue() == 4) compressed++;
            }
            if ("message".equals(record.get("type"))) {
                assertEquals("[]", record.get("violations"), line);
                if ("true".equals(record.get("compressed")) && record.get("text") != null) {
                    inflatedTexts.add(record.get("dir") + " " + record.get("text"));
                }
            }
        }
        // Both peers compress, each with its own library: wstap shows the JSON inflated, both ways.
        String json = "{\"type\": \"update\", \"values\": [1, 2, 3], \"nested\": {\"ok\": true}}";
        assertTrue(inflatedTexts.contains("c2s " + json), inflatedTexts.toString());
        assertTrue(inflatedTexts.contains("s2c " + json), inflatedTexts.toString());
        assertTrue(inflatedTexts.contains("c2s ünïcødé ✓ 𝄞"), inflatedTexts.toString());
        assertEquals(1, types.get("open"));
        assertEquals(1, types.get("close"));
        assertTrue(compressed >= 14, "both sides compressed their messages: " + compressed);
    }

    /** The top-level scalar fields of one log line; arrays as their JSON text when empty ("[]"). */
    private static Map<String, Object> topLevel(String line) throws Exception {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    boolean isEmpty = p.nextToken() == JsonToken.END_ARRAY;
                    if (!isEmpty) p.skipChildren();
                    fields.put(name, isEmpty ? "[]" : "[...]");
                    if (!isEmpty) {
                        while (p.currentToken() != JsonToken.END_ARRAY) p.nextToken();
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (t.isNumeric()) {
                    fields.put(name, p.getNumberValue());
                } else {
                    fields.put(name, p.getText());
                }
            }
        }
        return fields;
    }
}
