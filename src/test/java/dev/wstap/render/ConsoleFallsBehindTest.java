package dev.wstap.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.Interest;
import dev.wstap.tap.Tap;
import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import dev.wstap.testing.ProxyFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a terminal far slower than the traffic: three sessions of 2,000 echoes each
 * through the proxy to Java-WebSocket's server, a console that takes 200 µs a line. It falls
 * behind, and still shows every session's open and close line, with notices where frames were left
 * out, the last one after the tail, and every frame either shown or counted in a notice.
 */
class ConsoleFallsBehindTest {
    private static final Pattern NOTICE = Pattern.compile("… console fell behind: (\\d+) frames?");

    @TempDir
    Path dir;

    @Test
    void aSlowTerminalLosesNoSessionLineAndSaysWhereFramesWereLeftOut() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ConsoleSink console = new ConsoleSink(new ConsoleView(ViewMode.HEADERS, ZoneOffset.UTC), (line, isColored) -> {
            lines.add(line.toString());
            LockSupport.parkNanos(200_000); // a terminal that takes its time
        }, false);
        int sessions = 3;
        int messages = 2000;
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch();
             ProxyFixture proxy = ProxyFixture.start("ws://127.0.0.1:" + server.getPort(), dir)) {
            proxy.tap().attach("console", console, true, Tap.CONSOLE_QUEUE_EVENTS, Interest.EVERYTHING);
            for (int s = 0; s < sessions; s++) {
                try (JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + proxy.port() + "/s" + s))) {
                    for (int i = 0; i < messages; i++) client.ws().sendText("msg " + i, true).join();
                    for (int i = 0; i < messages; i++) client.nextText();
                    client.sendClose(1000, "done");
                    client.next(JdkWsClient.Close.class);
                }
                proxy.awaitNoSessions(Duration.ofSeconds(10));
            }
            proxy.close(); // the console's tail is reported as it closes
        }
        List<Integer> opens = new ArrayList<>();
        List<Integer> closes = new ArrayList<>();
        long frames = 0;
        long skipped = 0;
        for (String line : lines) {
            Matcher m = NOTICE.matcher(line);
            if (m.find()) skipped += Long.parseLong(m.group(1));
            if (line.matches(".* #\\d+ open .*")) opens.add(conn(line));
            if (line.matches(".* #\\d+ closed .*")) closes.add(conn(line));
            if (line.matches(".* #\\d+ (client→server|server→client) (text|close) .*")) frames++;
        }
        assertEquals(List.of(1, 2, 3), opens, "every session's open line");
        assertEquals(List.of(1, 2, 3), closes, "every session's close line");
        assertTrue(skipped > 0, "the console fell behind: " + lines.size() + " lines");
        assertEquals(sessions * (2L * messages + 2), frames + skipped, "every frame shown or counted in a notice");
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("closed by")) {
                // A notice may stand before a close line, for the frames left out up to it; never after it for the same session.
                int conn = conn(lines.get(i));
                for (int j = i + 1; j < lines.size(); j++) {
                    String later = lines.get(j);
                    assertTrue(!later.matches(".* #" + conn + " (client→server|server→client) .*"), "a frame of #" + conn + " after its close: " + later);
                }
            }
        }
    }

    private static int conn(String line) {
        Matcher m = Pattern.compile(" #(\\d+) ").matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }
}
