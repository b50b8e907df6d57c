package dev.wstap.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.filter.FilterParser;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.RoundTrips;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The replay as an event script: what the live peer sends and what time it is go in; the frames to
 * send, the waits and the verdicts come out. No sockets, no clock.
 */
class ReplayerTest {
    private static final long MS = 1_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<String> notes = new ArrayList<>();

    /** A conversation: the client says hello, the server welcomes it, the client orders with the session, the server acks, the client closes. */
    private static LogScript chat() {
        return new LogScript()
                .text(0, Direction.C2S, "{\"type\":\"hello\"}")
                .text(10, Direction.S2C, "{\"type\":\"welcome\",\"session\":\"abc123\"}")
                .text(100, Direction.C2S, "{\"type\":\"order\",\"session\":\"abc123\",\"token\":\"{{session}}\"}")
                .text(110, Direction.S2C, "{\"type\":\"ack\",\"price\":101.5,\"ts\":1}")
                .hex(300, Direction.C2S, "88 82 00000000 03e8", Fate.FORWARDED, null)
                .hex(301, Direction.S2C, "88 02 03e8", Fate.FORWARDED, null)
                .close(302);
    }

    private Replayer replayer(LogScript script, Replayer.Settings settings) throws ReplayException {
        return new Replayer(script.recording(), settings, new Random(7), notes::add);
    }

    private static Replayer.Settings settings(Side side, Pacing pacing) {
        return new Replayer.Settings(side, pacing, 1, null, List.of(), false, List.of(), TIMEOUT);
    }

    private static Opened live() throws ReplayException {
        return new LogScript().recording().opened();
    }

    private static MessageSeen message(Direction dir, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageSeen(LogScript.T0, 1, dir, Opcode.TEXT, 1, b.length, b.length, false, b, List.of(), false);
    }

    private static FrameSeen frame(Direction dir, String hex) {
        List<ParsedFrame> out = new ArrayList<>();
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(dir, 1000, out::add).feed(b, 0, b.length);
        return new FrameSeen(LogScript.T0, 1, dir, out.get(0), false);
    }

    private static Closed closed() {
        return new Closed(LogScript.T0, 1, "server", -1, "", false, "server reset the connection", Duration.ZERO,
                new Traffic(0, 0, 0, 0), new Traffic(0, 0, 0, 0), null, RoundTrips.NONE);
    }

    /** The frame a Send carries, parsed (and unmasked). */
    private static ParsedFrame sent(Replayer.Action action, Direction dir) {
        Replayer.Action.Send send = assertInstanceOf(Replayer.Action.Send.class, action);
        List<ParsedFrame> out = new ArrayList<>();
        new FrameParser(dir, 1 << 20, out::add).feed(send.bytes(), 0, send.bytes().length);
        assertEquals(1, out.size(), "one frame a send");
        return out.get(0);
    }

    private static String text(ParsedFrame f) {
        return new String(f.preview(), StandardCharsets.UTF_8);
    }

