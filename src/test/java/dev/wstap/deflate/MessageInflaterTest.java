package dev.wstap.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inflating for display: the RFC 7692 §7.2.3 examples verbatim, context takeover, window bits, bombs. */
class MessageInflaterTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static MessageInflater.Inflated inflate(MessageInflater inflater, String hexBytes) {
        inflater.start();
        byte[] b = hex(hexBytes);
        inflater.feed(b, 0, b.length);
        return inflater.finish();
    }

    private static String text(MessageInflater.Inflated m) {
        assertNull(m.error());
        return new String(m.preview(), StandardCharsets.UTF_8);
    }

    @Test
    void rfc7692_7_2_3_1_aMessageCompressedInOneBlock() {
        assertEquals("Hello", text(inflate(new MessageInflater(false, 100), "f2 48 cd c9 c9 07 00")));
    }

    @Test
    void rfc7692_7_2_3_2_sharingTheSlidingWindowAcrossMessages() {
        MessageInflater inflater = new MessageInflater(false, 100);
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")));
        // The second "Hello" is a back-reference into the first message's window.
        assertEquals("Hello", text(inflate(inflater, "f2 00 11 00 00")));
    }

    @Test
    void rfc7692_7_2_3_2_withoutContextTakeoverTheBackReferenceFails() {
        MessageInflater inflater = new MessageInflater(true, 100);
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")));
        MessageInflater.Inflated second = inflate(inflater, "f2 00 11 00 00");
        assertTrue(second.error() != null && second.error().startsWith("cannot inflate:"), String.valueOf(second.error()));
    }

    @Test
    void rfc7692_7_2_3_3_aStoredBlock() {
        assertEquals("Hello", text(inflate(new MessageInflater(false, 100), "00 05 00 fa ff 48 65 6c 6c 6f 00")));
    }

    @Test
    void rfc7692_7_2_3_4_aBlockWithBfinalSet() {
        MessageInflater inflater = new MessageInflater(false, 100);
        assertEquals("Hello", text(inflate(inflater, "f3 48 cd c9 c9 07 00 00")));
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")), "the next message starts a new stream");
    }

    @Test
    void rfc7692_7_2_3_5_twoBlocksInOneMessage() {
        assertEquals("Hello", text(inflate(new MessageInflater(false, 100), "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")));
    }

    @Test
    void anEmptyCompressedPayloadIsAnErrorAndTheContextSurvives() {
        // RFC 7692 §7.2.1: even an empty message compresses to at least one byte (00).
        MessageInflater inflater = new MessageInflater(false, 100);
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")));
        MessageInflater.Inflated empty = inflate(inflater, "");
        assertTrue(empty.error() != null, "an empty payload is no deflate data");
        assertEquals("Hello", text(inflate(inflater, "f2 00 11 00 00")), "the sender's window is still there");
    }

    @Test
    void garbageIsAnErrorNotACrashAndTheNextMessageStartsAfresh() {
        MessageInflater inflater = new MessageInflater(false, 100);
        MessageInflater.Inflated bad = inflate(inflater, "ff ff ff ff");
        assertTrue(bad.error().startsWith("cannot inflate:"), bad.error());
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")));
    }

    /** Many messages through one JDK deflater with sync flush, as a peer with context takeover sends them. */
    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {9, 10, 12, 15})
    void contextTakeoverAcrossManyMessagesAtAnyWindowSize(int windowBits) {
        // The JDK's Deflater always uses a 15-bit window; smaller windows only make matches shorter,
        // which an inflater with the full window decodes all the same (RFC 7692 §7.1.2.1).
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        MessageInflater inflater = new MessageInflater(false, 1 << 20);
        for (int i = 0; i < 200; i++) {
            String message = "{\"seq\":" + i + ",\"payload\":\"" + "abc".repeat(i % 50) + "\",\"bits\":" + windowBits + "}";
            byte[] wire = compress(deflater, message.getBytes(StandardCharsets.UTF_8));
            inflater.start();
            // Fed in 3-byte pieces, as a payload may arrive.
            for (int off = 0; off < wire.length; off += 3) inflater.feed(wire, off, Math.min(3, wire.length - off));
            assertEquals(message, text(inflater.finish()), "message " + i);
        }
    }

    @Test
    void aDecompressionBombKeepsOnlyThePreviewButCountsEverything() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[64 * 1024 * 1024];
        byte[] wire = compress(deflater, zeros);
        assertTrue(wire.length < 200_000, "a bomb: " + wire.length + " bytes on the wire");
        MessageInflater inflater = new MessageInflater(false, 1024);
        inflater.start();
        inflater.feed(wire, 0, wire.length);
        MessageInflater.Inflated m = inflater.finish();
        assertNull(m.error());
        assertEquals(1024, m.preview().length);
        assertEquals(zeros.length, m.size());
        assertTrue(m.isTruncated());
        assertArrayEquals(new byte[1024], m.preview());
    }

    @Test
    void aGigabyteBombStopsAtTheInflateLimit() {
        // 1 MiB of zeros compressed, then the blocks of one more MiB of zeros repeated: each copy
        // inflates to 1 MiB of zeros again. About 1 MiB on the wire, 1 GiB inflated, which took
        // seconds to inflate whole on the thread that forwards it.
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] mebibyte = new byte[1 << 20];
        byte[] first = compress(deflater, mebibyte);
        byte[] next = compress(deflater, mebibyte);
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.writeBytes(first);
        for (int i = 1; i < 1024; i++) {
            bomb.writeBytes(hex("00 00 ff ff")); // the tail compress() took off, between the pieces
            bomb.writeBytes(next);
        }
        byte[] wire = bomb.toByteArray();
        assertTrue(wire.length < 2 << 20, wire.length + " bytes on the wire");

        MessageInflater inflater = new MessageInflater(false, 1024);
        inflater.start();
        for (int off = 0; off < wire.length; off += 65536) inflater.feed(wire, off, Math.min(65536, wire.length - off));
        MessageInflater.Inflated m = inflater.finish();
        assertEquals("inflates to more than 67108864 bytes; wstap stopped inflating it there", m.error());
        assertEquals(MessageInflater.DEFAULT_MAX_INFLATED_BYTES + 1, m.size());
        assertArrayEquals(new byte[1024], m.preview());
        assertEquals("Hello", text(inflate(inflater, "f2 48 cd c9 c9 07 00")), "the next message starts afresh");
    }

    @Test
    void aMessageOfExactlyTheLimitIsInflatedWhole() {
        MessageInflater inflater = new MessageInflater(false, 100, 5);
        MessageInflater.Inflated hello = inflate(inflater, "f2 48 cd c9 c9 07 00"); // "Hello": 5 bytes
        assertEquals("Hello", text(hello));
        assertEquals(5, hello.size());
        MessageInflater.Inflated more = inflate(new MessageInflater(false, 100, 4), "f2 48 cd c9 c9 07 00");
        assertEquals("inflates to more than 4 bytes; wstap stopped inflating it there", more.error());
        assertEquals(5, more.size(), "one byte beyond the limit tells that the message exceeds it");
    }

    /** RFC 7692 §7.2.1: compress, sync flush, drop the 00 00 ff ff tail. */
    static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) out.write(buf, 0, n);
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 4);
    }
}
