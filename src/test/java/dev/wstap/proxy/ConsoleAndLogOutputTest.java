package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.http.WsUrl;
import dev.wstap.render.ConsoleSink;
import dev.wstap.render.ConsoleView;
import dev.wstap.render.ViewMode;
import dev.wstap.tap.Interest;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Tap;
import dev.wstap.testing.Json;
import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees and what a script reads: one session (JSON text, binary, close) through
 * wstap to the built-in echo server, rendered by the console view without colour and written to
 * the JSONL log. The console is compared line by line with only the clock masked; every log line
 * is parsed with jackson-core and held to schema v1 (DESIGN.md).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConsoleAndLogOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int KEY = 0x11223344;
    private static final String JSON = "{\"user\":\"ada\",\"n\":[1,2.5,true,null]}";
    private static final byte[] BINARY = {0x00, 0x01, 0x02, 0x7f, (byte) 0x80, (byte) 0xff, 'w', 's', 't', 'a', 'p',
            0x0a, 0x0d, 0x1b, '!', '~', 'A', 'B', 'C', 'D'};
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    @TempDir
    Path dir;

    @Test
    void consoleShowsEveryFrameAndTheLogFollowsSchemaV1() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path logFile = dir.resolve("traffic.jsonl");
        Tap tap = new Tap();
        PrintStream consoleOut = new PrintStream(console, false, StandardCharsets.UTF_8);
        tap.attach("console", new ConsoleSink(new ConsoleView(ViewMode.AUTO, ZoneOffset.UTC), consoleOut, false),
                true, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
        OutputStream logOut = Files.newOutputStream(logFile);
        tap.attach("log", new JsonlLog(logOut), false, Tap.LOG_QUEUE_EVENTS, JsonlLog.INTERESTS);

        byte[] text = FrameEncoder.frame(true, Opcode.TEXT, KEY, utf8(JSON));
        byte[] binary = FrameEncoder.frame(true, Opcode.BINARY, KEY, BINARY);
        byte[] close = FrameEncoder.frame(true, Opcode.CLOSE, KEY, new ClosePayload(1000, "bye").encode());
        int clientPort;
        int proxyPort;
        int echoPort;
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start();
             ProxyServer proxy = new ProxyServer(ProxyConfig.reverse(new HostPort("127.0.0.1", 0),
                     WsUrl.parse(echo.url())), tap).start();
             RawClient client = RawClient.connect(proxy.port())) {
            echoPort = echo.port();
            proxyPort = proxy.port();
            clientPort = client.localPort();
            client.upgrade("/chat");
            client.write(text);
            assertArrayEquals(FrameEncoder.frame(true, Opcode.TEXT, null, utf8(JSON)), client.readExactly(38));
            client.write(binary);
            assertArrayEquals(FrameEncoder.frame(true, Opcode.BINARY, null, BINARY), client.readExactly(22));
            client.write(close);
            assertArrayEquals(FrameEncoder.frame(true, Opcode.CLOSE, null, new ClosePayload(1000, "bye").encode()),
                    client.readExactly(7));
            assertEquals(-1, client.read(), "the echo server closes after answering the close");
            client.close();
            Poll.until(WAIT, () -> proxy.sessions().size() == 0, "the session to end");
        } finally {
            tap.close();
        }

        String c2sHeader = " fin=1 rsv=000 mask=11223344 ";
        String s2cHeader = " fin=1 rsv=000 mask=-------- ";
        List<String> json = List.of(
                "    {",
                "      \"user\": \"ada\",",
                "      \"n\": [",
                "        1,",
                "        2.5,",
                "        true,",
                "        null",
                "      ]",
                "    }");
        List<String> hex = List.of(
                "    00000000  00 01 02 7f 80 ff 77 73  74 61 70 0a 0d 1b 21 7e |......wstap...!~|",
                "    00000010  41 42 43 44                                      |ABCD|");
        List<String> expected = new ArrayList<>();
        expected.add("open 127.0.0.1:" + clientPort + " → ws://127.0.0.1:" + echoPort + "/chat");
        expected.add("client→server text  " + c2sHeader + "len=36");
        expected.addAll(json);
        expected.add("server→client text  " + s2cHeader + "len=36");
        expected.addAll(json);
        expected.add("client→server binary" + c2sHeader + "len=20");
        expected.addAll(hex);
        expected.add("server→client binary" + s2cHeader + "len=20");
        expected.addAll(hex);
        expected.add("client→server close " + c2sHeader + "len=5");
        expected.add("    code 1000 Normal Closure reason \"bye\"");
        expected.add("server→client close " + s2cHeader + "len=5");
        expected.add("    code 1000 Normal Closure reason \"bye\"");
        expected.add("closed by client: 1000 Normal Closure \"bye\" · answered in T · D s · c2s 3 frames 2 msg 79 B · s2c 3 frames 2 msg 67 B");

        List<String> shown = new ArrayList<>();
        for (String line : console.toString(StandardCharsets.UTF_8).split("\n")) {
            // Event lines start with the local time and the session number; payload lines are indented.
            if (!line.startsWith("    ")) {
                assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} #1 .*"), "time and session first: " + line);
                line = line.substring("00:00:00.000000 #1 ".length());
            }
            shown.add(line.replaceAll("· \\d+\\.\\d{3} s ·", "· D s ·").replaceAll("answered in \\d+\\.\\d{3} ms", "answered in T"));
        }
        assertEquals(expected, shown);
        assertTrue(!console.toString(StandardCharsets.UTF_8).contains("\u001b["), "no colour codes");

        List<Map<String, Object>> log = Json.lines(logFile);
        assertEquals(List.of("open", "frame", "frame", "frame", "frame", "frame", "frame", "close"),
                log.stream().map(r -> r.get("type")).toList());
        for (Map<String, Object> record : log) {
            assertEquals(1L, record.get("v"));
            assertEquals(1L, record.get("conn"));
            assertTrue(((String) record.get("ts")).matches(TIMESTAMP), "ISO-8601 UTC with microseconds: " + record.get("ts"));
        }
        assertOpen(log.get(0), clientPort, proxyPort, echoPort);
        assertFrame(log.get(1), "c2s", Opcode.TEXT, "11223344", utf8(JSON), JSON);
        assertFrame(log.get(2), "s2c", Opcode.TEXT, null, utf8(JSON), JSON);
        assertFrame(log.get(3), "c2s", Opcode.BINARY, "11223344", BINARY, null);
        assertFrame(log.get(4), "s2c", Opcode.BINARY, null, BINARY, null);
        assertFrame(log.get(5), "c2s", Opcode.CLOSE, "11223344", new ClosePayload(1000, "bye").encode(), null);
        assertFrame(log.get(6), "s2c", Opcode.CLOSE, null, new ClosePayload(1000, "bye").encode(), null);

        Map<String, Object> closed = log.get(7);
        assertEquals(List.of("v", "type", "ts", "conn", "code", "reason", "closed_by", "clean", "error", "duration_ms", "close_answer_ms", "stats"),
                List.copyOf(closed.keySet()));
        assertEquals(1000L, closed.get("code"));
        assertEquals("bye", closed.get("reason"));
        assertEquals("client", closed.get("closed_by"));
        assertEquals(true, closed.get("clean"));
        assertNull(closed.get("error"));
        assertInstanceOf(Double.class, closed.get("duration_ms"));
        assertEquals(Map.of("c2s", Map.of("frames", 3L, "messages", 2L, "bytes", 79L), "s2c", Map.of("frames", 3L, "messages", 2L, "bytes", 67L),
                "ping_rtt_ms", Map.of("count", 0L)),
                closed.get("stats"));
    }

    private static void assertOpen(Map<String, Object> open, int clientPort, int proxyPort, int echoPort) {
        assertEquals(List.of("v", "type", "ts", "conn", "client", "url", "request", "response", "subprotocol", "extensions"),
                List.copyOf(open.keySet()));
        assertEquals("127.0.0.1:" + clientPort, open.get("client"));
        assertEquals("ws://127.0.0.1:" + echoPort + "/chat", open.get("url"));
        // The request as the client sent it, the 101 as the client got it.
        assertEquals(Map.of("method", "GET", "target", "/chat", "headers", List.of(
                List.of("Host", "127.0.0.1:" + proxyPort),
                List.of("Upgrade", "websocket"),
                List.of("Connection", "Upgrade"),
                List.of("Sec-WebSocket-Key", RawClient.KEY),
                List.of("Sec-WebSocket-Version", "13"))), open.get("request"));
        assertEquals(Map.of("status", 101L, "reason", "Switching Protocols", "headers", List.of(
                List.of("Upgrade", "websocket"),
                List.of("Connection", "Upgrade"),
                List.of("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))), open.get("response"));
        assertTrue(open.containsKey("subprotocol"));
        assertNull(open.get("subprotocol"));
        assertNull(open.get("extensions"));
    }

    private static void assertFrame(Map<String, Object> f, String dir, int opcode, String mask, byte[] payload, String text) {
        List<String> keys = new ArrayList<>(List.of("v", "type", "ts", "conn", "dir", "fin", "rsv", "opcode", "masked", "mask",
                "len", "payload_b64", "truncated", "injected", "fate", "violations"));
        if (text != null) keys.add(keys.indexOf("injected"), "text");
        assertEquals(keys, List.copyOf(f.keySet()), dir + " frame fields");
        assertEquals(dir, f.get("dir"));
        assertEquals("forwarded", f.get("fate"));
        assertEquals(true, f.get("fin"));
        assertEquals(0L, f.get("rsv"));
        assertEquals((long) opcode, f.get("opcode"));
        assertEquals(mask != null, f.get("masked"));
        assertEquals(mask, f.get("mask"));
        assertEquals((long) payload.length, f.get("len"));
        assertEquals(Base64.getEncoder().encodeToString(payload), f.get("payload_b64"), "payload_b64 is the unmasked payload");
        assertEquals(false, f.get("truncated"));
        assertEquals(text, f.get("text"));
        assertEquals(false, f.get("injected"));
        assertEquals(List.of(), f.get("violations"));
    }
}
