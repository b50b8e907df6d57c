package dev.wstap.proxy;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.testing.ProxyFixture;
import dev.wstap.testing.RawClient;
import dev.wstap.testing.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTP with {@code Expect: 100-continue} (RFC 9110 §10.1.1): the body goes when the client sends it. */
class ExpectContinueTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] REQUEST = ascii("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] DONE = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    @TempDir
    Path dir;

    @Test
    void theClientGetsTheUpstreamsHundredAndThenItsBodyGoesOn() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                ex.write(CONTINUE);
                if (!new String(ex.readExactly(5), StandardCharsets.US_ASCII).equals("hello")) throw new AssertionError("body lost");
                ex.write(DONE);
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(REQUEST);
            // As curl does: the body waits for the 100, which must come through wstap at once.
            assertArrayEquals(CONTINUE, client.readHead());
            client.write(ascii("hello"));
            assertArrayEquals(DONE, client.readExactly(DONE.length));
            upstream.assertNoFailures();
        }
    }

    @Test
    void anUpstreamThatIgnoresExpectGetsTheBodyAnyway() throws Exception {
        try (ScriptedServer upstream = ScriptedServer.start(ex -> {
                // No 100: this server just reads the body, as many do.
                if (!new String(ex.readExactly(5), StandardCharsets.US_ASCII).equals("hello")) throw new AssertionError("body lost");
                ex.write(DONE);
                ex.readToEnd();
            });
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.config("ws://127.0.0.1:" + upstream.port()), dir);
             RawClient client = RawClient.connect(proxy.port())) {
            client.write(REQUEST);
            client.write(ascii("hello")); // the client tired of waiting for a 100
            assertArrayEquals(DONE, client.readExactly(DONE.length));
            upstream.assertNoFailures();
            assertEquals(200, proxy.events().await(dev.wstap.tap.HttpSeen.class, WAIT).status());
        }
    }
}
