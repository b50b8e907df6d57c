package dev.wstap.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.autobahn.Family2PingPong;
import dev.wstap.autobahn.Family3ReservedBits;
import dev.wstap.autobahn.Family5Fragmentation;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A case against a server as an event script: the server's frames and the connection's end go in,
 * writes, waits and drops come out, and the verdicts are Autobahn's.
 */
class CaseRunTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long S = 1_000_000_000L;

    private static AutobahnCase byId(List<AutobahnCase> cases, String id) {
        return cases.stream().filter(c -> c.id().equals(id) && !c.title().startsWith("variant")).findFirst().orElseThrow();
    }

    private static CaseRun run(AutobahnCase c) {
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        r.start(0);
        return r;
    }

    /** Frames from the server, as hex. */
    private static List<ParsedFrame> server(String hex) {
        List<ParsedFrame> out = new ArrayList<>();
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(Direction.S2C, 1 << 20, out::add).feed(b, 0, b.length);
        return out;
    }

    /** Takes every write the run has now; the close frame it wrote, if any, is returned. */
    private static List<ParsedFrame> writes(CaseRun r, long now) {
        List<ParsedFrame> out = new ArrayList<>();
        CaseRun.Action a;
        while ((a = r.next(now)) instanceof CaseRun.Action.Write w) {
            new FrameParser(Direction.C2S, 1 << 20, out::add).feed(w.bytes(), 0, w.bytes().length);
        }
        return out;
    }

    @Test
    void expectationsAreAutobahns() {
        Expectation e = Expectation.of(byId(Family3ReservedBits.cases(), "3.2"));
        assertEquals(List.of(Observed.of(Observed.Kind.TEXT, "Hello, world!".getBytes())), e.ok());
        assertEquals(List.of(), e.nonStrict(), "answering nothing before failing is NON-STRICT");
        assertEquals(new Expectation.ExpectedClose(false, Set.of(1002), false), e.close());
        Expectation ping = Expectation.of(byId(Family2PingPong.cases(), "2.5"));
        assertEquals(List.of(), ping.ok());
        assertNull(ping.nonStrict());
        Expectation fine = Expectation.of(byId(Family5Fragmentation.cases(), "5.6"));
        assertEquals(List.of(Observed.Kind.PONG, Observed.Kind.TEXT), fine.ok().stream().map(Observed::kind).toList());
        assertEquals(new Expectation.ExpectedClose(true, Set.of(1000), true), fine.close());
    }

    @Test
    void theNonStrictAnswersAreAutobahns() {
        java.util.TreeSet<String> nonStrict = new java.util.TreeSet<>();
        for (AutobahnCase c : Suite.all()) {
            Expectation e = Expectation.of(c);
            if (e.nonStrict() != null && !e.isInformational()) nonStrict.add(c.id());
        }
        assertEquals(new java.util.TreeSet<>(List.of("3.2", "3.3", "3.4", "4.1.3", "4.1.4", "4.1.5", "4.2.3", "4.2.4", "4.2.5", "5.15",
                "6.4.1", "6.4.2", "6.4.3", "6.4.4")), nonStrict);
    }

    @Test
    void aServersPingIsAnsweredNotCompared() {
        CaseRun r = run(byId(Family2PingPong.cases(), "2.2"));
        writes(r, 0);
        server("89 01 61").forEach(f -> r.received(f, 1)); // a keep-alive of its own
        assertEquals(List.of(10), writes(r, 1).stream().map(f -> f.header().opcode()).toList(), "answered with a pong");
        server("8a 0d 48656c6c6f2c20776f726c6421").forEach(f -> r.received(f, 2));
        assertEquals(8, writes(r, 2).get(0).header().opcode(), "the expected pong came, the ping not counted: wstap closes");
    }

    @Test
    void anEchoThatComesClosesTheCaseCleanly() {
        CaseRun r = run(byId(Family2PingPong.cases(), "2.2")); // ping "Hello, world!"
        assertEquals(1, writes(r, 0).size(), "the ping");
        assertInstanceOf(CaseRun.Action.Wait.class, r.next(0));
        server("8a 0d 48656c6c6f2c20776f726c6421").forEach(f -> r.received(f, 1));
        List<ParsedFrame> close = writes(r, 1);
        assertEquals(List.of(8), close.stream().map(f -> f.header().opcode()).toList(), "the expected pong came: wstap closes");
        server("88 02 03e8").forEach(f -> r.received(f, 2));
        r.ended(3);
        assertInstanceOf(CaseRun.Action.Done.class, r.next(3));
        CaseRun.Result result = r.result();
        assertEquals(List.of(CaseRun.Verdict.OK, CaseRun.CloseVerdict.OK), List.of(result.behaviour(), result.close()));
    }

    @Test
    void aWrongPongFailsTheBehaviourAndTheTimeoutStillClosesCleanly() {
        CaseRun r = run(byId(Family2PingPong.cases(), "2.2"));
        writes(r, 0);
        server("8a 01 78").forEach(f -> r.received(f, 1));
        assertEquals(new CaseRun.Action.Wait(TIMEOUT.toNanos()), r.next(1));
        List<ParsedFrame> close = writes(r, TIMEOUT.toNanos()); // closeAfter
        assertEquals(8, close.get(0).header().opcode());
        server("88 02 03e8").forEach(f -> r.received(f, 3 * S));
        r.ended(3 * S);
        CaseRun.Result result = r.result();
        assertEquals(List.of(CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.OK), List.of(result.behaviour(), result.close()));
        assertEquals("expected pong (13 bytes: 48656c6c6f2c20776f726c6421), got pong (1 bytes: 78)", result.why());
    }

    @Test
    void aServerThatFailsTheConnectionIsOkAndOneThatNeverDoesIsDropped() {
        CaseRun ok = run(byId(Family3ReservedBits.cases(), "3.1"));
        writes(ok, 0);
        server("88 02 03ea").forEach(f -> ok.received(f, 1)); // 1002
        assertEquals(8, writes(ok, 1).get(0).header().opcode(), "its close answered");
        ok.ended(2);
        CaseRun.Result good = ok.result();
        assertEquals(List.of(CaseRun.Verdict.OK, CaseRun.CloseVerdict.OK), List.of(good.behaviour(), good.close()));

        CaseRun never = run(byId(Family3ReservedBits.cases(), "3.1"));
        writes(never, 0);
        server("91 0d 48656c6c6f2c20776f726c6421").forEach(f -> never.received(f, 1)); // echoed, RSV = 1 and all
        // An RSV bit no extension defines: wstap fails the connection at once (1002), as Autobahn's client does.
        List<ParsedFrame> kill = writes(never, 1);
        assertEquals("88 1002", "%x %d".formatted(kill.get(0).header().opcode() | 0x80, kill.get(0).closePayload().code()));
        server("88 02 03ea").forEach(f -> never.received(f, 2));
        never.ended(3);
        CaseRun.Result bad = never.result();
        assertEquals(List.of(CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.FAILED), List.of(bad.behaviour(), bad.close()));
        assertTrue(bad.why().startsWith("the server sent a text frame with RSV 1, which no agreed extension defines (RFC 6455 §5.2)"), bad.why());
        assertEquals("the server did not fail the connection: wstap closed it after 2000 ms", bad.closeWhy());

        // A server that swallows invalid UTF-8 fails the behaviour too in family 6 (the wrong side closed).
        CaseRun swallow = run(byId(dev.wstap.autobahn.Family6Utf8.cases(), "6.3.1"));
        writes(swallow, 0);
        writes(swallow, TIMEOUT.toNanos());
        server("88 02 03e9").forEach(f -> swallow.received(f, TIMEOUT.toNanos() + 1));
        swallow.ended(TIMEOUT.toNanos() + 2);
        assertEquals(List.of(CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.FAILED), List.of(swallow.result().behaviour(), swallow.result().close()));
    }

    @Test
    void aWrongCodeAndAServerThatClosesFirstAreSaid() {
        CaseRun wrong = run(byId(Family3ReservedBits.cases(), "3.1"));
        writes(wrong, 0);
        server("88 02 03e8").forEach(f -> wrong.received(f, 1)); // 1000 where 1002 is due
        writes(wrong, 1);
        wrong.ended(2);
        assertEquals(CaseRun.CloseVerdict.WRONG_CODE, wrong.result().close());
        assertEquals("close code 1000, expected 1002", wrong.result().closeWhy());

        CaseRun first = run(byId(Family2PingPong.cases(), "2.2"));
        writes(first, 0);
        server("88 02 03e8").forEach(f -> first.received(f, 1)); // closes before its pong
        writes(first, 1);
        first.ended(2);
        CaseRun.Result r = first.result();
        assertEquals(List.of(CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.FAILED), List.of(r.behaviour(), r.close()));
        assertTrue(r.closeWhy().contains("the server closed first"), r.closeWhy());
    }

    @Test
    void failingFastOnInvalidUtf8IsOkAndFailingAtTheEndNonStrict() {
        AutobahnCase c = byId(dev.wstap.autobahn.Family6Utf8.cases(), "6.4.1");
        CaseRun fast = run(c);
        long t = 0;
        assertEquals(1, writes(fast, t).size(), "the first fragment");
        CaseRun.Action a = fast.next(t);
        long pause = ((CaseRun.Action.Wait) a).untilNanos();
        assertTrue(pause >= Expectation.MARKED_PAUSE_MILLIS * 1_000_000L, "a pause long enough to fail fast in");
        assertEquals(1, writes(fast, pause).size(), "the invalid fragment, after timeout A");
        server("88 02 03ef").forEach(f -> fast.received(f, pause + 1)); // 1007 at once
        writes(fast, pause + 1);
        fast.ended(pause + 2);
        assertEquals(List.of(CaseRun.Verdict.OK, CaseRun.CloseVerdict.OK), List.of(fast.result().behaviour(), fast.result().close()));

        CaseRun late = run(c);
        writes(late, 0);
        long p1 = ((CaseRun.Action.Wait) late.next(0)).untilNanos();
        writes(late, p1);
        long p2 = ((CaseRun.Action.Wait) late.next(p1)).untilNanos();
        assertEquals(1, writes(late, p2).size(), "the last fragment, after timeout B");
        server("88 02 03ef").forEach(f -> late.received(f, p2 + 1));
        writes(late, p2 + 1);
        late.ended(p2 + 2);
        assertEquals(CaseRun.Verdict.NON_STRICT, late.result().behaviour());
    }

    @Test
    void aWrongCodeForAnInvalidCloseFailsTheBehaviourAndUndefinedCodesAreOnlyReported() {
        CaseRun r = run(byId(dev.wstap.autobahn.Family7Close.cases(), "7.9.1")); // close with code 0
        writes(r, 0);
        server("88 02 03e8").forEach(f -> r.received(f, 1)); // 1000 where 1002 is due
        r.ended(2);
        assertEquals(List.of(CaseRun.Verdict.FAILED, CaseRun.CloseVerdict.WRONG_CODE), List.of(r.result().behaviour(), r.result().close()));

        CaseRun info = run(byId(dev.wstap.autobahn.Family7Close.cases(), "7.13.1")); // code 5000
        writes(info, 0);
        server("88 02 03e8").forEach(f -> info.received(f, 1));
        info.ended(2);
        assertEquals(List.of(CaseRun.Verdict.INFORMATIONAL, CaseRun.CloseVerdict.INFORMATIONAL),
                List.of(info.result().behaviour(), info.result().close()));
    }

    @Test
    void asTheServerWstapSendsUnmaskedAndEndsTheConnectionAfterTheCloses() {
        AutobahnCase c = byId(Family2PingPong.cases(), "2.2");
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3), true);
        r.start(0);
        CaseRun.Action first = r.next(0);
        byte[] ping = ((CaseRun.Action.Write) first).bytes();
        assertEquals(0x89, ping[0] & 0xff);
        assertEquals(13, ping[1], "no mask bit: a server's frame");
        // The client's pong, masked as a client's frames are.
        List<ParsedFrame> pong = new ArrayList<>();
        byte[] wire = dev.wstap.wire.FrameEncoder.frame(true, 10, 0x01020304, "Hello, world!".getBytes());
        new FrameParser(Direction.C2S, 1 << 20, pong::add).feed(wire, 0, wire.length);
        r.received(pong.get(0), 1);
        CaseRun.Action close = r.next(1);
        assertEquals(0x88, ((CaseRun.Action.Write) close).bytes()[0] & 0xff);
        List<ParsedFrame> answer = new ArrayList<>();
        byte[] closeWire = dev.wstap.wire.FrameEncoder.frame(true, 8, 0x01020304, new byte[] {0x03, (byte) 0xe8});
        new FrameParser(Direction.C2S, 1 << 20, answer::add).feed(closeWire, 0, closeWire.length);
        r.received(answer.get(0), 2);
        assertInstanceOf(CaseRun.Action.Drop.class, r.next(2), "the server ends the TCP connection");
        r.ended(3);
        assertEquals(List.of(CaseRun.Verdict.OK, CaseRun.CloseVerdict.OK), List.of(r.result().behaviour(), r.result().close()));
    }

    // --- Families 12 and 13: permessage-deflate

    private static AutobahnCase compressed(String id) {
        return Suite.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** A server's message compressed by {@code deflater}, as frames with RSV1 on the first. */
    private static List<ParsedFrame> serverCompressed(dev.wstap.deflate.MessageDeflater deflater, int opcode, byte[] message) {
        byte[] payload = deflater.compress(message);
        byte[] wire = dev.wstap.wire.FrameEncoder.frame(true, 4, opcode, null, payload, dev.wstap.wire.LengthEncoding.minimalFor(payload.length),
                payload.length);
        List<ParsedFrame> out = new ArrayList<>();
        new FrameParser(Direction.S2C, 1 << 20, out::add).feed(wire, 0, wire.length);
        return out;
    }

    /** The messages in {@code frames}, inflated by {@code in} as a server reads them. */
    private static List<byte[]> inflate(List<ParsedFrame> frames, dev.wstap.deflate.MessageInflater in) {
        List<byte[]> out = new ArrayList<>();
        for (ParsedFrame f : frames) {
            if (f.header().opcode() != 0) {
                assertEquals(4, f.header().rsv(), "RSV1 on a compressed message's first frame");
                in.start();
            } else {
                assertEquals(0, f.header().rsv(), "RSV1 on the first frame only");
            }
            in.feed(f.preview(), 0, f.preview().length);
            if (f.header().isFinal()) {
                dev.wstap.deflate.MessageInflater.Inflated m = in.finish();
                assertNull(m.error(), m.error());
                out.add(m.preview());
            }
        }
        return out;
    }

    @Test
    void aServerThatAgreesToNoCompressionIsUnimplementedAndClosedAtOnce() {
        AutobahnCase c = compressed("12.1.1");
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        r.start(0, null);
        List<ParsedFrame> close = writes(r, 0);
        assertEquals(List.of(8), close.stream().map(f -> f.header().opcode()).toList(), "a close with 1000, nothing else");
        assertEquals(1000, close.get(0).closePayload().code());
        server("88 02 03e8").forEach(f -> r.received(f, 1));
        r.ended(2);
        CaseRun.Result result = r.result();
        assertEquals(List.of(CaseRun.Verdict.UNIMPLEMENTED, CaseRun.CloseVerdict.OK), List.of(result.behaviour(), result.close()));
        assertTrue(result.why().contains("offered: permessage-deflate; client_no_context_takeover; client_max_window_bits"), result.why());
    }

    @Test
    void compressedMessagesGoOneAtATimeInTheAgreedWindowAndComeBackInflated() {
        AutobahnCase c = compressed("13.3.11"); // 8192-byte messages in 256-byte frames, the client's window 9 bits
        var agreed = c.compression().accept(c.compression().offers());
        assertEquals(new dev.wstap.deflate.DeflateParameters(false, false, 9, 9), agreed, "both ask for 9 bits");
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        r.start(0, agreed);
        var echo = new dev.wstap.deflate.MessageDeflater(false, 15);
        var serverSide = dev.wstap.deflate.MessageInflater.of(agreed, true, 1 << 20); // its context goes on from message to message
        int count = c.compression().count();
        for (int i = 0; i < count; i++) {
            List<ParsedFrame> sent = writes(r, i);
            assertTrue(sent.size() > 1 && sent.subList(0, sent.size() - 1).stream().allMatch(f -> f.header().payloadLength() == 256),
                    "the compressed message in frames of 256 bytes");
            List<byte[]> messages = inflate(sent, serverSide);
            assertEquals(1, messages.size(), "one message, then a wait for its echo");
            assertTrue(java.util.Arrays.equals(c.compression().message(i), messages.get(0)), "message " + i + " as the corpus has it");
            assertInstanceOf(CaseRun.Action.Wait.class, r.next(i));
            long at = i;
            serverCompressed(echo, 1, messages.get(0)).forEach(f -> r.received(f, at));
        }
        List<ParsedFrame> close = writes(r, count);
        assertEquals(List.of(8), close.stream().map(f -> f.header().opcode()).toList(), "every echo came: wstap closes");
        server("88 02 03e8").forEach(f -> r.received(f, count));
        r.ended(count + 1);
        assertEquals(List.of(CaseRun.Verdict.OK, CaseRun.CloseVerdict.OK), List.of(r.result().behaviour(), r.result().close()));
    }

    @Test
    void aWrongEchoEndsTheCaseThereAndAMessageThatDoesNotInflateFailsIt() {
        AutobahnCase c = compressed("12.1.3");
        var agreed = new dev.wstap.deflate.DeflateParameters(false, false, 15, 15);
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        r.start(0, agreed);
        var echo = new dev.wstap.deflate.MessageDeflater(false, 15);
        writes(r, 0);
        serverCompressed(echo, 1, c.compression().message(0)).forEach(f -> r.received(f, 1));
        writes(r, 1);
        serverCompressed(echo, 1, "not the message".getBytes()).forEach(f -> r.received(f, 2));
        List<ParsedFrame> close = writes(r, 2);
        assertEquals(List.of(8), close.stream().map(f -> f.header().opcode()).toList(), "no third message: wstap closes at the wrong echo");
        server("88 02 03e8").forEach(f -> r.received(f, 3));
        r.ended(4);
        CaseRun.Result result = r.result();
        assertEquals(CaseRun.Verdict.FAILED, result.behaviour());
        assertTrue(result.why().startsWith("expected " + c.compression().count() + " answers, got 2; answer 2: expected text message"), result.why());

        CaseRun bad = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        bad.start(0, agreed);
        writes(bad, 0);
        server("c1 02 ffff").forEach(f -> bad.received(f, 1)); // RSV1, and no DEFLATE stream
        List<ParsedFrame> failing = writes(bad, 1);
        assertEquals(1007, failing.get(0).closePayload().code());
        server("88 02 03ef").forEach(f -> bad.received(f, 2));
        bad.ended(3);
        assertEquals(CaseRun.Verdict.FAILED, bad.result().behaviour());
        assertTrue(bad.result().why().startsWith("message 1 does not inflate"), bad.result().why());
    }

    @Test
    void reservedBitsNoExtensionDefinesFailTheCaseAndWstapFailsTheConnection() {
        AutobahnCase c = compressed("12.1.1");
        CaseRun r = new CaseRun(c, Expectation.of(c), TIMEOUT, new Random(3));
        r.start(0, new dev.wstap.deflate.DeflateParameters(false, false, 15, 15));
        writes(r, 0);
        server("c0 01 41").forEach(f -> r.received(f, 1)); // a continuation with FIN and RSV1: RSV1 only on a message's first frame
        List<ParsedFrame> close = writes(r, 1);
        assertEquals(1002, close.get(0).closePayload().code());
        server("88 02 03ea").forEach(f -> r.received(f, 2));
        r.ended(3);
        CaseRun.Result result = r.result();
        assertEquals(CaseRun.Verdict.FAILED, result.behaviour());
        assertTrue(result.why().startsWith("the server sent a cont frame with RSV 4, RSV1 where only a message's first frame may have it (RFC 7692 §6.1)"),
                result.why());
    }
}
