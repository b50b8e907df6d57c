package dev.wstap.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The hex view, line for line as hexdump -C prints the same bytes. */
class HexDumpTest {
    private static List<String> dump(byte[] bytes) {
        return HexDump.lines(bytes, "").stream().map(AttributedString::toString).toList();
    }

    @Test
    void repeatedLinesAreOneStarAndTheLengthEndsARunAtTheEnd() {
        byte[] bytes = new byte[80]; // five lines of zeros
        bytes[0] = 'A';
        assertEquals(List.of(
                "00000000  41 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00 |A...............|",
                "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00 |................|",
                "*",
                "00000050"), dump(bytes));
    }

    @Test
    void aRunInTheMiddleIsOneStarAndAShortLastLineIsPrinted() {
        byte[] bytes = new byte[16 * 4 + 3];
        for (int i = 48; i < bytes.length; i++) bytes[i] = (byte) ('a' + i - 48);
        assertEquals(List.of(
                "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00 |................|",
                "*",
                "00000030  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70 |abcdefghijklmnop|",
                "00000040  71 72 73                                         |qrs|"), dump(bytes));
    }
}
