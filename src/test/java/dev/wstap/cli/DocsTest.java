package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wstap.testing.Waits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * man/ and completions/ are generated from the command model and committed: these tests fail when
 * they are stale, and {@code bin/gen-docs} (this class with {@code -Dwstap.regenerate=true})
 * writes them afresh. They also check that the man pages render and that bash, zsh and fish
 * really complete {@code wstap proxy --vi<Tab>} in a terminal.
 */
class DocsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path MAN = ROOT.resolve("man");
    private static final Path COMPLETIONS = ROOT.resolve("completions");
    private static final boolean IS_REGENERATING = Boolean.getBoolean("wstap.regenerate");

    @TempDir
    Path dir;

    /** The AsciiDoc source of each page: wstap, then wstap-SUBCOMMAND. */
    static Map<String, String> manSources() {
        CommandLine root = Main.commandLine();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("wstap", page(root));
        for (var e : root.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;
            pages.put("wstap-" + e.getKey(), page(e.getValue()));
        }
        return pages;
    }

    private static String page(CommandLine cl) {
        // picocli writes the footer only under a heading; "Examples:", "Files:" and "Environment:"
        // lines in the footer become sections of their own below.
        cl.getCommandSpec().usageMessage().footerHeading("Notes");
        // Wide enough that no synopsis is wrapped inside an italic label.
        cl.getCommandSpec().usageMessage().width(400);
        StringWriter out = new StringWriter();
        try (PrintWriter pw = new PrintWriter(out)) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        String text = out.toString()
                .replaceAll("(?m)^:revnumber: .*$", ":revnumber: " + version())
                .replaceAll("(?m)^:mansource: .*$", ":mansource: wstap " + version());
        text = text.replaceAll("\\[%hardbreaks]\n(Examples|Files|Environment):\n", "== $1\n\n[%hardbreaks]\n");
        // A Notes section left with nothing in it goes.
        return text.replaceAll("== Notes\n\n(\\[%hardbreaks]\n\n)+(?=== )", "");
    }

    private static String version() {
        return System.getProperty("wstap.version", VersionProvider.version());
    }

    static Map<String, String> completions() {
        CommandLine root = Main.commandLine();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("wstap.bash", ShellCompletions.bash(root));
        files.put("_wstap", ShellCompletions.zsh(root));
        files.put("wstap.fish", ShellCompletions.fish(root));
        return files;
    }

    /** Compares {@code expected} with the files in {@code folder}; writes them instead when regenerating. */
    private static void check(Path folder, Map<String, String> expected) throws IOException {
        Files.createDirectories(folder);
        List<String> stale = new ArrayList<>();
        for (var e : expected.entrySet()) {
            Path file = folder.resolve(e.getKey());
            if (IS_REGENERATING) {
                Files.writeString(file, e.getValue());
            } else if (!Files.exists(file) || !Files.readString(file).equals(e.getValue())) {
                stale.add(ROOT.relativize(file).toString());
            }
        }
        if (!stale.isEmpty()) fail(stale + " are stale against the commands: run bin/gen-docs and commit the result");
    }

    @Test
    void manPageSourcesMatchTheCommands() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        manSources().forEach((name, text) -> sources.put(name + ".adoc", text));
        check(MAN.resolve("adoc"), sources);
    }

    @Test
    void completionsMatchTheCommands() throws IOException {
        check(COMPLETIONS, completions());
    }

    /** asciidoctor turns each source into a roff page, as committed; the roff reads with man. */
    @Test
    void manPagesAreRenderedFromTheirSources() throws Exception {
        require("asciidoctor", "asciidoctor");
        Path out = IS_REGENERATING ? MAN : dir;
        List<String> command = new ArrayList<>(List.of("asciidoctor", "-b", "manpage", "-a", "reproducible", "-D", out.toString()));
        manSources().keySet().forEach(name -> command.add(MAN.resolve("adoc").resolve(name + ".adoc").toString()));
        run(command);
        if (IS_REGENERATING) return;
        for (String name : manSources().keySet()) {
            Path committed = MAN.resolve(name + ".1");
            assertTrue(Files.exists(committed), committed + " is missing: run bin/gen-docs");
            assertEquals(withoutStamps(Files.readString(dir.resolve(name + ".1"))), withoutStamps(Files.readString(committed)),
                    committed + " is stale: run bin/gen-docs");
        }
        require("man", "man-db");
        String shown = run(List.of("man", "--no-hyphenation", "-P", "cat", "-l", MAN.resolve("wstap-proxy.1").toString()));
        assertTrue(shown.contains("--upstream"), shown);
        assertTrue(run(List.of("man", "-P", "cat", "-l", MAN.resolve("wstap.1").toString())).contains("WSTAP_HOME"));
    }

    /** asciidoctor writes its version and the date into comments: they say nothing about the page. */
    private static String withoutStamps(String roff) {
        return roff.replaceAll("(?m)^\\.\\\\\" +(Generator|Date): .*$", "");
    }

    @Test
    void bashCompletesTheViewOption() throws Exception {
        require("bash", "bash");
        String reply = run(List.of("bash", "-c", "source " + COMPLETIONS.resolve("wstap.bash")
                + "; COMP_WORDS=(wstap proxy --vi); COMP_CWORD=2; COMP_LINE='wstap proxy --vi'; COMP_POINT=${#COMP_LINE};"
                + "  _complete_wstap 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""));
        assertEquals("--view", reply.strip());
        String values = run(List.of("bash", "-c", "source " + COMPLETIONS.resolve("wstap.bash")
                + "; COMP_WORDS=(wstap proxy --view ''); COMP_CWORD=3; COMP_LINE='wstap proxy --view '; COMP_POINT=${#COMP_LINE};"
                + "  _complete_wstap 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""));
        assertEquals(List.of("auto", "text", "json", "hex", "headers", "messages"), values.strip().lines().toList());
    }

    @Test
    void bashAndFishCompleteLogFileNamesForView() throws Exception {
        require("bash", "bash");
        require("fish", "fish");
        Files.writeString(dir.resolve("traffic.jsonl"), "");
        String bash = runIn(dir, List.of("bash", "-c", "source " + COMPLETIONS.resolve("wstap.bash")
                + "; COMP_WORDS=(wstap view tra); COMP_CWORD=2; COMP_LINE='wstap view tra'; COMP_POINT=${#COMP_LINE};"
                + " _complete_wstap 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\""));
        assertEquals("traffic.jsonl", bash.strip());
        String fish = runIn(dir, List.of("fish", "-c", "source " + COMPLETIONS.resolve("wstap.fish") + "; complete -C 'wstap view tra'"));
        assertEquals("traffic.jsonl", fish.strip());
    }

    @Test
    void fishCompletesTheViewOptionAndOpcodes() throws Exception {
        require("fish", "fish");
        String source = "source " + COMPLETIONS.resolve("wstap.fish") + "; ";
        assertTrue(run(List.of("fish", "-c", source + "complete -C 'wstap proxy --vi'")).startsWith("--view\t"));
        assertTrue(run(List.of("fish", "-c", source + "complete -C 'wstap view log.jsonl --opcode '")).contains("ping"));
        assertTrue(run(List.of("fish", "-c", source + "complete -C 'wstap con'")).startsWith("connect\t"));
    }

    /** zsh's completion system loads _wstap from the fpath, in a real terminal. */
    @Test
    void zshCompletesTheViewOption() throws Exception {
        require("zsh", "zsh");
        Tmux.require();
        Path rc = dir.resolve(".zshrc");
        Files.writeString(rc, "fpath=(" + COMPLETIONS + " $fpath)\nautoload -U compinit && compinit -u\nPROMPT='zsh> '\n");
        Path script = dir.resolve("zsh.sh");
        Files.writeString(script, "export ZDOTDIR=" + dir + "\nexec zsh -i\n");
        try (Tmux terminal = Tmux.start(script)) {
            terminal.await(s -> s.contains("zsh>"), "the zsh prompt", Duration.ofSeconds(10));
            terminal.type("wstap proxy --vi");
            terminal.send("Tab");
            terminal.await(s -> Tmux.lastLine(s).contains("wstap proxy --view"), "--view completed", Duration.ofSeconds(10));
            terminal.send(" ", "Tab");
            terminal.await(s -> s.contains("headers") && s.contains("messages"), "the view modes offered", Duration.ofSeconds(10));
        }
    }

    /** Skips (or, under {@code -Dwstap.peers=required}, fails) when {@code program} is not installed. */
    private static void require(String program, String debianPackage) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + program).start();
        if (p.waitFor() == 0) return;
        String message = program + " is not installed (apt-get install " + debianPackage + "); bin/test installs it";
        if ("required".equals(System.getProperty("wstap.peers"))) fail(message);
        Assumptions.abort(message);
    }

    private static String run(List<String> command) throws Exception {
        return runIn(ROOT, command);
    }

    private static String runIn(Path cwd, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS) || p.exitValue() != 0) fail(String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
