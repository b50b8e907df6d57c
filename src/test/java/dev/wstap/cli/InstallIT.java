package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/install as the README gives it, into a temporary prefix, once the jar is packaged (an
 * integration test: it runs in {@code mvn verify}, after {@code package}).
 */
class InstallIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @TempDir
    Path dir;

    private static String run(List<String> command, Path cwd) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Waits.scaledMillis(120000), TimeUnit.MILLISECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    @Test
    void installRunUninstall() throws Exception {
        Path prefix = dir.resolve("prefix");
        String said = run(List.of(ROOT.resolve("bin/install").toString(), "--prefix", prefix.toString()), dir);
        assertTrue(said.contains("wstap installed under " + prefix), said);
        assertTrue(said.contains("bash-completion does not look under " + prefix + "; add to ~/.bashrc:\n    source " + prefix
                + "/share/bash-completion/completions/wstap"), "a prefix bash-completion does not read is said so: " + said);
        assertTrue(Files.exists(prefix.resolve("share/doc/wstap/filters.md")), "the docs the help names");
        String demo = run(List.of(prefix.resolve("bin/wstap").toString(), "demo", "--no-color"), dir);
        assertTrue(demo.contains("\n  wstap proxy --listen 8080") && !demo.contains("bin/wstap"), "installed, it calls itself wstap: " + demo);

        String version = run(List.of(prefix.resolve("bin/wstap").toString(), "--version"), dir);
        assertTrue(version.matches("wstap \\S+ \\(Java \\d+.*\\)\\R"), version);
        assertEquals(version, run(List.of(prefix.resolve("bin/wstap").toString(), "--version"), dir),
                "the second run, with the class-data archive the first one made, says the same and nothing more");
        assertTrue(Files.exists(prefix.resolve("share/wstap/wstap.jsa")), "the launcher's class-data archive");

        String completion = run(List.of("bash", "-c", "source " + prefix.resolve("share/bash-completion/completions/wstap")
                + "; COMP_WORDS=(wstap proxy --vi); COMP_CWORD=2; COMP_LINE='wstap proxy --vi'; COMP_POINT=${#COMP_LINE};"
                + " _complete_wstap 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""), dir);
        assertEquals("--view", completion.strip());

        String manual = run(List.of("env", "MANPATH=" + prefix.resolve("share/man"), "man", "-P", "cat", "wstap"), dir);
        assertTrue(manual.contains("WSTAP_HOME"), manual);
        assertTrue(Files.exists(prefix.resolve("share/zsh/site-functions/_wstap")));
        assertTrue(Files.exists(prefix.resolve("share/fish/vendor_completions.d/wstap.fish")));

        run(List.of(ROOT.resolve("bin/install").toString(), "--uninstall", "--prefix", prefix.toString()), dir);
        assertFalse(Files.exists(prefix.resolve("bin/wstap")));
        assertFalse(Files.exists(prefix.resolve("share/wstap")));
        assertFalse(Files.exists(prefix.resolve("share/man/man1/wstap.1")));
        assertFalse(Files.exists(prefix.resolve("share/doc/wstap/filters.md")));
    }
}
