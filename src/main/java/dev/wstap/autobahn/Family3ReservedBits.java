package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.frame;
import static dev.wstap.autobahn.AutobahnCase.hex;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.text;
import static dev.wstap.autobahn.AutobahnCase.utf8;

import java.util.List;

/**
 * Autobahn|Testsuite family 3, reserved bits: RSV1-3 MUST be 0 unless an extension defines them
 * (RFC 6455 §5.2), and the upstream's 101 here agrees no extension. Autobahn's "RSV = n" is the
 * three bits read as a number, RSV1 = 4, as wstap's log writes it; the first byte of each frame is
 * spelled out. Only the frame with the bits set is flagged; the frames around it are fine.
 */
public final class Family3ReservedBits {
    private Family3ReservedBits() {}

    private static final String RSV = "rsv-without-extension";
    private static final byte[] HELLO = utf8("Hello, world!");

    public static List<AutobahnCase> cases() {
        return List.of(
                of("3.1", "small text message with RSV = 1",
                        frame(0x91, HELLO).flagged(RSV)), // FIN, RSV3, text
                of("3.2", "small text message, then again with RSV = 2, then ping",
                        text("Hello, world!"),
                        frame(0xa1, HELLO).flagged(RSV), // FIN, RSV2, text
                        frame(0x89, new byte[0])), // FIN ping, empty
                of("3.3", "small text message, then again with RSV = 3, then ping, in frame-wise chops",
                        text("Hello, world!"),
                        frame(0xb1, HELLO).flagged(RSV), // FIN, RSV2+RSV3, text
                        frame(0x89, new byte[0])).frameWise(),
                of("3.4", "small text message, then again with RSV = 4, then ping, in octet-wise chops",
                        text("Hello, world!"),
                        frame(0xc1, HELLO).flagged(RSV), // FIN, RSV1, text
                        frame(0x89, new byte[0])).octetWise(),
                of("3.5", "small binary message with RSV = 5",
                        frame(0xd2, hex("00 ff fe fd fc fb 00 ff")).flagged(RSV)), // FIN, RSV1+RSV3, binary
                // Autobahn's description says ping; its case3_6.py sends opcode 2. The ping is the case meant.
                of("3.6", "ping with RSV = 6",
                        frame(0xe9, HELLO).flagged(RSV)), // FIN, RSV1+RSV2, ping
                of("3.7", "close with RSV = 7",
                        frame(0xf8, new byte[0]).flagged(RSV))); // FIN, RSV1+RSV2+RSV3, close, no payload
    }
}
