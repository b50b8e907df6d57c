package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wstap connect} in a real pseudo-terminal (tmux), to Java-WebSocket's server: a typed line
 * is sent, Ctrl-C at an empty prompt says how to leave, and Ctrl-D closes with 1000 and prints the
 * closing line before wstap exits with 0.
 */
class ConnectInTerminalTest {
    @TempDir
    Path dir;

    @Test
    void ctrlDPrintsTheClosingLineBeforeExiting() throws Exception {
        Tmux.require();
        Duration wait = Waits.scaled(Duration.ofSeconds(20));
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            Path script = Tmux.launcher(dir, List.of("WSTAP_HOME=" + dir.resolve("home"), "TERM=xterm-256color"),
                    List.of("connect", "ws://127.0.0.1:" + server.getPort() + "/typed", "--no-color"));
            // Not exec: once wstap exits, the shell says how and keeps the screen for the test to read. The
            // shell outlives the Ctrl-C the terminal sends its process group; wstap, started from it, gets
            // SIGINT at its default (a caught signal is reset for a child, an ignored one would not be).
            String launch = Files.readString(script).replaceFirst("(?m)^exec ", "");
            Files.writeString(script, launch.replaceFirst("\n", "\ntrap true INT\n") + "echo \"[wstap exited $?]\"\nsleep 60\n");
            try (Tmux terminal = Tmux.start(script)) {
                terminal.await(s -> Tmux.lastLine(s).startsWith("wstap #1>"), "the prompt", wait);
                terminal.type("hello from a terminal");
                terminal.send("Enter");
                terminal.await(s -> s.contains("server→client text") && s.contains("    hello from a terminal"), "the echo", wait);
                terminal.send("C-c");
                terminal.await(s -> s.contains("(Ctrl-D or quit to leave)"), "the hint after Ctrl-C at an empty prompt", wait);
                terminal.send("C-d");
                String screen = terminal.await(s -> s.contains("[wstap exited"), "wstap to exit", wait);
                assertTrue(screen.contains("closed by wstap: 1000 Normal Closure"), "the closing line: " + screen);
                assertTrue(screen.indexOf("closed by wstap") < screen.indexOf("[wstap exited 0]"), "printed before it exited, with 0: " + screen);
            }
        }
    }
}
