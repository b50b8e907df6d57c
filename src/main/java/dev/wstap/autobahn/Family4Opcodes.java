package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.frame;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.text;
import static dev.wstap.autobahn.AutobahnCase.utf8;

import java.util.List;

/**
 * Autobahn|Testsuite family 4, opcodes: the reserved non-control opcodes 0x3-0x7 (4.1.x) and
 * control opcodes 0xB-0xF (4.2.x) have no meaning (RFC 6455 §5.2), alone, with a payload, and
 * between a valid text message and a valid ping. Only the reserved frame is flagged.
 */
public final class Family4Opcodes {
    private Family4Opcodes() {}

    private static final String RESERVED = "reserved-opcode";
    private static final byte[] PAYLOAD = utf8("reserved opcode payload");
    private static final byte[] HELLO = utf8("Hello, world!");
    private static final byte[] EMPTY = new byte[0];

    public static List<AutobahnCase> cases() {
        return List.of(
                of("4.1.1", "frame with reserved non-control opcode 3",
                        frame(0x83, EMPTY).flagged(RESERVED)), // FIN, opcode 0x3, empty
                of("4.1.2", "frame with reserved non-control opcode 4 and non-empty payload",
                        frame(0x84, PAYLOAD).flagged(RESERVED)), // FIN, opcode 0x4
                of("4.1.3", "small text message, then frame with reserved non-control opcode 5, then ping",
                        text("Hello, world!"),
                        frame(0x85, EMPTY).flagged(RESERVED), // FIN, opcode 0x5, empty
                        frame(0x89, EMPTY)), // FIN ping, empty
                of("4.1.4", "small text message, then reserved non-control opcode 6 with payload, then ping",
                        text("Hello, world!"),
                        frame(0x86, HELLO).flagged(RESERVED), // FIN, opcode 0x6
                        frame(0x89, EMPTY)),
                of("4.1.5", "small text message, then reserved non-control opcode 7 with payload, then ping",
                        text("Hello, world!"),
                        frame(0x87, HELLO).flagged(RESERVED), // FIN, opcode 0x7
                        frame(0x89, EMPTY)),
                of("4.2.1", "frame with reserved control opcode 11",
                        frame(0x8b, EMPTY).flagged(RESERVED)), // FIN, opcode 0xb, empty
                of("4.2.2", "frame with reserved control opcode 12 and non-empty payload",
                        frame(0x8c, PAYLOAD).flagged(RESERVED)), // FIN, opcode 0xc
                of("4.2.3", "small text message, then frame with reserved control opcode 13, then ping",
                        text("Hello, world!"),
                        frame(0x8d, EMPTY).flagged(RESERVED), // FIN, opcode 0xd, empty
                        frame(0x89, EMPTY)),
                of("4.2.4", "small text message, then reserved control opcode 14 with payload, then ping",
                        text("Hello, world!"),
                        frame(0x8e, HELLO).flagged(RESERVED), // FIN, opcode 0xe
                        frame(0x89, EMPTY)),
                of("4.2.5", "small text message, then reserved control opcode 15 with payload, then ping",
                        text("Hello, world!"),
                        frame(0x8f, HELLO).flagged(RESERVED), // FIN, opcode 0xf
                        frame(0x89, EMPTY)));
    }
}
