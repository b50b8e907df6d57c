package dev.wstap.wire;

import static dev.wstap.wire.Hex.concat;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** UTF-8 as RFC 3629 and Unicode table 3-7 define it, fed whole, in pieces and byte by byte. */
class Utf8ValidatorTest {

    /** Feeds {@code bytes} in two pieces cut at {@code split}. */
    private static Utf8Validator fedSplit(byte[] bytes, int split) {
        Utf8Validator v = new Utf8Validator();
        v.feed(bytes, 0, split);
        v.feed(bytes, split, bytes.length - split);
        return v;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "empty                     | ''",
            "U+0000                    | 00",
            "U+007F                    | 7f",
            "ASCII over eight bytes    | 48 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21",
            "U+0080                    | c2 80",
            "U+00E9 é                  | c3 a9",
            "U+07FF                    | df bf",
            "U+0800                    | e0 a0 80",
            "U+20AC €                  | e2 82 ac",
            "U+D7FF, below surrogates  | ed 9f bf",
            "U+E000, above surrogates  | ee 80 80",
            "U+FFFD replacement        | ef bf bd",
            "U+FFFE noncharacter       | ef bf be",
            "U+FFFF                    | ef bf bf",
            "U+10000                   | f0 90 80 80",
            "U+1D11E 𝄞                 | f0 9d 84 9e",
            "U+1F600 😀                | f0 9f 98 80",
            "U+10FFFF, the last        | f4 8f bf bf",
            "κόσμε                     | ce ba e1 bd b9 cf 83 ce bc ce b5",
            "ASCII then é after 8      | 61 62 63 64 65 66 67 68 69 c3 a9 6a",
            "é then ASCII run          | c3 a9 61 62 63 64 65 66 67 68 69 6a 6b",
    })
    void validSequenceIsAccepted(String what, String bytesHex) {
        byte[] bytes = hex(bytesHex);
        assertTrue(Utf8Validator.isValidUtf8(bytes, 0, bytes.length));
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Validator v = fedSplit(bytes, split);
            assertTrue(v.isValid(), "split at " + split);
            assertTrue(v.isComplete(), "split at " + split);
            assertEquals(-1, v.errorPosition(), "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "lone continuation 80          | 80                         | 0",
            "lone continuation bf          | bf                         | 0",
            "continuation after ASCII      | 41 42 80                   | 2",
            "overlong NUL c0 80            | c0 80                      | 0",
            "overlong c1 bf                | c1 bf                      | 0",
            "lead without continuation     | c2 41                      | 1",
            "two leads                     | c3 c3 a9                   | 1",
            "overlong 3-byte e0 80 80      | e0 80 80                   | 1",
            "overlong 3-byte e0 9f bf      | e0 9f bf                   | 1",
            "surrogate U+D800              | ed a0 80                   | 1",
            "surrogate U+DFFF              | ed bf bf                   | 1",
            "3-byte cut by ASCII           | e2 82 41                   | 2",
            "overlong 4-byte f0 80 80 80   | f0 80 80 80                | 1",
            "overlong 4-byte f0 8f bf bf   | f0 8f bf bf                | 1",
            "U+110000                      | f4 90 80 80                | 1",
            "U+13FFFF                      | f4 bf bf bf                | 1",
            "lead f5                       | f5 80 80 80                | 0",
            "lead f7                       | f7 bf bf bf                | 0",
            "5-byte lead f8                | f8 88 80 80 80             | 0",
            "6-byte lead fc                | fc 84 80 80 80 80          | 0",
            "byte fe                       | fe                         | 0",
            "byte ff                       | ff                         | 0",
            "4-byte cut by lead            | f0 9f 98 f0 9f 98 80       | 3",
            "bad byte after 9 ASCII        | 61 62 63 64 65 66 67 68 69 ff | 9",
            "bad byte after 16 ASCII       | 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 80 | 16",
            "bad after valid é             | c3 a9 c3 28                | 3",
    })
    void invalidSequenceIsRejectedAtItsFirstBadByte(String what, String bytesHex, long errorPosition) {
        byte[] bytes = hex(bytesHex);
        assertFalse(Utf8Validator.isValidUtf8(bytes, 0, bytes.length));
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Validator v = fedSplit(bytes, split);
            assertFalse(v.isValid(), "split at " + split);
            assertFalse(v.isComplete(), "split at " + split);
            assertEquals(errorPosition, v.errorPosition(), "split at " + split);
        }
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < bytes.length; i++) v.feed(bytes, i, 1);
        assertEquals(errorPosition, v.errorPosition(), "one byte at a time");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "first of two     | c3",
            "first of three   | e2",
            "two of three     | e2 82",
            "one of four      | f0",
            "three of four    | f0 9f 98",
            "text, then cut   | 48 69 20 f4 8f bf",
    })
    void truncatedSequenceIsValidButNotComplete(String what, String bytesHex) {
        byte[] bytes = hex(bytesHex);
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.feed(bytes, 0, bytes.length));
        assertTrue(v.isValid()); // more bytes may still finish it
        assertFalse(v.isComplete()); // but a message may not end here
        assertEquals(-1, v.errorPosition());
        assertFalse(Utf8Validator.isValidUtf8(bytes, 0, bytes.length));
    }

    @Test
    void feedReturnsWhetherEverythingSoFarIsValid() {
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.feed(hex("48 c3"), 0, 2)); // "H", lead byte of é
        assertTrue(v.feed(hex("a9 21"), 0, 2)); // rest of é, "!"
        assertTrue(v.isComplete());
        assertFalse(v.feed(hex("41 ff 42"), 0, 3)); // "A", ff, "B"
        assertEquals(5, v.errorPosition());
        assertFalse(v.feed(hex("43"), 0, 1)); // once invalid, always invalid
        assertEquals(5, v.errorPosition()); // the first error is kept
        assertFalse(v.isValid());
    }

    @Test
    void errorPositionCountsFromTheStartOfTheMessageNotTheChunk() {
        byte[] buffer = hex("00 00 00 61 62 63 00 00"); // a chunk in the middle of a larger buffer
        Utf8Validator v = new Utf8Validator();
        v.feed(buffer, 3, 3); // "abc"
        v.feed(hex("ff ff e2 82 ff"), 2, 3); // e2 82, then ff where the third byte belongs
        assertEquals(5, v.errorPosition());
    }

    @Test
    void resetStartsANewMessage() {
        Utf8Validator v = new Utf8Validator();
        v.feed(hex("e2 82"), 0, 2);
        v.reset();
        assertTrue(v.isComplete()); // the cut sequence is forgotten
        v.feed(hex("ff"), 0, 1);
        assertEquals(0, v.errorPosition());
        v.reset();
        assertTrue(v.isValid());
        assertEquals(-1, v.errorPosition());
        assertFalse(v.feed(hex("ac"), 0, 1)); // a continuation byte cannot start a message
        assertEquals(0, v.errorPosition());
    }

    @Test
    void isValidUtf8ChecksOnlyTheGivenRange() {
        byte[] bytes = hex("ff c3 a9 41 ff");
        assertTrue(Utf8Validator.isValidUtf8(bytes, 1, 3)); // é A
        assertFalse(Utf8Validator.isValidUtf8(bytes, 1, 4));
        assertFalse(Utf8Validator.isValidUtf8(bytes, 0, 3));
        assertTrue(Utf8Validator.isValidUtf8(bytes, 2, 0)); // empty
        assertFalse(Utf8Validator.isValidUtf8(bytes, 1, 1)); // c3 alone is cut short
    }

    @Test
    void everyTwoByteSequenceAgreesWithTheJdkDecoder() {
        byte[] pair = new byte[2];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                pair[0] = (byte) a;
                pair[1] = (byte) b;
                assertEquals(jdkAccepts(pair), Utf8Validator.isValidUtf8(pair, 0, 2), () -> hex(pair));
            }
        }
    }

    @Test
    void everyThreeByteSequenceFromE0ToEFAgreesWithTheJdkDecoder() {
        // The interesting leads (overlongs at e0, surrogates at ed) with every pair of following bytes.
        byte[] triple = new byte[3];
        for (int a : new int[] {0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef}) {
            for (int b = 0x70; b < 0xd0; b++) {
                for (int c = 0x70; c < 0xd0; c++) {
                    triple[0] = (byte) a;
                    triple[1] = (byte) b;
                    triple[2] = (byte) c;
                    assertEquals(jdkAccepts(triple), Utf8Validator.isValidUtf8(triple, 0, 3), () -> hex(triple));
                }
            }
        }
    }

    @Test
    void randomSequencesAgreeWithTheJdkDecoder() {
        // Bytes drawn mostly from around the edges of the valid ranges, so that most inputs are
        // near misses; fixed seed, so a failure repeats.
        int[] alphabet = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
                0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf8, 0xff};
        Random random = new Random(6455);
        for (int n = 0; n < 50_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) alphabet[random.nextInt(alphabet.length)];
            assertEquals(jdkAccepts(bytes), Utf8Validator.isValidUtf8(bytes, 0, bytes.length), () -> hex(bytes));
        }
    }

    @Test
    void longValidTextInOddChunksIsValid() {
        byte[] text = "Grüße, κόσμε, 😀 and plain ASCII to fill eight-byte words. ".repeat(200)
                .getBytes(StandardCharsets.UTF_8);
        Utf8Validator v = new Utf8Validator();
        for (int off = 0; off < text.length; off += 13) v.feed(text, off, Math.min(13, text.length - off));
        assertTrue(v.isComplete());
        byte[] broken = concat(text, hex("ed a0 80"), text); // a surrogate in the middle
        Utf8Validator w = new Utf8Validator();
        for (int off = 0; off < broken.length; off += 13) w.feed(broken, off, Math.min(13, broken.length - off));
        assertEquals(text.length + 1, w.errorPosition());
    }

    /** The JDK's own strict UTF-8 decoder, the reference. Tests run one at a time, so one is enough. */
    private static final CharsetDecoder JDK_DECODER = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private static boolean jdkAccepts(byte[] bytes) {
        JDK_DECODER.reset();
        CharBuffer out = CharBuffer.allocate(2 * bytes.length);
        // endOfInput true: a sequence cut short at the end is malformed too.
        return !JDK_DECODER.decode(ByteBuffer.wrap(bytes), out, true).isError()
                && !JDK_DECODER.flush(out).isError();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "'', 0", "61, 1", "61 c3, 1", "61 c3 a9, 3", "e2 82, 0", "e2 82 ac, 3", "f0 9d 84, 0", "f0 9d 84 9e, 4", "61 80, 2"})
    void withoutCutSequenceDropsOnlyAnUnfinishedCharacter(String hexBytes, int expected) {
        byte[] b = Hex.hex(hexBytes);
        assertEquals(expected, Utf8Validator.withoutCutSequence(b, b.length));
    }
}