    @Test
    void lockstepSendsEachFrameOnceThePeerHasSentWhatItHadByThen() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        ParsedFrame hello = sent(r.next(0), Direction.C2S);
        assertEquals("{\"type\":\"hello\"}", text(hello));
        assertTrue(hello.header().isMasked());
        assertEquals(new Replayer.Action.Wait(TIMEOUT.toNanos() + 1), r.next(1), "the welcome comes first; the wait starts now");
        r.received(message(Direction.C2S, "mine"), 2); // the client's own: not awaited
        r.received(frame(Direction.S2C, "89 02 6869"), 3); // a ping: not what the step waits for, but answered at once
        ParsedFrame pong = sent(r.next(4), Direction.C2S);
        assertEquals(List.of(Opcode.PONG, "hi", true), List.of(pong.header().opcode(), text(pong), pong.header().isMasked()));
        assertInstanceOf(Replayer.Action.Wait.class, r.next(4));
        r.received(message(Direction.S2C, "{\"type\":\"welcome\",\"session\":\"other\"}"), 5);
        assertTrue(text(sent(r.next(6), Direction.C2S)).contains("\"order\""));
        r.received(message(Direction.S2C, "{\"type\":\"ack\"}"), 7);
        ParsedFrame close = sent(r.next(8), Direction.C2S);
        assertEquals(Opcode.CLOSE, close.header().opcode());
        assertInstanceOf(Replayer.Action.Wait.class, r.next(9), "the server's close is still to come");
        r.received(frame(Direction.S2C, "88 02 03e8"), 10);
        assertInstanceOf(Replayer.Action.Done.class, r.next(11));
        assertTrue(r.isCompleted());
        assertEquals(0, r.failures());
        assertEquals("2 text messages, 1 close", r.awaitedText());
    }

    @Test
    void aStepThatWaitsLongerThanTheTimeoutFailsTheReplay() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        assertInstanceOf(Replayer.Action.Wait.class, r.next(MS));
        assertInstanceOf(Replayer.Action.Done.class, r.next(MS + TIMEOUT.toNanos()));
        assertFalse(r.isCompleted());
        assertEquals(1, r.failures());
        Replayer.Step last = r.steps().get(r.steps().size() - 1);
        assertEquals(Replayer.Outcome.FAILED, last.outcome());
        assertEquals("waited 10 s for what the recording has the server send by this point: 1 text message; it sent nothing", last.detail());
    }

    @Test
    void matchTightensWhatCountsAsTheAwaitedReply() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.lockstep, 1, FilterParser.parse("json:/type==\"welcome\""),
                List.of(), false, List.of(), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(message(Direction.S2C, "{\"type\":\"news\"}"), 1);
        assertInstanceOf(Replayer.Action.Wait.class, r.next(2), "a message EXPR does not match is no reply");
        r.received(message(Direction.S2C, "{\"type\":\"welcome\"}"), 3);
        sent(r.next(4), Direction.C2S);
        // The ack does not match: the close goes at once, and only the server's close, which always counts, is awaited.
        sent(r.next(5), Direction.C2S);
        assertInstanceOf(Replayer.Action.Wait.class, r.next(6));
        r.received(frame(Direction.S2C, "88 00"), 7);
        assertInstanceOf(Replayer.Action.Done.class, r.next(8));
        assertTrue(r.isCompleted());
    }

    @Test
    void originalTimingKeepsTheRecordedGapsDividedBySpeed() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.original));
        r.start(1000, live(), null);
        sent(r.next(1000), Direction.C2S);
        assertEquals(new Replayer.Action.Wait(1000 + 100 * MS), r.next(1000), "the order went 100 ms after the open");
        sent(r.next(1000 + 100 * MS), Direction.C2S);
        Replayer fast = replayer(chat(), new Replayer.Settings(Side.client, Pacing.original, 2, null, List.of(), false, List.of(), TIMEOUT));
        fast.start(0, live(), null);
        sent(fast.next(0), Direction.C2S);
        assertEquals(new Replayer.Action.Wait(50 * MS), fast.next(0));
    }

    @Test
    void asapSendsAtOnceButACloseWaitsForWhatThePeerSentBeforeIt() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.asap));
        r.start(0, live(), null);
        for (int i = 0; i < 2; i++) assertEquals(Opcode.TEXT, sent(r.next(0), Direction.C2S).header().opcode());
        assertInstanceOf(Replayer.Action.Wait.class, r.next(0), "a close now would cut the server's answers short");
        r.received(message(Direction.S2C, "{}"), 1);
        r.received(message(Direction.S2C, "{}"), 1);
        assertEquals(Opcode.CLOSE, sent(r.next(2), Direction.C2S).header().opcode());
        r.received(frame(Direction.S2C, "88 00"), 3);
        assertInstanceOf(Replayer.Action.Done.class, r.next(4));
        assertTrue(r.isCompleted());
    }

    @Test
    void aPeerThatClosesBeforeItsAnswersFailsAtOnceAndItsCloseIsKept() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(frame(Direction.S2C, "88 06 03f3 6f6f7073"), 1); // 1011 "oops", instead of the welcome
        assertInstanceOf(Replayer.Action.Done.class, r.next(2), "no wait: nothing comes after a close");
        assertEquals("the server closed (1011 \"oops\") without what the recording has it send by this point: 1 text message; "
                + "it sent 1 close", r.steps().get(r.steps().size() - 1).detail());
        assertEquals(1011, r.peerClose().code(), "what the driver answers");
    }

    @Test
    void aPeerThatClosesAndLeavesBeforeOurAnswerIsNoFailure() throws Exception {
        // The server closes first and drops the connection: the client's recorded answer cannot go, and need not.
        LogScript script = new LogScript()
                .text(0, Direction.C2S, "bye")
                .hex(1, Direction.S2C, "88 02 03e8", Fate.FORWARDED, null)
                .hex(2, Direction.C2S, "88 82 00000000 03e8", Fate.FORWARDED, null);
        Replayer r = replayer(script, settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(frame(Direction.S2C, "88 02 03e8"), 1);
        r.received(closed(), 1);
        assertInstanceOf(Replayer.Action.Done.class, r.next(2));
        assertTrue(r.isCompleted());
        assertEquals(0, r.failures());
    }

    @Test
    void theRecordedPongToAPeersPingIsMadeForTheLivePingAndThePingIsNotAwaited() throws Exception {
        LogScript script = new LogScript()
                .hex(0, Direction.S2C, "89 01 61", Fate.FORWARDED, null)          // the server's keep-alive "a"
                .hex(1, Direction.C2S, "8a 81 00000000 61", Fate.FORWARDED, null) // the client's answer
                .text(2, Direction.C2S, "next");
        Replayer r = replayer(script, settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        assertEquals("next", text(sent(r.next(0), Direction.C2S)), "neither the ping nor its pong holds the message back");
        assertInstanceOf(Replayer.Action.Done.class, r.next(0));
        assertEquals(1, r.planned());
    }

    @Test
    void aCaptureThatFindsNothingFailsTheReplay() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.asap, 1, null,
                List.of(Capture.parse("sid=/nosuch")), false, List.of(), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        sent(r.next(0), Direction.C2S);
        r.received(message(Direction.S2C, "{}"), 1);
        r.received(message(Direction.S2C, "{}"), 1);
        sent(r.next(2), Direction.C2S);
        r.received(frame(Direction.S2C, "88 00"), 3);
        assertInstanceOf(Replayer.Action.Done.class, r.next(4));
        assertEquals(1, r.failures());
        assertEquals("--capture sid: no message of the server's had /nosuch", r.steps().get(r.steps().size() - 1).detail());
    }

    @Test
    void matchNarrowsTheComparisonsToo() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.lockstep, 1, FilterParser.parse("json:/type==\"ack\""),
                List.of(), true, List.of(), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S); // nothing awaited before the order: the welcome does not match
        sent(r.next(0), Direction.C2S);
        r.received(message(Direction.S2C, "{\"type\":\"news\"}"), 1);
        r.received(message(Direction.S2C, "{\"type\":\"ack\",\"price\":101.5,\"ts\":1}"), 1);
        sent(r.next(2), Direction.C2S);
        r.received(frame(Direction.S2C, "88 02 03e8"), 3);
        assertInstanceOf(Replayer.Action.Done.class, r.next(4));
        assertEquals(0, r.failures(), "the news is neither awaited nor compared: " + notes);
        assertTrue(r.isCompleted());
    }

    @Test
    void thePeerEndingEarlyFailsWithWhatWasNotSent() throws Exception {
        Replayer r = replayer(chat(), settings(Side.client, Pacing.lockstep));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(closed(), 5);
        assertInstanceOf(Replayer.Action.Done.class, r.next(6));
        assertFalse(r.isCompleted());
        assertEquals("the session ended (the server closed it: server reset the connection) with 2 recorded frames of the client "
                + "not sent, the first the client's text message at line 4", r.steps().get(r.steps().size() - 1).detail());
    }

    @Test
    void aCapturedValueReplacesItsPlaceholderAndTheRecordedValue() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.lockstep, 1, null,
                List.of(Capture.parse("session=/session")), false, List.of(), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(message(Direction.S2C, "{\"type\":\"welcome\",\"session\":\"zz99\"}"), 1);
        assertEquals("{\"type\":\"order\",\"session\":\"zz99\",\"token\":\"zz99\"}", text(sent(r.next(2), Direction.C2S)));
        assertEquals(List.of("captured session = zz99 (recorded: abc123)", "line 4: the captured session put in"), notes);
    }

    @Test
    void expectSameReportsWhatDiffersLeavingIgnoredPathsOut() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.lockstep, 1, null, List.of(), true,
                List.of(JsonPointer.compile("/session")), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(message(Direction.S2C, "{\"type\":\"welcome\",\"session\":\"new\"}"), 1);
        sent(r.next(2), Direction.C2S);
        r.received(message(Direction.S2C, "{\"type\":\"ack\",\"price\":99.0,\"ts\":1.0}"), 3);
        sent(r.next(4), Direction.C2S);
        r.received(frame(Direction.S2C, "88 05 03e9 627965"), 5);
        assertInstanceOf(Replayer.Action.Done.class, r.next(6));
        assertTrue(r.isCompleted(), "every frame went and every reply came");
        assertEquals(2, r.failures());
        assertEquals(List.of("the server's message 2 differs from the recording (line 5):\n  /price: recorded 101.5, live 99.0",
                "the server's close differs from the recording (line 7):\n  code: recorded 1000, live 1001\n  reason: recorded \"\", live \"bye\""),
                notes);
    }

    @Test
    void aRecordedMalformedFrameGoesAsItWasWithAFreshMask() throws Exception {
        // A 16-bit length for 2 bytes, RSV2, opcode 3, an unmasked client frame: all as recorded.
        LogScript script = new LogScript()
                .hex(0, Direction.C2S, "a3 fe 0002 00000000 6869", Fate.FORWARDED, null)
                .hex(1, Direction.C2S, "81 02 6f6b", Fate.FORWARDED, null);
        Replayer r = replayer(script, settings(Side.client, Pacing.asap));
        r.start(0, live(), null);
        byte[] first = ((Replayer.Action.Send) r.next(0)).bytes();
        assertEquals("a3fe0002", HexFormat.of().formatHex(first, 0, 4));
        assertTrue(!HexFormat.of().formatHex(first, 4, 8).equals("00000000"), "a fresh mask key, not the recorded one");
        ParsedFrame f = sent(new Replayer.Action.Send(first), Direction.C2S);
        assertEquals("hi", text(f));
        assertArrayEquals(HexFormat.of().parseHex("81026f6b"), ((Replayer.Action.Send) r.next(0)).bytes(), "unmasked stays unmasked");
    }

    @Test
    void aCompressedMessageIsCompressedAgainInTheRecordedFragmentsOrSentPlain() throws Exception {
        String text = "{\"note\":\"" + "x".repeat(400) + "\"}";
        byte[] body = new MessageDeflater(false, 15).compress(text.getBytes(StandardCharsets.UTF_8));
        int cut = body.length / 2;
        LogScript script = new LogScript("permessage-deflate")
                .frame(0, Direction.C2S, false, 4, 1, java.util.Arrays.copyOf(body, cut))
                .frame(1, Direction.C2S, true, 0, 0, java.util.Arrays.copyOfRange(body, cut, body.length));
        Replayer r = replayer(script, settings(Side.client, Pacing.asap));
        DeflateParameters agreed = DeflateParameters.fromResponse("permessage-deflate; client_no_context_takeover");
        r.start(0, live(), agreed);
        ParsedFrame a = sent(r.next(0), Direction.C2S);
        ParsedFrame b = sent(r.next(0), Direction.C2S);
        assertEquals(List.of(4, 0, false, true), List.of(a.header().rsv(), b.header().rsv(), a.header().isFinal(), b.header().isFinal()));
        MessageInflater inflater = new MessageInflater(true, 1 << 20);
        inflater.start();
        inflater.feed(a.preview(), 0, a.preview().length);
        inflater.feed(b.preview(), 0, b.preview().length);
        assertEquals(text, new String(inflater.finish().preview(), StandardCharsets.UTF_8));

        Replayer plain = replayer(script, settings(Side.client, Pacing.asap));
        plain.start(0, live(), null);
        ParsedFrame p = sent(plain.next(0), Direction.C2S);
        ParsedFrame q = sent(plain.next(0), Direction.C2S);
        assertEquals(0, p.header().rsv(), "no permessage-deflate now: no RSV1");
        assertEquals(text, text(p) + text(q));
        assertEquals("the server did not agree to permessage-deflate: the messages recorded compressed go uncompressed", notes.get(0));
    }

    @Test
    void theServerSideSendsUnmaskedFramesAndWaitsForTheClient() throws Exception {
        Replayer r = replayer(chat(), settings(Side.server, Pacing.lockstep));
        r.start(0, live(), null);
        assertInstanceOf(Replayer.Action.Wait.class, r.next(0), "the client speaks first");
        r.received(message(Direction.C2S, "{\"type\":\"hello\"}"), 1);
        ParsedFrame welcome = sent(r.next(2), Direction.S2C);
        assertFalse(welcome.header().isMasked());
        assertTrue(text(welcome).contains("welcome"));
    }

    @Test
    void aFrameOfTheReplayedSideThatTheLogCutIsRefusedByName() throws Exception {
        List<String> lines = new ArrayList<>(new LogScript().text(0, Direction.C2S, "hello").lines());
        // As --max-preview 2 logs it: "he", of 5 bytes.
        lines.set(1, lines.get(1).replaceFirst("\"payload_b64\":\"[^\"]*\",\"truncated\":false,\"text\":\"hello\"",
                "\"payload_b64\":\"aGU=\",\"truncated\":true,\"text\":\"he\""));
        Recording cut = Recording.read(lines.iterator(), "cut.jsonl", null);
        ReplayException e = assertThrows(ReplayException.class, () -> new Replayer(cut, settings(Side.client, Pacing.lockstep),
                new Random(1), notes::add));
        assertEquals("the client's text frame of 5 bytes (line 2) was logged with its first 2 bytes only, and a replay sends "
                + "whole frames: record the session with --log-payload full", e.getMessage());
        new Replayer(cut, settings(Side.server, Pacing.lockstep), new Random(1), notes::add); // the server's side has no cut frame
    }

    @Test
    void afterThePeersCloseNothingButTheAnswerGoes() throws Exception {
        Replayer r = replayer(chat(), new Replayer.Settings(Side.client, Pacing.asap, 1, null,
                List.of(Capture.parse("sid=/session")), false, List.of(), TIMEOUT));
        r.start(0, live(), null);
        sent(r.next(0), Direction.C2S);
        r.received(frame(Direction.S2C, "88 02 03e8"), 1);
        assertInstanceOf(Replayer.Action.Done.class, r.next(2), "the order is not sent after the server's close");
        assertFalse(r.isCompleted());
        assertEquals("the server sent its close (1000) with 2 recorded frames of the client not sent, the first the client's "
                + "text message at line 4", r.steps().get(r.steps().size() - 1).detail());
        assertEquals(1, r.sent());
    }

    @Test
    void whatTheRecordingHasAfterThePeersCloseStillGoes() throws Exception {
        // An echo server recorded: the client sent its message and its close at once; the echo came after the close.
        LogScript script = new LogScript()
                .hex(0, Direction.C2S, "81 82 00000000 6869", Fate.FORWARDED, null)
                .hex(1, Direction.C2S, "88 82 00000000 03e8", Fate.FORWARDED, null)
                .hex(2, Direction.S2C, "81 02 6869", Fate.FORWARDED, null)
                .hex(3, Direction.S2C, "88 02 03e8", Fate.FORWARDED, null);
        Replayer r = replayer(script, settings(Side.server, Pacing.lockstep));
        r.start(0, live(), null);
        r.received(message(Direction.C2S, "hi"), 1);
        r.received(frame(Direction.C2S, "88 82 00000000 03e8"), 1);
        assertEquals("hi", text(sent(r.next(2), Direction.S2C)), "the echo goes, as it went then");
        assertEquals(Opcode.CLOSE, sent(r.next(2), Direction.S2C).header().opcode());
        assertInstanceOf(Replayer.Action.Done.class, r.next(3));
        assertTrue(r.isCompleted());
        assertEquals(0, r.failures());
    }
}
