package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Waits;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wstap view} as a user runs it, over the log of {@code wstap demo}. */
class ViewProcessTest {
    @TempDir
    Path dir;

    private WstapProcess finished(String... args) throws Exception {
        WstapProcess p = WstapProcess.start(dir, List.of(), args);
        assertTrue(p.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS), String.join(" ", args));
        return p;
    }

    @Test
    void grepStatsStdinHarAndTextLogs() throws Exception {
        Path log = dir.resolve("demo.jsonl");
        try (WstapProcess demo = finished("demo", "--log", log.toString(), "--no-color")) {
            assertEquals(0, demo.process.exitValue(), demo.stderrText());
        }
        try (WstapProcess view = finished("view", log.toString(), "--grep", "three fragments", "--no-color")) {
            assertEquals(0, view.process.exitValue(), view.stderrText());
            String out = view.stdoutText();
            assertTrue(out.contains("client→server message text 3 fragments len=40\n    This message arrives in three fragments."), out);
            assertFalse(out.contains("Hello from the wstap demo"), out);
        }
        try (WstapProcess stats = finished("view", log.toString(), "--stats")) {
            String out = stats.stdoutText();
            assertTrue(out.startsWith("conn  opened"), out);
            assertTrue(out.contains("1000 Normal Closure by client · ws://127.0.0.1:"), out);
        }
        try (WstapProcess stdin = WstapProcess.start(dir, List.of(), "view", "-", "--view", "headers", "--opcode", "ping,pong")) {
            try (OutputStream in = stdin.process.getOutputStream()) {
                in.write(Files.readAllBytes(log));
            }
            assertTrue(stdin.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS));
            List<String> lines = stdin.stdoutText().lines().filter(l -> l.matches(".*(client→server|server→client) (ping|pong) .*")).toList();
            assertEquals(2, lines.size(), stdin.stdoutText());
        }
        Path har = dir.resolve("demo.har");
        try (WstapProcess toHar = finished("view", log.toString(), "--to-har", har.toString())) {
            assertEquals(0, toHar.process.exitValue(), toHar.stderrText());
            assertTrue(Files.readString(har).contains("\"_webSocketMessages\""));
        }
        Path text = dir.resolve("demo.txt");
        try (WstapProcess demo = finished("demo", "--log", text.toString(), "--log-format", "text", "--view", "headers")) {
            assertEquals(0, demo.process.exitValue(), demo.stderrText());
            String written = Files.readString(text);
            assertTrue(written.contains("client→server text   fin=1 rsv=000 mask="), written);
            assertFalse(written.contains("\u001b["), "no colours in a text log");
            assertFalse(written.contains("Hello from the wstap demo!"), "the console's --view headers: no payloads");
        }
        try (WstapProcess missing = finished("view", dir.resolve("nope.jsonl").toString())) {
            assertEquals(1, missing.process.exitValue());
            assertEquals("wstap: cannot read " + dir.resolve("nope.jsonl") + ": no such file", missing.stderrText().strip());
        }
    }

    @Test
    void followWaitsForALogThatDoesNotExistYet() throws Exception {
        Path log = dir.resolve("later.jsonl");
        try (WstapProcess follow = WstapProcess.start(dir, List.of(), "view", "--follow", log.toString(), "--no-color")) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Waits.scaledMillis(20000));
            while (!follow.stderrText().contains("waiting for") && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(follow.stderrText().contains("wstap view: waiting for " + log + " to appear (Ctrl-C stops)"), follow.stderrText());
            try (WstapProcess demo = finished("demo", "--log", log.toString(), "--no-color")) {
                assertEquals(0, demo.process.exitValue(), demo.stderrText());
            }
            while (!follow.stdoutText().contains("closed by client") && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(follow.stdoutText().contains("Hello from the wstap demo!"), follow.stdoutText());
            assertTrue(follow.stdoutText().contains("closed by client: 1000 Normal Closure"), follow.stdoutText());
            follow.signal("INT");
            assertTrue(follow.process.waitFor(Waits.scaledMillis(10000), TimeUnit.MILLISECONDS), "Ctrl-C stops it");
        }
    }

    @Test
    void aHarGoesToStdoutWithADash() throws Exception {
        Path log = dir.resolve("demo.jsonl");
        try (WstapProcess demo = finished("demo", "--log", log.toString(), "--no-color")) {
            assertEquals(0, demo.process.exitValue(), demo.stderrText());
        }
        try (WstapProcess view = finished("view", log.toString(), "--to-har", "-")) {
            assertEquals(0, view.process.exitValue(), view.stderrText());
            assertTrue(view.stdoutText().startsWith("{") && view.stdoutText().contains("\"version\" : \"1.2\""), view.stdoutText());
            assertFalse(Files.exists(dir.resolve("-")), "no file named -");
        }
    }
}
