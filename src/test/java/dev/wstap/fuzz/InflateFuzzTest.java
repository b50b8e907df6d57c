package dev.wstap.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wstap.deflate.MessageInflater;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzzes the inflate-for-display path of permessage-deflate ({@link MessageInflater}): a few
 * messages of any bytes, each fed whole to one inflater and in any pieces to another, with or
 * without context takeover, under any preview and inflate limits. For every input:
 *
 * <ul>
 *   <li>nothing is thrown: what cannot be inflated is an error in the result;
 *   <li>the pieces do not matter: the same preview, size and error (for a message that cannot be
 *       inflated, only that it fails: see below);
 *   <li>memory and work are bounded: the preview holds min(size, preview limit) bytes, and inflating
 *       stops one byte past the inflate limit, with an error;
 *   <li>a message never inflates to more than deflate can express: 1032 bytes per compressed byte
 *       (a 258-byte match in two bits), the 4-byte tail included;
 *   <li>without context takeover, whatever came before, the next message starts afresh.
 * </ul>
 */
class InflateFuzzTest {
    /** RFC 7692 §7.2.3.1: "Hello" compressed in one block. */
    private static final byte[] HELLO = HexFormat.of().parseHex("f248cdc9c90700");
    /** RFC 1951 §3.2.5: a match of 258 bytes, the longest, in as little as two bits. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int TAIL_BYTES = 4;
    private static final int[] PREVIEW_LIMITS = {65536, 0, 1, 5, 100};
    private static final long[] INFLATE_LIMITS = {MessageInflater.DEFAULT_MAX_INFLATED_BYTES, 0, 1, 5, 1000, 100_000};

    @FuzzTest
    void anyCompressedMessagesInAnyPieces(FuzzedDataProvider data) {
        boolean isNoContextTakeover = data.consumeBoolean();
        int maxPreview = PREVIEW_LIMITS[data.consumeInt(0, PREVIEW_LIMITS.length - 1)];
        long maxInflated = INFLATE_LIMITS[data.consumeInt(0, INFLATE_LIMITS.length - 1)];
        int[] lengths = new int[data.consumeInt(0, 3)];
        for (int i = 0; i < lengths.length; i++) lengths[i] = data.consumeInt(0, 4095);
        Chunks chunks = Chunks.consume(data);
        byte[] input = data.consumeRemainingAsBytes();

        MessageInflater whole = new MessageInflater(isNoContextTakeover, maxPreview, maxInflated);
        MessageInflater pieces = new MessageInflater(isNoContextTakeover, maxPreview, maxInflated);
        int pos = 0;
        for (int i = 0; i <= lengths.length; i++) {
            int len = i < lengths.length ? Math.min(lengths[i], input.length - pos) : input.length - pos;
            byte[] message = Arrays.copyOfRange(input, pos, pos + len);
            pos += len;

            whole.start();
            whole.feed(message.clone(), 0, len);
            MessageInflater.Inflated expected = whole.finish();
            pieces.start();
            for (Chunks.Chunk c : chunks.cut(message)) {
                pieces.feed(c.bytes(), c.off(), c.len());
                c.scribble();
            }
            MessageInflater.Inflated actual = pieces.finish();
            assertEquals(expected.error() == null, actual.error() == null, "message " + i + " whole (" + expected.error()
                    + ") and in pieces (" + actual.error() + ")");
            if (expected.error() == null || (isCut(expected) && isCut(actual))) {
                assertEquals(expected.error(), actual.error(), "error of message " + i + " fed in pieces");
                assertEquals(expected.size(), actual.size(), "size of message " + i + " fed in pieces");
                assertArrayEquals(expected.preview(), actual.preview(), "preview of message " + i + " fed in pieces");
            } else {
                // Inflater.inflate forgets what it inflated in the call that fails (a JDK limit), so
                // how much of a broken message comes out before its error depends on the pieces, and
                // with it whether the inflate limit or the broken data comes first.
                byte[] shorter = expected.size() < actual.size() ? expected.preview() : actual.preview();
                byte[] longer = expected.size() < actual.size() ? actual.preview() : expected.preview();
                assertArrayEquals(shorter, Arrays.copyOf(longer, shorter.length), "inflated before the error, message " + i);
            }

            for (MessageInflater.Inflated m : List.of(expected, actual)) {
                long size = m.size();
                assertEquals(Math.min(size, maxPreview), m.preview().length, "preview of message " + i);
                assertTrue(size <= maxInflated + 1, "inflating went on past the limit: " + size + " bytes");
                assertEquals(size > maxInflated, isCut(m),
                        "message " + i + " of " + size + " bytes against the limit " + maxInflated + ": " + m.error());
                assertTrue(size <= MAX_DEFLATE_RATIO * (len + TAIL_BYTES), size + " bytes inflated from " + len);
            }
        }
        if (isNoContextTakeover && maxPreview >= 5 && maxInflated >= 5) {
            whole.start();
            whole.feed(HELLO, 0, HELLO.length);
            MessageInflater.Inflated hello = whole.finish();
            assertNull(hello.error(), "a fresh message after the others");
            assertEquals("Hello", new String(hello.preview(), StandardCharsets.UTF_8));
        }
    }

    /** Inflating stopped at the limit. */
    private static boolean isCut(MessageInflater.Inflated m) {
        return m.error() != null && m.error().startsWith("inflates to more than");
    }
}
