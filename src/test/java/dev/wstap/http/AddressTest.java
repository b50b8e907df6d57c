package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressTest {
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        "ws://h:9/,          /,              /",
        "ws://h:9,           /chat?room=1,   /chat?room=1",
        "ws://h:9/base,      /,              /base",
        "ws://h:9/base,      /chat?room=1,   /base/chat?room=1",
        "ws://h:9/base/,     /chat,          /base/chat",
        "ws://h:9/base?k=v,  /chat?room=1,   /base/chat?k=v&room=1",
        "ws://h:9/base?k=v,  /,              /base?k=v",
        "ws://h:9/base,      /?x=1,          /base?x=1",
    })
    void theClientTargetIsAppendedToTheUpstreamPath(String upstream, String clientTarget, String expected) {
        assertEquals(expected, WsUrl.parse(upstream).targetFor(clientTarget));
    }

    @Test
    void hostHeaderLeavesOutTheDefaultPort() {
        assertEquals("example.com", WsUrl.parse("ws://example.com/x").hostHeader());
        assertEquals("example.com", WsUrl.parse("wss://example.com:443/x").hostHeader());
        assertEquals("example.com:8080", WsUrl.parse("ws://example.com:8080").hostHeader());
        assertEquals("[::1]:9001", WsUrl.parse("ws://[::1]:9001").hostHeader());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:9001 | '127.0.0.1:9001' must start with ws:// or wss:// (e.g. ws://127.0.0.1:9001)",
        "ws://127.0.0.1:99999 | 'ws://127.0.0.1:99999' has port 99999, outside 1-65535",
        "ws://127.0.0.1:abc | 'ws://127.0.0.1:abc' has no valid HOST:PORT ('127.0.0.1:abc')",
        "ws://user:pw@127.0.0.1:9001 | 'ws://user:pw@127.0.0.1:9001' has a user name or password, which a WebSocket URL cannot carry; let the client send its credentials in headers",
    })
    void upstreamMistakesAreExplained(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> WsUrl.parse(text)).getMessage());
    }

    @Test
    void httpIsTakenAsWs() {
        assertEquals("ws", WsUrl.parse("http://h:1").scheme());
        assertEquals("wss", WsUrl.parse("https://h").scheme());
        assertEquals(443, WsUrl.parse("https://h").port());
    }

    @Test
    void badUrlsAreNamed() {
        assertEquals("'ftp://x' must start with ws:// or wss://",
                assertThrows(IllegalArgumentException.class, () -> WsUrl.parse("ftp://x")).getMessage());
        assertEquals("'ws:///x' has no host", assertThrows(IllegalArgumentException.class, () -> WsUrl.parse("ws:///x")).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"8080, 127.0.0.1, 8080", "0.0.0.0:9000, 0.0.0.0, 9000", "localhost:1, localhost, 1", "'[::1]:8080', ::1, 8080", "':7', 127.0.0.1, 7"})
    void listenAddresses(String text, String host, int port) {
        assertEquals(new HostPort(host, port), HostPort.parse(text, "127.0.0.1"));
    }

    @Test
    void aBadPortIsNamed() {
        assertEquals("'x:http' has no valid port (expected [HOST:]PORT, e.g. 127.0.0.1:8080)",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("x:http", "127.0.0.1")).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'echo.example:443', echo.example, 443", "'[::1]:8080', ::1, 8080", "'127.0.0.1:9001', 127.0.0.1, 9001",
            "'[::ffff:192.0.2.1]:443', ::ffff:192.0.2.1, 443"})
    void connectTargets(String text, String host, int port) throws HttpException {
        Authority a = Authority.parse(text);
        assertEquals(new Authority(host, port), a);
        assertEquals(a, Authority.parse(a.toString()));
    }

    // Found by ConnectTargetFuzzTest: targets that were taken, and their host passed on to DNS, a
    // certificate and the log, or their port read by Integer.parseInt, which takes a sign.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.:+.0:9001 | CONNECT target '127.0.:+.0:9001' has no valid host",
        "[::\":8080 | CONNECT target '[::\":8080' has no valid host",
        "echo.example:+443 | CONNECT target 'echo.example:+443' has no valid port",
        "a b:80 | CONNECT target 'a b:80' has no valid host",
        "a/b:80 | CONNECT target 'a/b:80' has no valid host",
        "user@host:80 | CONNECT target 'user@host:80' has no valid host",
    })
    void connectTargetsThatAreNoHostAndPortAre400(String text, String message) {
        HttpException e = assertThrows(HttpException.class, () -> Authority.parse(text));
        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }

    @Test
    void aControlCharacterInAConnectHostIsRefused() {
        HttpException e = assertThrows(HttpException.class, () -> Authority.parse("[::\u0000\"]:8080")); // a NUL and a quote in brackets
        assertEquals("CONNECT target '[::\\x00\"]:8080' has no valid host", e.getMessage());
    }
}
