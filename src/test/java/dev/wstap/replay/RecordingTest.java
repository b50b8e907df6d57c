package dev.wstap.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.deflate.MessageDeflater;
import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a log says each side sent: once per frame whatever wstap did to it, wstap's own left out, messages whole. */
class RecordingTest {
    private static String units(Recording r) {
        return String.join(" | ", r.units().stream().map(u -> u.dir().label() + " " + u.kind()
                + (u.isMessage() ? " " + new String(u.payload(), StandardCharsets.UTF_8) : "")
                + (u.isComplete() ? "" : " (cut off)") + (u.isKnown() ? "" : " (not whole)")).toList());
    }

    @Test
    void aHeldFrameCountsOnceWhereItArrivedAndWstapsOwnFramesNotAtAll() throws Exception {
        Recording r = new LogScript()
                .hex(0, Direction.C2S, "81 83 00000000 616263", Fate.HELD, "#1")          // "abc", held by the intercept
                .hex(5, Direction.S2C, "89 00", Fate.INJECTED, null)                    // wstap's ping: not the server's
                .hex(6, Direction.S2C, "81 01 78", Fate.DROPPED, "mute: drop")          // a rule dropped it: the server sent it
                .hex(9, Direction.C2S, "81 83 00000000 616263", Fate.RELEASED, "#1")      // the end of the hold: not a new frame
                .hex(9, Direction.C2S, "81 81 00000000 7a", Fate.EDITED, "#2 --text z")   // wstap's edit: not the client's
                .hex(9, Direction.C2S, "81 81 00000000 79", Fate.REPLACED, "#2 --text z") // ... of this, held without a record: it arrives here
                .close(10).recording();
        assertEquals("c2s text message abc | s2c text message x | c2s text message y", units(r));
        assertEquals(List.of(2, 4, 7), r.frames().stream().map(Recording.Frame::line).toList(), "the log lines, the open record being 1");
    }

    @Test
    void fragmentsMakeOneMessageAndControlFramesBetweenThemStandAlone() throws Exception {
        Recording r = new LogScript()
                .frame(0, Direction.C2S, false, 0, 1, "he".getBytes(StandardCharsets.UTF_8))
                .frame(1, Direction.C2S, true, 0, 9, new byte[0])
                .frame(2, Direction.C2S, true, 0, 0, "llo".getBytes(StandardCharsets.UTF_8))
                .frame(3, Direction.C2S, true, 0, 0, "x".getBytes(StandardCharsets.UTF_8))   // a stray continuation
                .frame(4, Direction.C2S, false, 0, 2, new byte[] {1})
                .frame(5, Direction.C2S, true, 0, 1, "new".getBytes(StandardCharsets.UTF_8)) // cuts the binary one off
                .recording();
        assertEquals("c2s ping | c2s text message hello | c2s frame with opcode 0 | c2s binary message \u0001 (cut off)"
                + " | c2s text message new", units(r));
        assertEquals(2, r.units().get(1).frames().size());
    }

    @Test
    void compressedMessagesAreInflatedFollowingTheContext() throws Exception {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        byte[] first = deflater.compress("hello hello".getBytes(StandardCharsets.UTF_8));
        byte[] second = deflater.compress("hello again".getBytes(StandardCharsets.UTF_8)); // refers back to the first
        Recording r = new LogScript("permessage-deflate")
                .frame(0, Direction.S2C, true, 4, 1, first)
                .frame(1, Direction.S2C, false, 4, 1, java.util.Arrays.copyOf(second, 3))
                .frame(2, Direction.S2C, true, 0, 0, java.util.Arrays.copyOfRange(second, 3, second.length))
                .recording();
        assertEquals("s2c text message hello hello | s2c text message hello again", units(r));
        assertTrue(r.units().get(1).isCompressed());
    }

    @Test
    void aPayloadTheLogCutIsNotWholeAndNeitherIsWhatDependsOnIt() throws Exception {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        byte[] first = deflater.compress("hello hello".getBytes(StandardCharsets.UTF_8));
        byte[] second = deflater.compress("hello again".getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(new LogScript("permessage-deflate")
                .frame(0, Direction.S2C, true, 4, 1, first).frame(1, Direction.S2C, true, 4, 1, second).lines());
        // As --max-preview 2 would have logged the first: two bytes, and truncated.
        String cut = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(first, 2));
        lines.set(1, lines.get(1).replaceFirst("\"payload_b64\":\"[^\"]*\",\"truncated\":false", "\"payload_b64\":\"" + cut + "\",\"truncated\":true"));
        Recording r = Recording.read(lines.iterator(), "cut.jsonl", null);
        assertFalse(r.units().get(0).isKnown());
        assertFalse(r.units().get(1).isKnown(), "its context was in the part the log left out");
        assertTrue(r.frames().get(0).isTruncated());
    }

