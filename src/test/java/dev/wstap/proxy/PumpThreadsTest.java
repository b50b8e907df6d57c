package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which threads a session pumps on: virtual by default, platform with --low-latency. */
class PumpThreadsTest {
    @TempDir
    Path dir;

    /** Platform threads named after the session's pumps; virtual ones are not listed by the JVM. */
    private static List<String> platformPumps(int session) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.equals("wstap-" + session + "-c2s") || n.equals("wstap-" + session + "-s2c")).sorted().toList();
    }

    private List<String> pumpsOfOneSession(boolean isLowLatency) throws Exception {
        try (JavaWebSocketEcho upstream = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start(
                     ProxyFixture.config("ws://127.0.0.1:" + upstream.getPort()).withLowLatency(isLowLatency), dir);
             JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/"))) {
            client.sendText("hello");
            assertEquals("hello", client.nextText(), "the session forwards either way");
            int id = proxy.server().sessions().all().iterator().next().id();
            List<String> pumps = platformPumps(id);
            client.close();
            proxy.awaitNoSessions(Duration.ofSeconds(5));
            assertTrue(platformPumps(id).isEmpty(), "the pumps' threads end with the session");
            return pumps;
        }
    }

    @Test
    void lowLatencySessionsPumpOnPlatformThreads() throws Exception {
        assertEquals(List.of(), pumpsOfOneSession(false));
        List<String> pumps = pumpsOfOneSession(true);
        assertEquals(2, pumps.size(), pumps.toString());
    }
}
