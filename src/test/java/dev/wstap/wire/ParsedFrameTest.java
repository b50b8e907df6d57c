package dev.wstap.wire;

import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a parsed frame says about its payload (text, compression, close payload) and about its message. */
class ParsedFrameTest {
    private static List<ParsedFrame> parse(Direction dir, int maxPreview, int allowedRsv, String hexBytes) {
        List<ParsedFrame> frames = new ArrayList<>();
        FrameParser parser = new FrameParser(dir, maxPreview, frames::add);
        parser.allowRsv(allowedRsv);
        byte[] bytes = hex(hexBytes);
        parser.feed(bytes, 0, bytes.length);
        return frames;
    }

    @Test
    void textOfAWholeTextFrame() {
        assertEquals("Hello", parse(Direction.S2C, 100, 0, "81 05 48 65 6c 6c 6f").get(0).text());
    }

    @Test
    void binaryHasNoText() {
        assertNull(parse(Direction.S2C, 100, 0, "82 02 68 69").get(0).text());
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsLeftOutOfTheFirst() {
        // "é" = c3 a9, split: text fragment "a" c3, then continuation a9 "b". The second alone is not text.
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "01 02 61 c3 80 02 a9 62");
        assertEquals("a", frames.get(0).text());
        assertNull(frames.get(1).text(), "a fragment that starts inside a character is not text on its own");
        assertTrue(frames.get(1).isText(), "but it belongs to a text message");
    }

    @Test
    void aCharacterCutByThePreviewIsLeftOut() {
        // "aé" with a preview of 2 bytes keeps 61 c3.
        ParsedFrame f = parse(Direction.S2C, 2, 0, "81 03 61 c3 a9").get(0);
        assertTrue(f.isTruncated());
        assertEquals("a", f.text());
    }

    @Test
    void invalidUtf8HasNoText() {
        assertNull(parse(Direction.S2C, 100, 0, "81 02 c3 28").get(0).text());
    }

    @Test
    void rsv1UnderAnAgreedExtensionMarksTheWholeMessageCompressed() {
        // RFC 7692 §7.2.3.1: "Hello" compressed, sent as two fragments: c1 RSV1 first, then a continuation.
        List<ParsedFrame> frames = parse(Direction.S2C, 100, FrameHeader.RSV1, "41 03 f2 48 cd 80 04 c9 c9 07 00");
        assertTrue(frames.get(0).isCompressed());
        assertTrue(frames.get(1).isCompressed(), "continuations of a compressed message are compressed too");
        assertNull(frames.get(0).text(), "compressed bytes are not text until inflated");
        assertTrue(frames.get(0).violations().isEmpty(), frames.get(0).violations().toString());
    }

    @Test
    void rsv1WithoutAnAgreedExtensionIsAViolationNotCompression() {
        ParsedFrame f = parse(Direction.S2C, 100, 0, "c1 05 48 65 6c 6c 6f").get(0);
        assertFalse(f.isCompressed());
        assertEquals(Violation.Rule.RSV_WITHOUT_EXTENSION, f.violations().get(0).rule());
        assertEquals("Hello", f.text());
    }

    @Test
    void controlFramesBetweenCompressedFragmentsAreNotCompressed() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, FrameHeader.RSV1, "41 03 f2 48 cd 89 00 80 04 c9 c9 07 00");
        assertFalse(frames.get(1).isCompressed(), "the ping");
        assertTrue(frames.get(2).isCompressed());
    }

    @Test
    void anUncompressedMessageAfterACompressedOneIsNot() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, FrameHeader.RSV1, "c1 07 f2 48 cd c9 c9 07 00 81 02 68 69");
        assertTrue(frames.get(0).isCompressed());
        assertFalse(frames.get(1).isCompressed());
        assertEquals("hi", frames.get(1).text());
    }
    private static List<Boolean> endsMessage(List<ParsedFrame> frames) {
        return frames.stream().map(ParsedFrame::endsMessage).toList();
    }

    @Test
    void aFinalTextOrBinaryFrameIsAWholeMessage() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "81 02 68 69" // FIN text "hi"
                + " 82 02 01 02");                                           // FIN binary 01 02
        assertEquals(List.of(true, true), endsMessage(frames));
        assertTrue(frames.get(0).isWholeMessage());
        assertTrue(frames.get(1).isWholeMessage());
    }

    @Test
    void framesWithAReservedOpcodeEndNoMessage() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "83 02 68 69" // FIN reserved-0x3 "hi"
                + " 87 00"                                                    // FIN reserved-0x7, empty
                + " 04 01 61 80 01 62");                                      // reserved-0x4 "a", then a final continuation "b"
        assertEquals(List.of(false, false, false, false), endsMessage(frames));
        assertEquals(Violation.Rule.RESERVED_OPCODE, frames.get(0).violations().get(0).rule());
        assertFalse(frames.get(3).isPartOfMessage(), "a reserved opcode begins no message for a continuation to continue");
    }

    @Test
    void anOrphanContinuationEndsNoMessage() {
        ParsedFrame f = parse(Direction.S2C, 100, 0, "80 02 68 69").get(0); // FIN continuation "hi", nothing to continue
        assertFalse(f.endsMessage());
        assertFalse(f.isWholeMessage());
        assertEquals(Violation.Rule.CONTINUATION_WITHOUT_START, f.violations().get(0).rule());
    }

    @Test
    void controlFramesEndNoMessage() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "89 00" // ping
                + " 8a 00"                                              // pong
                + " 8b 00"                                              // reserved control 0xb
                + " 88 02 03 e8");                                      // close 1000
        assertEquals(List.of(false, false, false, false), endsMessage(frames));
    }

    @Test
    void aFragmentedTextMessageEndsOnceAtItsLastFragmentWhateverComesBetween() {
        // RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message.
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "01 03 48 65 6c" // text "Hel", not final
                + " 89 02 70 31"                                                // ping "p1"
                + " 00 01 6c"                                                   // continuation "l", not final
                + " 80 01 6f");                                                 // final continuation "o"
        assertEquals(List.of(false, false, false, true), endsMessage(frames));
        assertEquals(List.of(true, false, true, true), frames.stream().map(ParsedFrame::isPartOfMessage).toList());
        assertFalse(frames.get(3).isWholeMessage(), "the message is four frames, not its last one");
    }

    @Test
    void aCompressedMessageEndsWithItsLastFrameButIsNoFrameAsItReads() {
        // RFC 7692 §7.2.3.1 "Hello" compressed: in one frame, then in two fragments.
        List<ParsedFrame> frames = parse(Direction.S2C, 100, FrameHeader.RSV1, "c1 07 f2 48 cd c9 c9 07 00"
                + " 41 03 f2 48 cd 80 04 c9 c9 07 00");
        assertEquals(List.of(true, false, true), endsMessage(frames));
        assertFalse(frames.get(0).isWholeMessage(), "its payload reads as a message only once inflated");
    }

    @Test
    void aDataFrameInsideAnUnfinishedMessageEndsAMessageOfItsOwn() {
        List<ParsedFrame> frames = parse(Direction.S2C, 100, 0, "01 01 61 81 01 62"); // text "a" not final, then FIN text "b"
        assertEquals(List.of(false, true), endsMessage(frames));
        assertEquals(Violation.Rule.DATA_FRAME_INSIDE_MESSAGE, frames.get(1).violations().get(0).rule());
    }
}