    @Test
    void theSessionIsChosenByNumberAndAMissingOneIsNamed() throws Exception {
        List<String> lines = new ArrayList<>(new LogScript().text(0, Direction.C2S, "one").lines());
        lines.addAll(new LogScript().text(0, Direction.C2S, "two").lines().stream().map(l -> l.replace("\"conn\":1", "\"conn\":2")).toList());
        assertEquals("c2s text message two", units(Recording.read(lines.iterator(), "two.jsonl", 2)));
        assertEquals("c2s text message one", units(Recording.read(lines.iterator(), "two.jsonl", null)));
        ReplayException e = assertThrows(ReplayException.class, () -> Recording.read(lines.iterator(), "two.jsonl", 7));
        assertEquals("two.jsonl has no session 7; its sessions are 1, 2", e.getMessage());
        e = assertThrows(ReplayException.class, () -> Recording.read(List.of("{\"v\":1,\"type\":\"http\"}").iterator(), "x.jsonl", null));
        assertEquals("x.jsonl has no WebSocket session (no \"open\" record)", e.getMessage());
    }

    @Test
    void aSessionNumberThatComesAgainIsALaterRunsSession() throws Exception {
        // Run 1 was killed before its close record; run 2 appended a session with the same number.
        List<String> lines = new ArrayList<>(new LogScript().text(0, Direction.C2S, "one").lines());
        lines.addAll(new LogScript().text(0, Direction.C2S, "two").lines());
        assertEquals("c2s text message one", units(Recording.read(lines.iterator(), "runs.jsonl", 1)));
    }

    @Test
    void aRuleHoldAndAnotherRulesDropAreTwoFrames() throws Exception {
        // As the proxy logs them: a stall holds "a", another rule drops "b", and at the end the stall's frame is dropped.
        Recording r = new LogScript()
                .hex(0, Direction.C2S, "81 81 00000000 61", Fate.HELD, "rule stall-it: stall")
                .hex(1, Direction.C2S, "81 81 00000000 62", Fate.DROPPED, "rule drop-b: drop")
                .hex(2, Direction.C2S, "81 81 00000000 61", Fate.DROPPED, "rule stall-it: stall; stalled")
                .recording();
        assertEquals("c2s text message a | c2s text message b", units(r));
    }

    @Test
    void aHeldMessageReleasedAsWstapReCompressesItCountsOnce() throws Exception {
        MessageDeflater sender = new MessageDeflater(false, 15);
        byte[] a = sender.compress("first".getBytes(StandardCharsets.UTF_8));
        byte[] again = new MessageDeflater(false, 15).compress("first".getBytes(StandardCharsets.UTF_8)); // wstap's, its own context
        Recording r = new LogScript("permessage-deflate")
                .bytes(0, Direction.C2S, dev.wstap.wire.FrameEncoder.frame(true, 4, 1, 0, a, dev.wstap.wire.LengthEncoding.minimalFor(a.length),
                        a.length), Fate.HELD, "#3")
                .bytes(5, Direction.C2S, dev.wstap.wire.FrameEncoder.frame(true, 4, 1, 0, again,
                        dev.wstap.wire.LengthEncoding.minimalFor(again.length), again.length), Fate.RECOMPRESSED,
                        "released #3; re-compressed by wstap since #2 was edited")
                .recording();
        assertEquals("c2s text message first", units(r));
    }

    @Test
    void aRecompressedMessageIsTheSendersWithTheInflatedPayloadOfItsRecord() throws Exception {
        MessageDeflater wstaps = new MessageDeflater(false, 15);
        byte[] body = wstaps.compress("after the edit".getBytes(StandardCharsets.UTF_8));
        LogScript script = new LogScript("permessage-deflate").bytes(0, Direction.S2C,
                dev.wstap.wire.FrameEncoder.frame(true, 4, 1, null, body, dev.wstap.wire.LengthEncoding.minimalFor(body.length), body.length),
                Fate.RECOMPRESSED, null);
        List<String> lines = new ArrayList<>(script.lines());
        // The message record the log has after it: the message inflated.
        lines.add("{\"v\":1,\"type\":\"message\",\"ts\":\"2026-12-07T10:00:00.000000Z\",\"conn\":1,\"dir\":\"s2c\",\"opcode\":1,"
                + "\"fragments\":1,\"compressed\":true,\"wire_len\":" + body.length + ",\"len\":14,\"payload_b64\":\""
                + java.util.Base64.getEncoder().encodeToString("after the edit".getBytes(StandardCharsets.UTF_8))
                + "\",\"truncated\":false,\"injected\":false,\"violations\":[]}");
        assertEquals("s2c text message after the edit", units(Recording.read(lines.iterator(), "re.jsonl", null)));
    }
}
