package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.echo.EchoServer;
import dev.wstap.http.HostPort;
import dev.wstap.testing.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged wstap when its file descriptors run out (a burst of connections, a low ulimit -n). */
class FileDescriptorsIT {
    private static final Path JAR = Path.of(System.getProperty("user.dir"), "target", "wstap.jar");

    @TempDir
    Path dir;

    /**
     * A burst of connections that exhausts wstap's file descriptors: accepting backs off instead of
     * spinning, says why in one line, and resumes once connections close; sessions then work.
     */
    @Test
    void runningOutOfFileDescriptorsIsOneLineAndWstapRecovers() throws Exception {
        try (EchoServer echo = new EchoServer(new HostPort("127.0.0.1", 0), line -> { }).start()) {
            int port = WstapProcess.freePort();
            try (WstapProcess wstap = WstapProcess.startJarWithOpenFilesLimit(dir, JAR, 64, "proxy", "--listen", "127.0.0.1:" + port,
                    "--upstream", echo.url(), "--no-shell", "--quiet")) {
                wstap.awaitListening(port, Duration.ofSeconds(20));
                List<java.net.Socket> burst = new java.util.ArrayList<>();
                try {
                    for (int i = 0; i < 100; i++) burst.add(new java.net.Socket("127.0.0.1", port));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!wstap.stderrText().contains("Too many open files") && System.nanoTime() < deadline) Thread.sleep(50);
                    long cpuBefore = cpuTicks(wstap);
                    Thread.sleep(2000);
                    long cpuTicksIdle = cpuTicks(wstap) - cpuBefore;
                    assertTrue(cpuTicksIdle < 50, "waiting for a file descriptor must not spin: " + cpuTicksIdle + " ticks in 2 s");
                } finally {
                    for (java.net.Socket s : burst) s.close();
                }
                String err = wstap.stderrText();
                assertEquals(1, err.lines().filter(l -> l.contains("cannot accept connections")).count(), err);
                assertTrue(err.contains("(raise the limit: ulimit -n); new connections wait"), err);
                assertFalse(err.contains("Exception"), err);
                HttpClient http = HttpClient.newHttpClient();
                LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                WebSocket ws = http.newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/after"), collector(received)).get(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS);
                ws.sendText("served again", true).get(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS);
                assertEquals("served again", received.poll(Waits.scaledMillis(5000), TimeUnit.MILLISECONDS));
                http.shutdownNow();
            }
        }
    }

    /** CPU time the process has used so far, in clock ticks (Linux). */
    private static long cpuTicks(WstapProcess wstap) throws Exception {
        Path stat = Path.of("/proc/" + wstap.process.pid() + "/stat");
        assertTrue(wstap.process.isAlive() && Files.exists(stat), "wstap exited: " + wstap.stderrText());
        String[] fields = Files.readString(stat).split(" ");
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    private static WebSocket.Listener collector(LinkedBlockingQueue<String> received) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
    }
}
