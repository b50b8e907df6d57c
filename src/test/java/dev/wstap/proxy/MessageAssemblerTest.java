package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One message event for each data message, from the bytes of one direction, wired as a pump wires it. */
class MessageAssemblerTest {
    /** What one direction's bytes gave: every frame, and the messages in the order they ended. */
    private record Seen(List<ParsedFrame> frames, List<MessageSeen> messages) {}

    private static Seen feed(int maxPreview, boolean isDeflateAgreed, String hex) {
        MessageInflater inflater = isDeflateAgreed
                ? MessageInflater.of(DeflateParameters.fromResponse("permessage-deflate"), false, maxPreview) : null;
        MessageAssembler assembler = new MessageAssembler(1, Direction.S2C, maxPreview, inflater);
        Seen seen = new Seen(new ArrayList<>(), new ArrayList<>());
        FrameParser parser = new FrameParser(Direction.S2C, maxPreview, new FrameListener() {
            @Override
            public void onHeader(FrameHeader header) {
                assembler.onHeader(header);
            }

            @Override
            public void onPayload(byte[] bytes, int off, int len, long position) {
                assembler.onPayload(bytes, off, len, position);
            }

            @Override
            public void onFrame(ParsedFrame frame) {
                seen.frames().add(frame);
                MessageSeen message = assembler.onFrame(frame);
                if (message != null) seen.messages().add(message);
            }
        });
        parser.allowRsv(isDeflateAgreed ? FrameHeader.RSV1 : 0);
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        parser.feed(bytes, 0, bytes.length);
        return seen;
    }

    private static String text(MessageSeen m) {
        return new String(m.preview(), StandardCharsets.UTF_8);
    }

    @Test
    void aSingleFrameIsAMessageThatSharesItsPreview() {
        Seen seen = feed(100, false, "81 02 68 69"); // FIN text "hi"
        MessageSeen hi = seen.messages().get(0);
        assertEquals(1, seen.messages().size());
        assertTrue(hi.isSameAsFrame());
        assertEquals("hi", hi.text());
        assertSame(seen.frames().get(0).preview(), hi.preview(), "not copied");
    }

    @Test
    void oneEventForEachMessageAndNoneForFramesOfNoMessage() {
        Seen seen = feed(100, false, "81 02 68 69" // FIN text "hi"
                + " 83 00"                         // FIN reserved-0x3
                + " 01 03 48 65 6c"                // text "Hel", not final
                + " 89 02 70 31"                   // ping "p1" between the fragments
                + " 80 02 6c 6f"                   // final continuation "lo"
                + " 80 01 21"                      // a final continuation of nothing
                + " 82 01 07"                      // FIN binary 07
                + " 8a 00");                       // pong
        assertEquals(List.of("hi", "Hello", "\u0007"), seen.messages().stream().map(MessageAssemblerTest::text).toList());
        assertEquals(seen.frames().stream().filter(ParsedFrame::endsMessage).count(), seen.messages().size(),
                "a message for every frame that ends one");
        MessageSeen hello = seen.messages().get(1);
        assertEquals(2, hello.fragments(), "the ping is no fragment");
        assertEquals(5, hello.wireLength());
        assertFalse(hello.isSameAsFrame());
    }

    @Test
    void aCompressedMessageIsInflatedEvenInOneFrame() {
        // RFC 7692 §7.2.3.1 "Hello" compressed, in one frame and then in two fragments.
        Seen seen = feed(100, true, "c1 07 f2 48 cd c9 c9 07 00 41 03 f2 48 cd 80 04 c9 c9 07 00");
        assertEquals(List.of("Hello", "Hello"), seen.messages().stream().map(MessageAssemblerTest::text).toList());
        MessageSeen single = seen.messages().get(0);
        assertTrue(single.isCompressed());
        assertFalse(single.isSameAsFrame(), "its frame holds compressed bytes, the message text");
        assertEquals(7, single.wireLength());
        assertEquals(5, single.length());
        assertEquals(2, seen.messages().get(1).fragments());
    }

    @Test
    void whatAFragmentedMessageKeepsIsBoundedByThePreviewLimit() {
        Seen seen = feed(4, false, "01 03 61 62 63 00 03 64 65 66 80 03 67 68 69"); // "abc" "def" "ghi"
        MessageSeen m = seen.messages().get(0);
        assertEquals("abcd", text(m));
        assertEquals(9, m.length());
        assertTrue(m.isTruncated());
    }
}
