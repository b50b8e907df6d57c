package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageEncoderTest {
    @Test
    void theOriginalFragmentationIsKeptWhereTheSizesStillFit() {
        assertArrayEquals(new long[] {4, 4, 2}, dev.wstap.wire.Fragmentation.sizesLike(new long[] {4, 4, 3}, 10));
        assertArrayEquals(new long[] {4, 4, 0}, dev.wstap.wire.Fragmentation.sizesLike(new long[] {4, 4, 3}, 8));
        assertArrayEquals(new long[] {7}, dev.wstap.wire.Fragmentation.sizesLike(new long[] {4, 4, 3}, 7), "too short: one frame");
        assertArrayEquals(new long[] {99}, dev.wstap.wire.Fragmentation.sizesLike(new long[] {3}, 99));
    }

    @Test
    void towardsTheServerFramesAreMaskedAndTowardsTheClientNot() {
        List<OutFrame> c2s = new MessageEncoder(1, Direction.C2S, null).encode(Opcode.TEXT, bytes("hi"), false, new long[] {5}, Fate.EDITED, "#1", null);
        List<OutFrame> s2c = new MessageEncoder(1, Direction.S2C, null).encode(Opcode.TEXT, bytes("hi"), false, new long[] {5}, Fate.EDITED, "#1", null);
        assertTrue(c2s.get(0).frame().header().isMasked());
        assertFalse(s2c.get(0).frame().header().isMasked());
        assertArrayEquals(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}, s2c.get(0).wire()); // FIN text "hi"
        assertNull(s2c.get(0).message(), "a single plain frame is its own message");
    }

    @Test
    void aCompressedMessageHasRsv1OnItsFirstFrameOnlyAndInflatesBack() {
        DeflateParameters agreed = DeflateParameters.fromResponse("permessage-deflate");
        MessageEncoder encoder = new MessageEncoder(1, Direction.S2C, agreed);
        MessageInflater inflater = MessageInflater.of(agreed, false, 1 << 20);
        for (String text : List.of("the token is 0123456789abcdefghij", "again: the token is 0123456789abcdefghij")) {
            List<OutFrame> frames = encoder.encode(Opcode.TEXT, bytes(text), true, new long[] {3, 3, 100}, Fate.RECOMPRESSED, null, null);
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (int i = 0; i < frames.size(); i++) {
                FrameHeader h = frames.get(i).frame().header();
                assertEquals(i == 0 ? FrameHeader.RSV1 : 0, h.rsv());
                assertEquals(i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, h.opcode());
                assertEquals(i == frames.size() - 1, h.isFinal());
                byte[] wire = frames.get(i).wire();
                payload.write(wire, h.encodedLength(), wire.length - h.encodedLength());
            }
            assertEquals(3, frames.size());
            assertTrue(frames.get(2).message().isCompressed());
            inflater.start();
            byte[] p = payload.toByteArray();
            inflater.feed(p, 0, p.length);
            MessageInflater.Inflated m = inflater.finish();
            assertNull(m.error());
            assertEquals(text, new String(m.preview(), StandardCharsets.UTF_8), "the receiver's inflater, with context, reads it");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
