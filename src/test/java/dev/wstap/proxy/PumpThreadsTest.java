package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which threads a session pumps on: platform threads for the first sessions open at once (one per
 * core) and virtual ones beyond by default, platform threads for all with --low-latency.
 */
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
    void aLoneSessionPumpsOnPlatformThreadsOfItsOwnEitherWay() throws Exception {
        assertEquals(2, pumpsOfOneSession(false).size());
        assertEquals(2, pumpsOfOneSession(true).size());
    }

    @Test
    void theFirstSessionsOpenAtOnceGetPlatformThreadsAndTheRestVirtualOnes() {
        PumpThreads.Choice choice = PumpThreads.Choice.mixed();
        List<PumpThreads> taken = new ArrayList<>();
        for (int i = 0; i < PumpThreads.PLATFORM_SESSIONS + 3; i++) taken.add(choice.take());
        for (int i = 0; i < taken.size(); i++) {
            assertEquals(i < PumpThreads.PLATFORM_SESSIONS ? PumpThreads.PLATFORM : PumpThreads.VIRTUAL, taken.get(i), "session " + i);
        }
        choice.ended(PumpThreads.VIRTUAL);
        assertEquals(PumpThreads.VIRTUAL, choice.take(), "a virtual session's end frees no platform threads");
        choice.ended(taken.get(0));
        assertEquals(PumpThreads.PLATFORM, choice.take(), "a platform session's end lets the next one have them");
        assertEquals(PumpThreads.VIRTUAL, choice.take());
    }

    @Test
    void lowLatencyGivesEverySessionPlatformThreads() {
        PumpThreads.Choice choice = PumpThreads.Choice.allPlatform();
        for (int i = 0; i < 1000; i++) assertEquals(PumpThreads.PLATFORM, choice.take());
    }
}
