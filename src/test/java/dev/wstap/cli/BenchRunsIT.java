package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bench/run --quick: the benchmark still runs from end to end and prints every part of its
 * matrix. Its figures mean nothing at these sizes; timings belong in the benchmark, not in tests.
 */
class BenchRunsIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @Test
    void theBenchmarkRunsAndPrintsItsMatrix() throws Exception {
        Process node = new ProcessBuilder("sh", "-c", "command -v node && command -v npm").start();
        if (node.waitFor() != 0) {
            if ("required".equals(System.getProperty("wstap.peers"))) throw new AssertionError("node and npm are needed; bin/test installs them");
            Assumptions.abort("node and npm are not installed");
        }
        Process p = new ProcessBuilder(ROOT.resolve("bench/run").toString(), "--quick").directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "bench/run --quick took over 5 minutes");
        assertEquals(0, p.exitValue(), out);
        for (String part : new String[] {"== messages per second", "32 B, 50 connections, 32 in flight", "direct",
                "quiet", "log", "console", "one generator process", "== MB/s", "== round trips", "65536 B",
                "kB per session", "start-up"}) {
            assertTrue(out.contains(part), "missing '" + part + "' in:\n" + out);
        }
        assertTrue(out.matches("(?s).*32 B, 1 connection, 32 in flight +direct +\\d+/s +quiet +\\d+/s +\\d+\\.\\d+x.*"), out);
    }
}
