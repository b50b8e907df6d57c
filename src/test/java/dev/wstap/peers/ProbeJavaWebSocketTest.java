package dev.wstap.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.http.WsUrl;
import dev.wstap.probe.CaseDriver;
import dev.wstap.probe.CaseRun;
import dev.wstap.probe.Suite;
import dev.wstap.testing.JavaWebSocketEcho;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probe against Java-WebSocket's server, echoing with its permessage-deflate extension, in this
 * JVM: no case FAILS, as its own Autobahn runs report, and every case of families 12 and 13 is OK.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbeJavaWebSocketTest {
    @Test
    void javaWebSocketFailsNoCase() throws Exception {
        try (JavaWebSocketEcho echo = JavaWebSocketEcho.launchDeflate()) {
            CaseDriver driver = new CaseDriver(new dev.wstap.proxy.WsClient.Request(WsUrl.parse("ws://127.0.0.1:" + echo.getPort() + "/"),
                    List.of(), List.of(), null), null, Duration.ofSeconds(1), Duration.ofSeconds(10));
            List<CaseRun.Result> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<CaseRun.Result>> runs = new ArrayList<>();
                for (AutobahnCase c : Suite.all()) runs.add(pool.submit(() -> driver.run(c)));
                for (Future<CaseRun.Result> f : runs) results.add(f.get());
            }
            TreeMap<String, String> notOk = new TreeMap<>();
            for (CaseRun.Result r : results) {
                if (r.behaviour() == CaseRun.Verdict.FAILED || r.close() == CaseRun.CloseVerdict.FAILED) {
                    notOk.put(r.id(), r.behaviour().label() + "/" + r.close().label() + ": " + r.why() + "; " + r.closeWhy());
                }
            }
            assertEquals(List.of(), List.copyOf(notOk.keySet()), notOk.toString());
            // Families 12 and 13 ran compressed: the server agreed to permessage-deflate in each. Where a window was asked
            // of it (13.3-13.6), it accepts without granting it (RFC 7692 §7.1.2.1): NON-STRICT, which Autobahn lets pass.
            TreeMap<String, String> compressed = new TreeMap<>();
            results.stream().filter(r -> r.id().startsWith("12.") || r.id().startsWith("13.")).filter(r -> r.behaviour() != CaseRun.Verdict.OK)
                    .forEach(r -> compressed.put(r.id(), r.behaviour().label() + ": " + r.why()));
            assertEquals(72, compressed.size(), compressed.toString());
            assertTrue(compressed.keySet().stream().allMatch(id -> id.matches("13\\.[3-6]\\..*")), compressed.toString());
            assertTrue(compressed.values().stream().allMatch(v -> v.startsWith("NON-STRICT: the server's permessage-deflate answer")),
                    compressed.toString());
        }
    }
}
