package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.frame;
import static dev.wstap.autobahn.AutobahnCase.hex;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.ping;
import static dev.wstap.autobahn.AutobahnCase.pong;
import static dev.wstap.autobahn.AutobahnCase.repeat;

import dev.wstap.autobahn.AutobahnCase.Frame;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Autobahn|Testsuite family 2, pings and pongs (RFC 6455 §5.5.2, §5.5.3): pings with and without
 * payload, text and binary, up to the 125-byte limit of control frames and one byte over it
 * (RFC 6455 §5.5), unsolicited pongs, and pings sent octet by octet. The answering endpoint pongs
 * each valid ping with its payload. Pings between the fragments of a message are cases 5.6-5.8,
 * 5.19 and 5.20, in {@link Family5FragmentationTest}.
 */
public final class Family2PingPong {
    private Family2PingPong() {}

    /** Autobahn's small binary payload: {@code 00 ff fe fd fc fb 00 ff}, not valid UTF-8. */
    private static final byte[] BINARY_PAYLOAD = hex("00 ff fe fd fc fb 00 ff");

    public static List<AutobahnCase> cases() {
        return List.of(
                of("2.1", "ping without payload",
                        frame(0x89, new byte[0])), // FIN ping, length 0
                of("2.2", "ping with small text payload",
                        ping("Hello, world!")),
                of("2.3", "ping with small binary (non UTF-8) payload",
                        ping(BINARY_PAYLOAD)),
                of("2.4", "ping with binary payload of 125 octets",
                        ping(repeat(0xfe, 125))), // FIN ping, 7-bit length 125: the largest control payload
                of("2.5", "ping with binary payload of 126 octets",
                        ping(repeat(0xfe, 126)).flagged("control-frame-too-long")), // FIN ping, 16-bit length 126
                of("2.6", "ping with binary payload of 125 octets, sent in octet-wise chops",
                        ping(repeat(0xfe, 125))).octetWise(),
                of("2.7", "unsolicited pong without payload",
                        frame(0x8a, new byte[0])), // FIN pong, length 0
                of("2.8", "unsolicited pong with payload",
                        pong("unsolicited pong payload")),
                of("2.9", "unsolicited pong with payload, then ping with payload",
                        pong("unsolicited pong payload"),
                        ping("ping payload")),
                of("2.10", "10 pings with payload", tenPings()),
                of("2.11", "10 pings with payload, sent in octet-wise chops", tenPings()).octetWise());
    }

    private static List<Frame> tenPings() {
        return IntStream.range(0, 10).mapToObj(i -> ping("payload-" + i)).toList();
    }
}
