package dev.wstap.shell;

import static dev.wstap.shell.CommandBench.next;
import static dev.wstap.shell.CommandBench.text;
import static dev.wstap.testing.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.FrameSeen;
import dev.wstap.testing.Poll;
import dev.wstap.testing.RawClient;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every shell command against a live session, and every error it can give. */
class ShellCommandsTest {
    @TempDir
    Path dir;

    private static final String TOO_LONG = "x".repeat(130);

    @Test
    void withoutASessionCommandsThatNeedOneSaySo() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            assertEquals("error: no open session (wait session first)", bench.run("send hello"));
            assertEquals("error: no open session (wait session first)", bench.run("ping"));
            assertEquals("error: no open session #7 (see: sessions)", bench.run("use 7"));
            assertEquals("no open sessions\n", bench.output("sessions"));
        }
    }

    /** Each bad line gets one line that says what is wrong; the shell goes on to the next. */
    @Test
    void everyErrorIsOneLineAndTheNextCommandRuns() throws Exception {
        Path missing = dir.resolve("missing.bin");
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        errors.put("bogus", "error: unknown command 'bogus' (try: help)");
        errors.put("frg --parts 2 x", "error: unknown command 'frg'; did you mean frag? (try: help)");
        errors.put("send --hex zz", "error: bad hex 'zz': 'z' is not a hex digit (say e.g. --hex '81 fe 00')");
        errors.put("send --hex 81f", "error: bad hex '81f': 3 digits, not whole bytes (say e.g. --hex '81 fe 00')");
        errors.put("send --json {nope", "error: --json: not JSON: Unexpected character ('n' (code 110))");
        errors.put("send --file " + missing, "error: cannot read " + missing + ": no such file");
        errors.put("send --to nowhere x", "error: --to nowhere: say server or client");
        errors.put("send --compress hi", "error: --compress: this session did not agree on permessage-deflate");
        errors.put("ping " + TOO_LONG, "error: ping payload of 130 bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway");
        errors.put("pong --to client " + TOO_LONG, "error: pong payload of 130 bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway");
        errors.put("close 1005", "error: close code 1005 (No Status Received) may not be sent (RFC 6455 §7.4.1); use raw to send one anyway");
        errors.put("close 999", "error: close code 999 (invalid) may not be sent (RFC 6455 §7.4.1); use raw to send one anyway");
        errors.put("close 1000 " + TOO_LONG, "error: close payload of 132 bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway");
        errors.put("close abc", "error: Invalid value for positional parameter at index 0 (CODE): 'abc' is not an int (try: help close)");
        errors.put("frag --sizes 1,1 abc", "error: fragment sizes [1, 1] add up to 2, not the message's 3 bytes");
        errors.put("frag --parts 0 x", "error: --parts 0 must be at least 1");
        errors.put("frag --parts 2 --delay -5 ab", "error: --delay -5 is negative");
        errors.put("frag x", "error: Missing required argument (specify one of these): (--parts=N | --sizes=N[,N...]");
        errors.put("raw --opcode 16 x", "error: opcode 16 is outside 0-15 (RFC 6455 §5.2 gives it four bits)");
        errors.put("raw --opcode nope x", "error: unknown opcode 'nope' (use a name such as text or ping, or a number 0-15)");
        errors.put("raw --opcode ping --rsv 9 x", "error: --rsv 9 is outside 0-7");
        errors.put("raw --opcode text --mask nope x", "error: --mask nope: 8 hex digits, random or none");
        errors.put("raw --opcode text --len-encoding 32 x", "error: --len-encoding 32: minimal, 16 or 64");
        errors.put("raw x", "error: Missing required option: '--opcode=N' (try: help raw)");
        errors.put("use 99", "error: no open session #99 (see: sessions)");
        errors.put("view nope", "error: view nope: say one of [auto, text, json, hex, headers, messages]");
        errors.put("filter --grep (", "error: bad regex '(': Unclosed group");
        errors.put("filter --clear x", "error: filter --clear takes nothing else");
        errors.put("filter --dir up", "error: unknown direction 'up' (use c2s or s2c)");
        errors.put("wait nothing", "error: wait for what? say session, frame or held, not 'nothing'");
        errors.put("wait frame --timeout 0.2 body:zzz", "error: waited for a frame matching body:\"zzz\", but none came within 0.2 s");
        errors.put("expect frame --timeout 0.2 --opcode pong", "expected a frame matching op:pong, but none came within 0.2 s");
        errors.put("forward 7", "error: no message #7 was held yet; see: held");
        errors.put("forward #7", "error: no message #7 was held yet; see: held");
        errors.put("edit abc", "error: Invalid value for positional parameter at index 0 (ID): 'abc' is not a held message's number (say 3 or #3; see: held)");
        errors.put("wait held --timeout 0", "error: --timeout 0.0: give more than 0 seconds");
        errors.put("intercept --hold-max 99999999999999999999", "error: Invalid value for option '--hold-max': '99999999999999999999' is too large");
        errors.put("drop", "error: Missing required argument (specify one of these)");
        errors.put("edit 3 --text a", "error: no message #3 was held yet; see: held");
        errors.put("intercept --off body:x", "error: intercept --off takes no expression");
        errors.put("intercept --on-timeout drop", "error: --on-timeout drop needs --hold-timeout S");
        errors.put("intercept --hold-max lots", "error: Invalid value for option '--hold-max': 'lots' is not a size: say a number of bytes, e.g. 65536, 512KiB or 16MiB");
        errors.put("wait held --timeout 0.2", "error: waited for a held message (intercept is off), but none came within 0.2 s");
        errors.put("rule add op:text drop", "error: say rule add 'WHEN' -- ACTION..., e.g. rule add 'dir:s2c op:pong' -- drop");
        errors.put("rule add op:text -- dela=1", "error: rule add: rule 1: unknown key 'dela' (did you mean delay?)");
        errors.put("rule rm 9", "error: there is no rule 9 (no rules)");
        errors.put("rules reload", "error: rules: no rule file was given (proxy --rules FILE); no rules are in force");
        errors.put("rules sideways", "error: rules sideways: say reload, on or off (or nothing, for the list)");
        errors.put("sleep soon", "error: Invalid value for positional parameter at index 0 (MS): 'soon' is not a long (try: help sleep)");
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/errors");
            List<Executable> checks = new ArrayList<>();
            for (var e : errors.entrySet()) {
                String said = bench.run(e.getKey());
                checks.add(() -> assertTrue(said.startsWith(e.getValue()) && !said.contains("\n"),
                        e.getKey() + "\n  said:     " + said + "\n  expected: " + e.getValue()));
            }
            assertAll(checks);
            assertTrue(bench.output("sessions").contains("#1 "), "the shell goes on after errors");
            assertTrue(bench.atServer.isEmpty(), "nothing was sent: " + bench.atServer);
        }
    }

    @Test
    void anEditedFragmentedMessageKeepsItsFragmentationAndGetsFreshMasks() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            dev.wstap.testing.RawClient client = bench.connect("/edit");
            bench.output("intercept op:binary");
            int mask = 0x11223344;
            client.write(dev.wstap.wire.FrameEncoder.frame(false, 0, Opcode.BINARY, mask, new byte[] {1, 2, 3, 4},
                            dev.wstap.wire.LengthEncoding.BITS_7, 4),
                    dev.wstap.wire.FrameEncoder.frame(true, 0, Opcode.CONTINUATION, mask, new byte[] {5, 6, 7},
                            dev.wstap.wire.LengthEncoding.BITS_7, 3));
            assertTrue(bench.output("wait held").startsWith("#1  session 1  c2s  "), "wait held names it");
            assertTrue(bench.output("held").contains("binary 7 B in 2 frames  01 02 03 04 05 06 07"), bench.output("held"));
            assertEquals("edited #1 (--hex, 8 B) and sent it", bench.output("edit 1 --hex 'de ad be ef 01 02 03 04'").strip());
            ParsedFrame first = next(bench.atServer);
            ParsedFrame second = next(bench.atServer);
            assertEquals(List.of(4L, 4L), List.of(first.header().payloadLength(), second.header().payloadLength()),
                    "the original fragmentation, the last fragment taking the rest");
            assertEquals(Opcode.CONTINUATION, second.header().opcode());
            assertTrue(first.header().isMasked() && first.header().maskKey() != mask, "a fresh mask");
            assertTrue(bench.output("held").startsWith("nothing is held"), bench.output("held"));
        }
    }

    @Test
    void aRuleAddedInTheShellActsAtOnceAndGoesAgainWithRm() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            dev.wstap.testing.RawClient client = bench.connect("/rules");
            assertEquals("added 1  #1  when dir:c2s body~/^x/  drop  0 hits of 0 matches",
                    bench.output("rule add 'dir:c2s body~/^x/' -- drop").strip());
            int mask = 0x01020304;
            client.write(dev.wstap.wire.FrameEncoder.frame(true, 0, Opcode.TEXT, mask, "x dropped".getBytes(StandardCharsets.UTF_8),
                    dev.wstap.wire.LengthEncoding.BITS_7, 9));
            client.write(dev.wstap.wire.FrameEncoder.frame(true, 0, Opcode.TEXT, mask, "kept".getBytes(StandardCharsets.UTF_8),
                    dev.wstap.wire.LengthEncoding.BITS_7, 4));
            assertEquals("kept", text(next(bench.atServer)), "the first never reached the server");
            assertTrue(bench.output("rules").contains("1 hit of 1 match"), bench.output("rules"));
            assertTrue(bench.output("rule rm 1").startsWith("removed rule 1"));
            assertEquals("added 1  #1  when op:binary  replace --replace /secret/x y/  0 hits of 0 matches",
                    bench.output("rule add op:binary -- replace={regex: secret, with: 'x y'}").strip(), "a YAML value with spaces, as typed");
            bench.output("rule rm 1");
            client.write(dev.wstap.wire.FrameEncoder.frame(true, 0, Opcode.TEXT, mask, "x again".getBytes(StandardCharsets.UTF_8),
                    dev.wstap.wire.LengthEncoding.BITS_7, 7));
            assertEquals("x again", text(next(bench.atServer)));
            dev.wstap.testing.Poll.until(java.time.Duration.ofSeconds(10), () -> bench.shown("[dropped: rule #1: drop]").size() == 1,
                    () -> "the hit shown: " + bench.consoleLines);
        }
    }

    @Test
    void framesTowardsTheServerGetAFreshMaskAndTowardsTheClientNone() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/masks");
            bench.output("ping one");
            bench.output("ping one");
            bench.output("pong --to client two");
            bench.output("send --to client three");
            ParsedFrame first = next(bench.atServer);
            ParsedFrame second = next(bench.atServer);
            assertTrue(first.header().isMasked() && second.header().isMasked());
            assertTrue(first.header().maskKey() != second.header().maskKey(), "a fresh key for every frame");
            assertEquals("one", text(first));
            ParsedFrame pong = next(bench.atClient);
            ParsedFrame message = next(bench.atClient);
            assertEquals(Opcode.PONG, pong.header().opcode());
            assertFalse(pong.header().isMasked());
            assertEquals("three", text(message));
            assertFalse(message.header().isMasked());
            assertTrue(first.violations().isEmpty() && pong.violations().isEmpty() && message.violations().isEmpty());
        }
    }

    @Test
    void sendTakesTextBinaryHexJsonAndFiles() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/send");
            Path file = dir.resolve("blob.bin");
            Files.write(file, new byte[] {0, 1, 2, (byte) 0xff});
            bench.output("send hello   world");
            bench.output("send --binary abc");
            bench.output("send --hex '81 fe 00'");
            bench.output("send --json {\"a\": [1, 2]}");
            bench.output("send --file " + file);
            assertFrame(next(bench.atServer), Opcode.TEXT, ascii("hello world"));
            assertFrame(next(bench.atServer), Opcode.BINARY, ascii("abc"));
            assertFrame(next(bench.atServer), Opcode.BINARY, new byte[] {(byte) 0x81, (byte) 0xfe, 0});
            assertFrame(next(bench.atServer), Opcode.TEXT, ascii("{\"a\": [1, 2]}"));
            assertFrame(next(bench.atServer), Opcode.BINARY, new byte[] {0, 1, 2, (byte) 0xff});
            FrameSeen shown = bench.proxy.events().await(FrameSeen.class, f -> f.isInjected() && f.frame().header().opcode() == Opcode.TEXT, CommandBench.WAIT);
            assertTrue(shown.isInjected());
            Poll.until(CommandBench.WAIT, () -> !bench.shown("[injected]").isEmpty(), "!bench.shown(\"[injected]\").isEmpty()");
        }
    }

    private static void assertFrame(ParsedFrame f, int opcode, byte[] payload) {
        assertEquals(opcode, f.header().opcode(), Opcode.name(f.header().opcode()));
        assertTrue(f.header().isFinal());
        assertArrayEquals(payload, f.preview());
    }

    @Test
    void fragSplitsOneMessageAtTheGivenSizesWithPingsBetween() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/frag");
            bench.output("frag --sizes 1,2,3 --ping-between abcdef");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ParsedFrame f = next(bench.atServer);
                got.add(Opcode.name(f.header().opcode()) + " fin=" + (f.header().isFinal() ? 1 : 0) + " " + text(f));
            }
            assertEquals(List.of("text fin=0 a", "ping fin=1 frag 1", "cont fin=0 bc", "ping fin=1 frag 2", "cont fin=1 def"), got);
            bench.output("frag --parts 3 --to client hello world");
            assertEquals(List.of("hell", "o wo", "rld"), List.of(text(next(bench.atClient)), text(next(bench.atClient)), text(next(bench.atClient))));
        }
    }

    @Test
    void closeSendsCodeAndReason() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/close");
            bench.output("close 4000 see you");
            ParsedFrame close = next(bench.atServer);
            assertEquals(Opcode.CLOSE, close.header().opcode());
            assertEquals(new ClosePayload(4000, "see you"), close.closePayload());
            assertTrue(bench.output("sessions").contains("closing: close sent by wstap"));
        }
    }

    @Test
    void aMalformedFrameGoesOutExactlyAsDescribedAndIsFlagged() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/raw");
            bench.output("raw --opcode 0x3 --rsv 2 --mask 01020304 --len-encoding 16 hi");
            ParsedFrame f = next(bench.atServer);
            // Reserved opcode 3, RSV2, masked with 01020304, "hi" with a needless 16-bit length.
            assertEquals(3, f.header().opcode());
            assertEquals(2, f.header().rsv());
            assertEquals(0x01020304, f.header().maskKey());
            assertEquals(LengthEncoding.BITS_16, f.header().lengthEncoding());
            FrameSeen shown = bench.proxy.events().await(FrameSeen.class, FrameSeen::isInjected, CommandBench.WAIT);
            assertEquals(List.of(Violation.Rule.NON_MINIMAL_LENGTH, Violation.Rule.RESERVED_OPCODE, Violation.Rule.RSV_WITHOUT_EXTENSION),
                    shown.frame().violations().stream().map(Violation::rule).toList());
            bench.output("raw --opcode ping --to client " + TOO_LONG);
            ParsedFrame big = next(bench.atClient);
            assertEquals(130, big.header().payloadLength(), "raw sends a control frame over 125 bytes when asked");
        }
    }

    @Test
    void aRawFrameWhoseHeaderPromisesMoreIsShownWithWhatWasSentAndANote() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/short");
            assertEquals("note: the header says 100 bytes but 5 were sent: the server takes what comes next that way as "
                    + "the rest of this frame\n", bench.output("raw --opcode text --len 100 short"));
            FrameSeen shown = bench.proxy.events().await(FrameSeen.class, FrameSeen::isInjected, CommandBench.WAIT);
            assertEquals(100, shown.frame().header().payloadLength());
            assertArrayEquals(ascii("short"), shown.frame().preview());
            assertTrue(shown.frame().isTruncated());
        }
    }

    @Test
    void hexTakesSpacesColonsAndPrefixes() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/hex");
            bench.output("send --hex 0x81:0xFE 00");
            assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0xfe, 0}, next(bench.atServer).preview());
        }
    }

    @Test
    void inConnectThereIsNoClientToSendTo() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/connect");
            bench.runner.sendPlainText();
            assertEquals("error: --to client: wstap connect is the client itself; frames go to the server", bench.run("ping --to client"));
            bench.run("# not a comment here: plain text");
            assertEquals("# not a comment here: plain text", text(next(bench.atServer)));
        }
    }

    @Test
    void sessionsListsEachOpenSessionAndUseChoosesOne() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            bench.connect("/first");
            bench.connect("/second");
            String listed = bench.output("sessions");
            assertTrue(listed.matches("(?s)  #1  127\\.0\\.0\\.1:\\d+ → ws://127\\.0\\.0\\.1:\\d+/first  open  c2s 0 frames 0 B  s2c 0 frames 0 B  \\d+ s\\R"
                    + "\\* #2  .*/second  open  .*"), listed);
            bench.output("use 1");
            assertTrue(bench.output("sessions").startsWith("* #1"));
            assertEquals("#1", bench.runner.context().target());
            bench.output("send to the first");
            assertEquals("to the first", text(next(bench.atServer)));
            assertEquals(1, bench.proxy.events().await(FrameSeen.class, FrameSeen::isInjected, CommandBench.WAIT).conn());
            bench.output("use");
            assertEquals("#2", bench.runner.context().target(), "use alone: the newest again");
        }
    }

    @Test
    void viewFilterPauseAndResumeChangeTheDisplayNeverTheTraffic() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            RawClient client = bench.connect("/display");
            Supplier<Integer> shownSoFar = bench.consoleLines::size;
            assertEquals("view: hex\n", bench.output("view hex"));
            client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("first")));
            Poll.until(CommandBench.WAIT, () -> !bench.shown("66 69 72 73 74").isEmpty(), "!bench.shown(\"66 69 72 73 74\").isEmpty()"); // "first" in hex
            assertEquals("view: auto\n", bench.output("view auto"));

            assertEquals("showing: dir:c2s op:text body~/keep/\n", bench.output("filter --dir c2s --opcode text body~/keep/"));
            client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("drop this")),
                    FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("keep this")));
            Poll.until(CommandBench.WAIT, () -> !bench.shown("keep this").isEmpty(), "!bench.shown(\"keep this\").isEmpty()");
            assertTrue(bench.shown("drop this").isEmpty());
            assertEquals("showing: everything\n", bench.output("filter --clear"));
            assertEquals("showing: everything\n", bench.output("filter"));

            assertEquals("display paused (traffic goes on; resume to see it)\n", bench.output("pause"));
            int before = shownSoFar.get();
            client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("while paused")));
            List<String> atServer = new ArrayList<>();
            for (int i = 0; i < 4; i++) atServer.add(text(next(bench.atServer)));
            assertEquals(List.of("first", "drop this", "keep this", "while paused"), atServer, "traffic is never held or filtered");
            Thread.sleep(200);
            assertEquals(before, shownSoFar.get(), "nothing shown while paused");
            assertEquals("display resumed\n", bench.output("resume"));
            Poll.until(CommandBench.WAIT, () -> !bench.shown("while paused").isEmpty(), "!bench.shown(\"while paused\").isEmpty()");
            assertEquals("the display was not paused\n", bench.output("resume"));
            bench.output("pause");
            assertEquals("the display is paused already (resume to see the traffic)\n", bench.output("pause"));
            bench.output("resume");
            assertEquals("showing: sess:9 (no session #9 is open now)\n", bench.output("filter --session 9"));
        }
    }

    @Test
    void statsCountsEachDirectionWithInjectedFrames() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            RawClient client = bench.connect("/stats");
            client.write(FrameEncoder.frame(true, Opcode.TEXT, 0x11223344, ascii("hello")));
            next(bench.atServer);
            bench.output("ping");
            next(bench.atServer);
            Poll.until(CommandBench.WAIT, () -> bench.output("stats").contains("c2s           2          1             17          1          0"), "bench.output(\"stats\").contains(\"c2s           2          1             17          1          0\")");
            String stats = bench.output("stats");
            assertTrue(stats.contains("sessions: 1 open, 1 in all"), stats);
            assertTrue(stats.contains("display: live, view auto, showing everything; 0 frames skipped"), stats);
        }
    }

    @Test
    void helpListsEveryCommandAndExplainsEach() throws Exception {
        try (CommandBench bench = new CommandBench(dir, null)) {
            String help = bench.output("help");
            for (String command : List.of("sessions", "use", "ping", "pong", "send", "frag", "close", "raw", "view", "filter",
                    "pause", "resume", "stats", "wait", "expect", "sleep", "help", "quit")) {
                assertTrue(help.contains("\n  " + command + " "), command + " in:\n" + help);
            }
            assertTrue(bench.output("help frag").contains("--ping-between"));
            assertFalse(bench.runner.isQuitRequested());
            bench.output("quit");
            assertTrue(bench.runner.isQuitRequested());
        }
    }

    /** RFC 7692 §7.2.2: append 00 00 ff ff and inflate. */
    private static String inflate(byte[] payload) throws Exception {
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        inflater.setInput(dev.wstap.testing.Bytes.concat(payload, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        byte[] buf = new byte[1024];
        int n;
        while ((n = inflater.inflate(buf)) > 0) out.write(buf, 0, n);
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void compressSendsRsv1AndDeflateWhereTheSenderResetsItsContext() throws Exception {
        try (CommandBench bench = new CommandBench(dir, "permessage-deflate; client_no_context_takeover")) {
            bench.connect("/deflate");
            bench.output("send --compress hello hello hello hello");
            ParsedFrame f = next(bench.atServer);
            assertEquals(FrameHeader.RSV1, f.header().rsv());
            assertEquals("hello hello hello hello", inflate(f.preview()));
            assertTrue(f.preview().length < 23, "compressed");
            bench.output("send uncompressed");
            ParsedFrame plain = next(bench.atServer);
            assertEquals(0, plain.header().rsv(), "injected messages go uncompressed unless --compress");
            assertEquals("error: --compress: the server keeps its compression context between messages (no "
                    + "server_no_context_takeover agreed), so a compressed message from wstap would corrupt the client's view "
                    + "of the server's next one; send it uncompressed", bench.run("send --compress --to client hi"));
            Poll.until(CommandBench.WAIT, () -> !bench.shown("hello hello hello hello").isEmpty(), "!bench.shown(\"hello hello hello hello\").isEmpty()");
        }
    }
}
