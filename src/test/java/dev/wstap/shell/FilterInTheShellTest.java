package dev.wstap.shell;

import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter language as the shell takes it: filter, explain, wait and expect frame, a mistake, and completion. */
class FilterInTheShellTest {
    @TempDir
    Path dir;

    @Test
    void filterExplainAndExpectTakeTheSameExpressions() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            RawClient client = bench.connect("/chat?room=1");
            assertEquals("showing: url~/room=1/ dir:c2s json:/type==\"join\"\n",
                    bench.output("filter url~/room=1/ dir:c2s json:/type==\"join\""));
            client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("{\"type\":\"leave\"}")),
                    FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("{\"type\": \"join\", \"who\": \"ann smith\"}")));
            Poll.until(CommandBench.WAIT, () -> !bench.shown("ann smith").isEmpty(), "the join shown");
            assertTrue(bench.shown("leave").isEmpty(), "the leave is not: " + bench.consoleLines);
            // A wait looks past what the previous one matched: the leave first, then the join.
            assertEquals("", bench.run("wait frame --timeout 5 'json:/type==\"leave\"'"), "single quotes group as in a shell");
            assertEquals("", bench.run("expect frame --timeout 5 body:\"ann smith\" json:/who==\"ann smith\""),
                    "double quotes stay part of the expression, with the space inside them");

            String said = bench.output("explain op:ping or -dir:c2s");
            assertTrue(said.startsWith("op:ping or -dir:c2s\n  any of:\n    op:ping"), said);

            String mistake = bench.run("filter op:txt dir:c2s");
            assertEquals("error: bad filter: expected an opcode (text, binary, cont, close, ping, pong, a group data, control or "
                    + "reserved, or a number 0-15 such as 0x3), not 'txt'\n  op:txt dir:c2s\n     ^", mistake);
            assertEquals("showing: url~/room=1/ dir:c2s json:/type==\"join\"\n", bench.output("filter"), "a mistake changes nothing");
        }
    }

    @Test
    void theShellCompletesTermsAndTheValuesItKnows() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/complete");
            LiveCompleter completer = new LiveCompleter(bench.runner.context());
            assertTrue(complete(completer, "filter ").containsAll(List.of("dir:", "op:", "body~", "json:", "injected", "or")));
            assertEquals(List.of("op:text", "op:binary", "op:cont", "op:close", "op:ping", "op:pong", "op:data", "op:control",
                    "op:reserved"), complete(completer, "filter op:"));
            assertTrue(complete(completer, "expect frame -op:ping,").contains("-op:ping,pong"));
            assertEquals(List.of("sess:1"), complete(completer, "filter sess:"), "the open session");
            assertTrue(complete(completer, "wait frame dir:c2s viol:").contains("viol:invalid-utf8"));
            assertTrue(complete(completer, "explain close:").contains("close:1006"));
            assertEquals(List.of(), complete(completer, "wait session "), "wait session takes no expression");
            assertEquals(List.of(), complete(completer, "filter --dir "), "the option's own values come from the command model");
        }
    }

    private static List<String> complete(LiveCompleter completer, String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }
}
