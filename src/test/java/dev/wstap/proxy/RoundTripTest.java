package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.tap.Closed;
import dev.wstap.testing.Bytes;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages round-trip with the right content when the JDK's WebSocket client talks through wstap
 * to wstap's own echo server and to Java-WebSocket's server: short and 1 MiB text, multi-byte
 * UTF-8 (two-, three- and four-byte sequences), binary, and a clean close.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoundTripTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String UTF8 = "héllo wörld · ∑ ≠ ∞ · 日本語のテキスト · 🚀🦀 · ℵ₀";

    @TempDir
    Path dir;

    @Test
    void jdkClientThroughWstapToTheBuiltInEchoServer() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> {}).start()) {
            roundTrips(echo.url());
        }
    }

    @Test
    void jdkClientThroughWstapToJavaWebSocketServer() throws Exception {
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            roundTrips("ws://127.0.0.1:" + server.getPort());
            assertEquals(java.util.List.of(), server.errors());
        }
    }

    private void roundTrips(String upstream) throws Exception {
        String megabyte = oneMebibyteOfText();
        try (ProxyFixture proxy = ProxyFixture.start(upstream, dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/echo"))) {
            client.sendText("hello");
            assertEquals("hello", client.nextText());
            client.sendText(UTF8);
            assertEquals(UTF8, client.nextText());
            client.sendText(megabyte);
            String echoed = client.nextText();
            assertEquals(megabyte.length(), echoed.length());
            assertEquals(megabyte, echoed);
            client.sendText("");
            assertEquals("", client.nextText());
            byte[] binary = Bytes.pattern(200_000);
            client.sendBinary(binary);
            assertArrayEquals(binary, client.nextBinary());
            client.sendClose(1000, "bye ✓");
            assertEquals(new JdkWsClient.Close(1000, "bye ✓"), client.next(JdkWsClient.Close.class));

            Closed closed = proxy.events().await(Closed.class, WAIT);
            assertEquals(1000, closed.code());
            assertEquals("bye ✓", closed.reason());
            assertEquals("client", closed.closedBy());
            assertEquals(true, closed.isClean());
        }
    }

    /** 1 MiB of UTF-8 text mixing one- to four-byte characters, so that frame and read boundaries split sequences. */
    private static String oneMebibyteOfText() {
        StringBuilder s = new StringBuilder();
        String[] words = {"ascii ", "ü ", "€ ", "𝄞 ", "日本 ", "{\"k\":[1,2]} "};
        for (int i = 0; s.length() < 1 << 20; i++) s.append(words[i % words.length]).append(i).append('\n');
        // Cut at a character boundary just under 1 MiB of UTF-8, then pad with ASCII to exactly 1 MiB.
        byte[] bytes = Bytes.utf8(s.toString());
        int end = 1 << 20;
        while ((bytes[end] & 0xC0) == 0x80) end--;
        String text = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8) + "x".repeat((1 << 20) - end);
        assertEquals(1 << 20, Bytes.utf8(text).length);
        return text;
    }
}
