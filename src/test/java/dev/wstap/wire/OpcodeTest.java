package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6455 §5.2 and §11.8: the sixteen opcodes, reserved ones included. */
class OpcodeTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "0,  cont,          false, false",
            "1,  text,          false, false",
            "2,  binary,        false, false",
            "3,  reserved-0x3,  false, true",
            "4,  reserved-0x4,  false, true",
            "5,  reserved-0x5,  false, true",
            "6,  reserved-0x6,  false, true",
            "7,  reserved-0x7,  false, true",
            "8,  close,         true,  false",
            "9,  ping,          true,  false",
            "10, pong,          true,  false",
            "11, reserved-0xb,  true,  true",
            "12, reserved-0xc,  true,  true",
            "13, reserved-0xd,  true,  true",
            "14, reserved-0xe,  true,  true",
            "15, reserved-0xf,  true,  true",
    })
    void opcodeHasItsNameAndKind(int opcode, String name, boolean isControl, boolean isReserved) {
        assertEquals(name, Opcode.name(opcode));
        assertEquals(isControl, Opcode.isControl(opcode));
        assertEquals(isReserved, Opcode.isReserved(opcode));
        assertEquals(opcode, Opcode.parse(name)); // what name prints, parse reads
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "continuation | 0",
            "CONT         | 0",
            "' Text '     | 1",
            "Binary       | 2",
            "PING         | 9",
            "pong         | 10",
            "Close        | 8",
            "0            | 0",
            "15           | 15",
            "0x0          | 0",
            "0xA          | 10",
            "0XF          | 15",
            "reserved-0x3 | 3",
            "reserved-11  | 11",
    })
    void parseReadsNamesAndNumbers(String text, int opcode) {
        assertEquals(opcode, Opcode.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "16    | opcode 16 is outside 0-15 (RFC 6455 §5.2 gives it four bits)",
            "0x10  | opcode 16 is outside 0-15 (RFC 6455 §5.2 gives it four bits)",
            "-1    | opcode -1 is outside 0-15 (RFC 6455 §5.2 gives it four bits)",
            "texts | unknown opcode 'texts' (use a name such as text or ping, or a number 0-15)",
            "0x    | unknown opcode '0x' (use a name such as text or ping, or a number 0-15)",
            "''    | unknown opcode '' (use a name such as text or ping, or a number 0-15)",
    })
    void parseRejectsWhatIsNoOpcode(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Opcode.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void constantsHoldTheWireValues() {
        assertEquals(0x0, Opcode.CONTINUATION);
        assertEquals(0x1, Opcode.TEXT);
        assertEquals(0x2, Opcode.BINARY);
        assertEquals(0x8, Opcode.CLOSE);
        assertEquals(0x9, Opcode.PING);
        assertEquals(0xA, Opcode.PONG);
    }
}
