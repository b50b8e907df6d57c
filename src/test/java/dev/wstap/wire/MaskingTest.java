package dev.wstap.wire;

import static dev.wstap.wire.Hex.counting;
import static dev.wstap.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.3: byte i of the payload is XORed with byte (i mod 4) of the key. */
class MaskingTest {
    private static final int KEY = 0x37fa213d;
    private static final byte[] KEY_BYTES = hex("37 fa 21 3d");

    /** The definition, one byte at a time. */
    private static byte[] naive(byte[] src, int off, int len, long payloadPosition) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) (src[off + i] ^ KEY_BYTES[(int) ((payloadPosition + i) % 4)]);
        }
        return out;
    }

    @Test
    void rfcExampleMasksHello() {
        byte[] hello = hex("48 65 6c 6c 6f");
        Masking.apply(hello, KEY);
        assertEquals("7f 9f 4d 51 58", hex(hello)); // RFC 6455 §5.7
    }

    @Test
    void wordAtATimeEqualsByteAtATimeForEveryLengthAndStart() {
        byte[] src = counting(64);
        for (int len = 0; len <= 40; len++) {
            for (int position = 0; position < 8; position++) {
                byte[] dst = new byte[len];
                Masking.apply(src, 3, dst, 0, len, KEY, position);
                assertArrayEquals(naive(src, 3, len, position), dst, "length " + len + ", position " + position);
            }
        }
    }

    @Test
    void unalignedOffsetsInBothArraysGiveTheSameResult() {
        byte[] src = counting(64);
        for (int srcOff = 0; srcOff < 8; srcOff++) {
            for (int dstOff = 0; dstOff < 8; dstOff++) {
                byte[] dst = new byte[64];
                Masking.apply(src, srcOff, dst, dstOff, 37, KEY, 5);
                assertArrayEquals(naive(src, srcOff, 37, 5), Arrays.copyOfRange(dst, dstOff, dstOff + 37),
                        "srcOff " + srcOff + ", dstOff " + dstOff);
            }
        }
    }

    @Test
    void bytesOutsideTheRangeAreNotTouched() {
        byte[] src = counting(40);
        byte[] dst = new byte[40];
        Arrays.fill(dst, (byte) 0x55);
        Masking.apply(src, 4, dst, 4, 27, KEY, 0);
        for (int i = 0; i < 4; i++) assertEquals(0x55, dst[i], "byte " + i);
        for (int i = 31; i < 40; i++) assertEquals(0x55, dst[i], "byte " + i);
    }

    @Test
    void inPlaceEqualsCopying() {
        for (int len = 0; len <= 40; len++) {
            for (int position = 0; position < 8; position++) {
                byte[] inPlace = counting(len);
                Masking.apply(inPlace, 0, inPlace, 0, len, KEY, position);
                assertArrayEquals(naive(counting(len), 0, len, position), inPlace,
                        "length " + len + ", position " + position);
            }
        }
    }

    @Test
    void applyingTwiceGivesTheOriginal() {
        for (int len = 0; len <= 40; len++) {
            for (int position = 0; position < 8; position++) {
                byte[] data = counting(len);
                Masking.apply(data, 0, data, 0, len, KEY, position);
                Masking.apply(data, 0, data, 0, len, KEY, position);
                assertArrayEquals(counting(len), data, "length " + len + ", position " + position);
            }
        }
    }

    @Test
    void maskingInPiecesEqualsMaskingWhole() {
        byte[] whole = counting(100);
        Masking.apply(whole, KEY);
        for (int cut = 0; cut <= 100; cut++) {
            byte[] pieces = counting(100);
            Masking.apply(pieces, 0, pieces, 0, cut, KEY, 0);
            Masking.apply(pieces, cut, pieces, cut, 100 - cut, KEY, cut);
            assertArrayEquals(whole, pieces, "cut at " + cut);
        }
    }

    @Test
    void positionBeyondFourGiBStillAlignsTheKey() {
        byte[] src = counting(13);
        byte[] far = new byte[13];
        Masking.apply(src, 0, far, 0, 13, KEY, (1L << 32) + 6);
        byte[] near = new byte[13];
        Masking.apply(src, 0, near, 0, 13, KEY, 2);
        assertArrayEquals(near, far);
        assertArrayEquals(naive(src, 0, 13, 2), far);
    }

    @Test
    void zeroKeyChangesNothingAndAllOnesKeyInvertsEverything() {
        byte[] data = counting(19);
        Masking.apply(data, 0);
        assertArrayEquals(counting(19), data);
        Masking.apply(data, 0xffffffff);
        for (int i = 0; i < 19; i++) assertEquals((byte) ~i, data[i], "byte " + i);
    }
}
