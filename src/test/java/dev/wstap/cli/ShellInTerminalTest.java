package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell in a real pseudo-terminal (tmux): completion of session numbers with their
 * descriptions, frames printed above a half-typed line without garbling it, Ctrl-C clearing the
 * line, Ctrl-D leaving, and the history kept.
 */
class ShellInTerminalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void framesStreamAboveAHalfTypedCommandAndSessionNumbersComplete() throws Exception {
        Tmux.require();
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            int port = WstapProcess.freePort();
            Path home = dir.resolve("home");
            Path script = Tmux.launcher(dir, List.of("WSTAP_HOME=" + home, "TERM=xterm-256color"), List.of("proxy",
                    "--listen", "127.0.0.1:" + port, "--upstream", "ws://127.0.0.1:" + server.getPort(), "--no-color"));
            try (Tmux terminal = Tmux.start(script)) {
                terminal.await(s -> Tmux.lastLine(s).equals("wstap>"), "the prompt", WAIT);
                try (JdkWsClient one = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + port + "/one"));
                     JdkWsClient two = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + port + "/two"))) {
                    terminal.await(s -> s.contains("#2 open"), "both sessions", WAIT);

                    terminal.type("use ");
                    terminal.send("Tab");
                    String completion = terminal.await(s -> s.contains("/one, open") && s.contains("/two, open"),
                            "session numbers offered with client, URL and state", WAIT);
                    assertTrue(completion.contains("#1") && completion.contains("#2"), completion);
                    terminal.type("1");
                    terminal.send("Enter");
                    terminal.await(s -> Tmux.lastLine(s).equals("wstap #1>"), "the prompt naming session 1", WAIT);

                    terminal.type("send --to client hal");
                    one.sendText("typed while you type");
                    String above = terminal.await(s -> s.contains("    typed while you type"), "the frame shown", WAIT);
                    assertEquals("wstap #1> send --to client hal", Tmux.lastLine(above), "the half-typed line is intact below the frames");
                    terminal.type("f way");
                    terminal.send("Enter");
                    assertEquals("typed while you type", one.nextText()); // the server's echo of the client's message
                    assertEquals("half way", one.nextText()); // what the shell sent
                    terminal.await(s -> s.contains("[injected]") && s.contains("    half way"), "the injected frame shown", WAIT);

                    terminal.type("this line is dropped");
                    terminal.send("C-c");
                    terminal.await(s -> Tmux.lastLine(s).equals("wstap #1>"), "Ctrl-C clearing the line", WAIT);
                    assertTrue(terminal.isRunning(), "Ctrl-C does not stop wstap");

                    terminal.send("C-d");
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (terminal.isRunning() && System.nanoTime() < deadline) Thread.sleep(50);
                    assertFalse(terminal.isRunning(), "Ctrl-D leaves");
                    assertEquals(1001, one.next(JdkWsClient.Close.class).code(), "leaving closes the sessions with 1001");
                    assertEquals(1001, two.next(JdkWsClient.Close.class).code());
                }
            }
            List<String> history = Files.readAllLines(home.resolve("history"));
            assertTrue(history.stream().anyMatch(l -> l.endsWith("send --to client half way")), history.toString());
        }
    }
}
