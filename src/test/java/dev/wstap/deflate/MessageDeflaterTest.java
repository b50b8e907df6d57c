package dev.wstap.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compressor of injected messages and of the test peers: RFC 7692's examples, context takeover, and windows below 15 bits. */
class MessageDeflaterTest {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void rfc7692_7_2_3_1_and_7_2_3_2() {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        assertEquals("f248cdc9c90700", hex(deflater.compress(HELLO)));
        assertEquals("f200110000", hex(deflater.compress(HELLO)), "the second refers back into the first");
    }

    @Test
    void withoutContextTakeoverEveryMessageStartsAfresh() {
        MessageDeflater deflater = new MessageDeflater(true, 15);
        assertEquals("f248cdc9c90700", hex(deflater.compress(HELLO)));
        assertEquals("f248cdc9c90700", hex(deflater.compress(HELLO)));
    }

    @Test
    void anEmptyMessageIsALoneEmptyStoredBlock() {
        assertEquals("00", hex(new MessageDeflater(false, 15).compress(new byte[0])));
        assertEquals("00", hex(new MessageDeflater(true, 9).compress(new byte[0])));
    }

    /**
     * A message made of a random block of half the window twice: the second half can only shrink
     * by a match one half-window back, which the dictionary primed from the chunk before makes
     * possible; a full 2^w window holds it. Every message must inflate as the proxy inflates it.
     */
    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void matchesReachBackWithinTheWindowOnly(int windowBits) throws DataFormatException {
        byte[] half = new byte[1 << (windowBits - 1)];
        new SplittableRandom(windowBits).nextBytes(half);
        byte[] twice = new byte[2 * half.length];
        System.arraycopy(half, 0, twice, 0, half.length);
        System.arraycopy(half, 0, twice, half.length, half.length);
        MessageDeflater takeover = new MessageDeflater(false, windowBits);
        byte[] first = takeover.compress(twice);
        assertTrue(first.length < half.length + half.length / 4, "the repeat became matches: " + first.length + " bytes");
        byte[] second = takeover.compress(half);
        assertTrue(second.length < half.length / 8, "context takeover: " + second.length + " bytes");
        byte[] fresh = new MessageDeflater(true, windowBits).compress(half);
        assertTrue(fresh.length >= half.length, "no context takeover: random bytes stay as long: " + fresh.length);

        Inflater inflater = new Inflater(true);
        assertArrayEquals(twice, inflate(inflater, first));
        assertArrayEquals(half, inflate(inflater, second));
    }

    private static byte[] inflate(Inflater inflater, byte[] compressed) throws DataFormatException {
        // RFC 7692 §7.2.2: the receiver puts back the tail the sender removed.
        byte[] withTail = dev.wstap.testing.Bytes.concat(compressed, new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        inflater.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inflater.inflate(buf)) > 0 || !inflater.needsInput()) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
