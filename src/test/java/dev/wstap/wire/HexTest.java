package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The test helper itself: a wrong vector would make every test that uses it wrong. */
class HexTest {

    @Test
    void spacesAndNewlinesAreIgnored() {
        assertArrayEquals(new byte[] {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, Hex.hex("81 05 48 65\n6c 6c6f"));
        assertArrayEquals(new byte[0], Hex.hex(""));
    }

    @Test
    void bytesAreWrittenBackWithSpaces() {
        assertEquals("81 05 ff 00", Hex.hex(Hex.hex("8105FF00")));
    }

    @Test
    void oddDigitCountIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.hex("81 0"));
        assertEquals("odd number of hex digits in '81 0'", e.getMessage());
    }

    @Test
    void concatAndCountingBuildVectors() {
        assertEquals("01 02 03", Hex.hex(Hex.concat(Hex.hex("01"), new byte[0], Hex.hex("02 03"))));
        assertEquals("00 01 02", Hex.hex(Hex.counting(3)));
        assertEquals((byte) 0x00, Hex.counting(257)[256]);
    }
}
