package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.binary;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.repeat;
import static dev.wstap.autobahn.AutobahnCase.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 1, framing: text (1.1.x) and binary (1.2.x) messages whose payload
 * lengths sit on each side of the 7-bit, 16-bit and 64-bit length forms (RFC 6455 §5.2), and one
 * sent in chops of 997 bytes. All are valid: each must cross byte for byte with no violation.
 */
public final class Family1Framing {
    private Family1Framing() {}

    /** Lengths 0-125 fit the 7-bit field; 126-65535 take marker 126 and 16 bits; 65536 and up 127 and 64 bits. */
    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};
    private static final int AUTOBAHN_CHOP_BYTES = 997;

    public static List<AutobahnCase> cases() {
        List<AutobahnCase> out = new ArrayList<>();
        // 1.1.x: "*" * n as text, as Autobahn sends it; 1.2.x: 0xfe * n as binary.
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i];
            out.add(of("1.1." + (i + 1), "text message, payload length " + n, text(true, repeat('*', n))));
        }
        out.add(of("1.1.8", "text message, payload length 65536, sent in chops of 997 octets",
                text(true, repeat('*', 65536))).inChopsOf(AUTOBAHN_CHOP_BYTES));
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i];
            out.add(of("1.2." + (i + 1), "binary message, payload length " + n, binary(true, repeat(0xfe, n))));
        }
        out.add(of("1.2.8", "binary message, payload length 65536, sent in chops of 997 octets",
                binary(true, repeat(0xfe, 65536))).inChopsOf(AUTOBAHN_CHOP_BYTES));
        return out;
    }
}
