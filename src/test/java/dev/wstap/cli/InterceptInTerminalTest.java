package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wstap.testing.JavaWebSocketEcho;
import dev.wstap.testing.JdkWsClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit} with {@code $EDITOR} in a real terminal (tmux): the editor gets the terminal, a
 * change it saves is what the server receives, and a file it empties asks whether to drop the
 * message.
 */
class InterceptInTerminalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void anEditorChangesAHeldMessageAndAnEmptiedFileDropsOneOnceConfirmed() throws Exception {
        Tmux.require();
        Path marker = dir.resolve("editor-had-a-terminal");
        // An "editor" that changes the file as a user would: secret becomes edited; a message about
        // "drop" is emptied. It notes whether its input is the terminal.
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\n"
                + "[ -t 0 ] && echo yes > '" + marker + "'\n"
                + "if grep -q drop \"$1\"; then : > \"$1\"; else sed -i 's/secret/edited/' \"$1\"; fi\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        try (JavaWebSocketEcho server = JavaWebSocketEcho.launch()) {
            int port = WstapProcess.freePort();
            Path script = Tmux.launcher(dir, List.of("WSTAP_HOME=" + dir.resolve("home"), "TERM=xterm-256color", "EDITOR=" + editor),
                    List.of("proxy", "--listen", "127.0.0.1:" + port, "--upstream", "ws://127.0.0.1:" + server.getPort(), "--no-color",
                            "--intercept", "dir:c2s body~/secret|drop/"));
            try (Tmux terminal = Tmux.start(script)) {
                terminal.await(s -> Tmux.lastLine(s).equals("wstap>"), "the prompt", WAIT);
                try (JdkWsClient client = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + port + "/"))) {
                    client.sendText("a secret note");
                    terminal.await(s -> s.contains("[held #1]"), "the message held", WAIT);
                    terminal.type("edit 1");
                    terminal.send("Enter");
                    assertEquals("a edited note", client.nextText(), "the server got the edit (and echoed it)");
                    terminal.await(s -> s.contains("edited #1 (in the editor"), "the edit reported", WAIT);
                    assertEquals("yes", Files.readString(marker).trim(), "the editor had the terminal");

                    client.sendText("please drop me");
                    terminal.await(s -> s.contains("[held #2]"), "the second message held", WAIT);
                    terminal.type("edit 2");
                    terminal.send("Enter");
                    terminal.await(s -> Tmux.lastLine(s).startsWith("the file is empty: drop #2? [y/N]"), "the question", WAIT);
                    terminal.type("y");
                    terminal.send("Enter");
                    terminal.await(s -> s.contains("dropped #2"), "the drop reported", WAIT);
                    client.sendText("after");
                    assertEquals("after", client.nextText(), "the dropped message never reached the server");
                }
            }
        }
    }
}
