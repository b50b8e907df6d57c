package dev.wstap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bench/run --quick and bench/micro --quick: the benchmarks still run from end to end and print
 * every part of their matrices. Their figures mean nothing at these sizes; timings belong in the
 * benchmarks, not in tests.
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
        assertTrue(p.waitFor(Waits.scaledMillis(300000), TimeUnit.MILLISECONDS), "bench/run --quick took over 5 minutes");
        assertEquals(0, p.exitValue(), out);
        for (String part : new String[] {"== messages per second", "32 B, 50 connections, 32 in flight", "direct",
                "quiet", "log", "console", "one generator process", "== MB/s", "== round trips", "65536 B",
                "kB per session", "start-up", "pipelined frames", "realistic client", "peak RSS", "== targets"}) {
            assertTrue(out.contains(part), "missing '" + part + "' in:\n" + out);
        }
        assertTrue(out.matches("(?s).*32 B, 1 connection, 32 in flight +direct +\\d+/s +quiet +\\d+/s +\\d+\\.\\d+x.*"), out);
    }

    @Test
    void everyMicrobenchmarkRunsAndReportsAResult() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("bench/micro").toString(), "--quick").directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Waits.scaledMillis(180000), TimeUnit.MILLISECONDS), "bench/micro --quick took over 3 minutes");
        assertEquals(0, p.exitValue(), out);
        // JMH's summary: one row per benchmark and parameter set, ending in a score and its unit.
        for (String bench : new String[] {"ParserBench", "MaskingBench", "Utf8Bench", "InflateBench", "JsonlBench", "FilterBench",
                "RendererBench"}) {
            assertTrue(out.matches("(?s).*\\n" + bench + "\\.\\w+ [^\\n]* \\d+\\.\\d+ +(ns/op|ops/s)\\n.*"),
                    "no result for " + bench + " in:\n" + out);
        }
        assertTrue(out.contains("MaskingBench.byteAtATime") && out.contains("MaskingBench.wordAtATime"), out);
    }
}
