package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's transcripts of {@code wstap view} and {@code wstap filter} run again, over a log of
 * {@code wstap demo} made now: what the README shows must be what wstap prints, but for times,
 * ports, masks and durations, which differ from run to run.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("README.md");

    @TempDir
    Path dir;

    @Test
    void theReadmesViewAndFilterTranscriptsAreWhatWstapPrints() throws Exception {
        Path log = dir.resolve("traffic.jsonl");
        try (WstapProcess demo = WstapProcess.start(dir, List.of(), "demo", "--log", log.toString(), "--no-color")) {
            assertTrue(demo.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS));
            assertEquals(0, demo.process.exitValue(), demo.stderrText());
        }
        List<String> lines = Files.readAllLines(README);
        List<Executable> checks = new ArrayList<>();
        boolean isInBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                isInBlock = !isInBlock;
                continue;
            }
            if (!isInBlock || !(line.startsWith("$ bin/wstap view traffic.jsonl") || line.startsWith("$ bin/wstap filter "))) continue;
            List<String> expected = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("$ ") && !lines.get(j).startsWith("```"); j++) {
                expected.add(lines.get(j));
            }
            List<String> args = words(line.substring("$ bin/wstap ".length()));
            args.replaceAll(a -> a.equals("traffic.jsonl") ? log.toString() : a);
            if (args.get(0).equals("view")) args.add("--no-color");
            int at = i + 1;
            checks.add(() -> {
                try (WstapProcess run = WstapProcess.start(dir, List.of(), args.toArray(new String[0]))) {
                    assertTrue(run.process.waitFor(Waits.scaledMillis(30000), TimeUnit.MILLISECONDS));
                    String printed = run.stdoutText() + run.stderrText();
                    assertEquals(normal(String.join("\n", expected)), normal(printed.stripTrailing()), "README.md:" + at + ": " + line);
                }
            });
        }
        assertTrue(checks.size() >= 3, "the README's transcripts were found: " + checks.size());
        assertAll(checks);
    }

    /** What differs from run to run, made the same. */
    private static String normal(String text) {
        return text.replaceAll("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}", "HH:MM:SS.ffffff")
                .replaceAll("\\d\\d:\\d\\d:\\d\\d", "HH:MM:SS")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("mask=[0-9a-f]{8}", "mask=MASK")
                .replaceAll("\\d+\\.\\d+ ms", "N ms")
                .replaceAll("\\d+\\.\\d+s", "Ns")
                .replaceAll("(?m)[ \\t]+$", "");
    }

    /** A shell command line's words: spaces separate them, single quotes group them. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean isQuoted = false;
        boolean hasWord = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                isQuoted = !isQuoted;
                hasWord = true;
            } else if (c == ' ' && !isQuoted) {
                if (hasWord) words.add(word.toString());
                word.setLength(0);
                hasWord = false;
            } else {
                word.append(c);
                hasWord = true;
            }
        }
        if (hasWord) words.add(word.toString());
        return words;
    }
}
