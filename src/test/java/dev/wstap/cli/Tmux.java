package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A real terminal for the shell: a detached tmux session on a server of its own, typed into with
 * {@code send-keys} and read with {@code capture-pane}, as a person at a terminal would see it.
 */
final class Tmux implements AutoCloseable {
    private final String socket = "wstap-test-" + UUID.randomUUID();
    private static final String SESSION = "wstap";

    /** Skips (or, under {@code -Dwstap.peers=required}, fails) when tmux is not installed. */
    static void require() throws InterruptedException {
        try {
            if (new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0) return;
        } catch (IOException missing) {
            // Said below.
        }
        String message = "tmux is not installed (apt-get install tmux); bin/test installs it";
        if ("required".equals(System.getProperty("wstap.peers"))) fail(message);
        Assumptions.abort(message);
    }

    /** Runs {@code script} (a shell script file) in a fresh 160x50 terminal. */
    static Tmux start(Path script) throws Exception {
        Tmux t = new Tmux();
        t.tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "50", "sh " + script);
        return t;
    }

    /** Types {@code keys}; tmux key names (Tab, Enter, C-c, C-d) are keys, anything else literal text. */
    void send(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /** Types {@code text} exactly, character by character. */
    void type(String text) throws Exception {
        tmux("send-keys", "-t", SESSION, "-l", text);
    }

    /** The screen as it is now, wrapped lines joined, trailing blanks dropped (tmux drops those of each line). */
    String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", SESSION).stripTrailing();
    }

    /** Waits until the screen satisfies {@code test}; fails showing the screen. */
    String await(Predicate<String> test, String what, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            if (!isRunning()) fail("the terminal's program ended while waiting for " + what + "; last screen:\n" + screen);
            screen = screen();
            if (test.test(screen)) return screen;
            Thread.sleep(50);
        }
        return fail("waited " + limit + " for " + what + "; the screen:\n" + screen);
    }

    boolean isRunning() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", SESSION).redirectErrorStream(true).start();
        return p.waitFor() == 0;
    }

    /** The screen's last line that has anything on it. */
    static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
        return out;
    }

    /** A script that runs wstap with {@code args} in this JVM's Java and class path, with {@code env} set. */
    static Path launcher(Path dir, List<String> env, List<String> args) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        for (String e : env) s.append("export ").append(quote(e)).append('\n');
        s.append("exec ").append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .append(" --enable-native-access=ALL-UNNAMED") // as the jar's manifest allows
                .append(" -cp ").append(quote(System.getProperty("java.class.path"))).append(' ').append(Main.class.getName());
        for (String a : args) s.append(' ').append(quote(a));
        s.append('\n');
        Path script = dir.resolve("wstap-in-tmux.sh");
        Files.writeString(script, s.toString());
        return script;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() throws IOException {
        Process kill = new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start();
        try {
            kill.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
