package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.Waits;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --redact} on {@code wstap connect} and {@code wstap view}, as a user runs them. */
class RedactProcessTest {
    @TempDir
    Path dir;

    @Test
    void connectMasksItsConsoleBannerAndLog() throws Exception {
        Path log = dir.resolve("redacted.jsonl");
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            try (WstapProcess wstap = connect(server, log, "--redact")) {
                String out = wstap.stdoutText();
                assertTrue(out.contains("/feed?room=1&token=***\n"), out);
                assertTrue(wstap.stderrText().contains("wstap connect: ws://127.0.0.1:" + server.getPort() + "/feed?room=1&token=***"),
                        wstap.stderrText());
                String written = Files.readString(log);
                assertTrue(written.contains("\"redacted\":true"), written);
                assertTrue(written.contains("[\"Authorization\",\"Bearer ***\"]"), written);
                for (String shown : List.of(out, wstap.stderrText(), written)) {
                    assertFalse(shown.contains("tok-1") || shown.contains("tok-2"), shown);
                }
                assertTrue(out.contains("hello"), "payloads are not redacted: " + out);
            }
            assertEquals(List.of("/feed?room=1&token=tok-1"), server.resources(), "the server got the URL as it was");
        }
    }

    @Test
    void viewMasksALogThatWasWrittenWithout() throws Exception {
        Path log = dir.resolve("plain.jsonl");
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch(); WstapProcess wstap = connect(server, log)) {
            assertTrue(Files.readString(log).contains("Bearer tok-2"), "without --redact the log keeps everything");
        }
        try (WstapProcess plain = finished("view", log.toString(), "--no-color")) {
            assertTrue(plain.stdoutText().contains("token=tok-1"), plain.stdoutText());
        }
        try (WstapProcess redacted = finished("view", log.toString(), "--no-color", "--redact")) {
            assertEquals(0, redacted.process.exitValue(), redacted.stderrText());
            assertTrue(redacted.stdoutText().contains("/feed?room=1&token=***\n"), redacted.stdoutText());
            assertFalse(redacted.stdoutText().contains("tok-1"), redacted.stdoutText());
        }
        Path har = dir.resolve("redacted.har");
        try (WstapProcess toHar = finished("view", log.toString(), "--redact", "--to-har", har.toString())) {
            assertEquals(0, toHar.process.exitValue(), toHar.stderrText());
            String text = Files.readString(har);
            assertTrue(text.contains("\"value\" : \"Bearer ***\""), text);
            assertTrue(text.contains("\"comment\" : \"redacted by wstap --redact"), text);
            assertFalse(text.contains("tok-1") || text.contains("tok-2"), text);
        }
    }

    /** {@code wstap connect} with a token in its URL and a bearer token, sending one line, to its end. */
    private WstapProcess connect(JavaWebSocketEcho server, Path log, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("connect", "ws://127.0.0.1:" + server.getPort() + "/feed?room=1&token=tok-1",
                "-H", "Authorization: Bearer tok-2", "--no-color", "--log", log.toString()));
        args.addAll(List.of(more));
        WstapProcess wstap = WstapProcess.start(dir, List.of(), args.toArray(String[]::new));
        try (OutputStream stdin = wstap.process.getOutputStream()) {
            stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(wstap.process.waitFor(Waits.scaledMillis(20000), TimeUnit.MILLISECONDS), "the end of the input ends the connection");
        assertEquals(0, wstap.process.exitValue(), wstap.stderrText());
        return wstap;
    }

    private WstapProcess finished(String... args) throws Exception {
        WstapProcess p = WstapProcess.start(dir, List.of(), args);
        assertTrue(p.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS), String.join(" ", args));
        return p;
    }
}
