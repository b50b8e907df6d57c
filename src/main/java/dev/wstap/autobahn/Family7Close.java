package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.close;
import static dev.wstap.autobahn.AutobahnCase.cont;
import static dev.wstap.autobahn.AutobahnCase.frame;
import static dev.wstap.autobahn.AutobahnCase.hex;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.repeat;
import static dev.wstap.autobahn.AutobahnCase.text;
import static dev.wstap.autobahn.AutobahnCase.utf8;

import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 7, close handling: nothing may follow an endpoint's own close frame
 * (RFC 6455 §5.5.1), a close payload is empty or a two-byte code and a UTF-8 reason (§5.5.1),
 * within the 125 bytes of a control frame (§5.5), and only some codes may be sent (§7.4). Cases
 * marked "variant" are not in Autobahn's lists: 1015 and 1012-1014, and a reason cut inside a
 * character.
 */
public final class Family7Close {
    private Family7Close() {}

    private static final String AFTER_CLOSE = "frame-after-close";
    private static final String INVALID_CODE = "invalid-close-code";
    /** Autobahn's case7_7_X.py list of codes an endpoint may send. */
    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    /** Autobahn's case7_9_X.py list of codes that may not be sent: unused, reserved for local use, or unassigned. */
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
    /** Autobahn's 7.1.6 message: "BAsd7&jh23" repeated to 256 KiB. */
    private static final byte[] LARGE_MESSAGE = utf8("BAsd7&jh23".repeat(26214) + "BAsd");

    public static List<AutobahnCase> cases() {
        List<AutobahnCase> out = new ArrayList<>(List.of(
                of("7.1.1", "message followed by a close frame",
                        text("Hello World!"),
                        close(1000)),
                of("7.1.2", "two close frames",
                        close(1000),
                        frame(0x88, new byte[0])), // FIN close, no payload: odd, but only data frames are forbidden (§5.5.1)
                of("7.1.3", "ping after close",
                        close(1000),
                        frame(0x89, new byte[0])), // FIN ping, empty: control frames may follow a close (§5.5.1)
                of("7.1.4", "text message after close",
                        close(1000),
                        text("Hello World!").flagged(AFTER_CLOSE)),
                of("7.1.5", "message fragment, close, then the final fragment",
                        text(false, "fragment1"),
                        close(1000), // a control frame may come between fragments (RFC 6455 §5.4)
                        cont(true, "fragment2").flagged(AFTER_CLOSE)), // continues the message, but too late
                of("7.1.6", "256 KiB message, small message, close, then ping",
                        text(true, LARGE_MESSAGE),
                        text("Hello World!"),
                        close(1000),
                        frame(0x89, new byte[0])),
                of("7.3.1", "close with payload length 0",
                        close()), // 88 00: no status code, which reads as 1005
                of("7.3.2", "close with payload length 1",
                        frame(0x88, utf8("a")).flagged("close-payload-one-byte")), // half a status code
                of("7.3.3", "close with payload length 2: code 1000",
                        close(1000)), // 88 02 03 e8
                of("7.3.4", "close with code and reason",
                        close(1000, utf8("Hello World!"))),
                of("7.3.5", "close with code and reason of maximum length (123)",
                        close(1000, repeat('*', 123))), // payload 125: the most a control frame may carry
                of("7.3.6", "close with code and reason too long (124), payload 126 octets",
                        close(1000, repeat('*', 124)).flagged("control-frame-too-long")),
                of("7.5.1", "close with invalid UTF-8 reason",
                        close(1000, hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64")) // κόσμε, U+D800, "edited"
                                .flagged("invalid-utf8")),
                of("7.5.1", "variant: close reason ending inside a character",
                        close(1000, hex("ce ba e1")).flagged("invalid-utf8")))); // κ, then the first byte of ό
        for (int i = 0; i < VALID_CODES.length; i++) {
            int code = VALID_CODES[i];
            out.add(of("7.7." + (i + 1), "close with valid code " + code, close(code)));
        }
        for (int code : new int[] {1012, 1013, 1014}) {
            // Registered with IANA after RFC 6455 (Service Restart, Try Again Later, Bad Gateway); Autobahn no longer tests them.
            out.add(of("7.7", "variant: close with registered code " + code, close(code)));
        }
        for (int i = 0; i < INVALID_CODES.length; i++) {
            int code = INVALID_CODES[i];
            out.add(of("7.9." + (i + 1), "close with invalid code " + code, close(code).flagged(INVALID_CODE)));
        }
        // RFC 6455 §7.4.1: 1015 (TLS handshake) is reserved for local use, like 1005 and 1006.
        out.add(of("7.9", "variant: close with invalid code 1015", close(1015).flagged(INVALID_CODE)));
        out.add(of("7.13.1", "close with code 5000", close(5000).flagged(INVALID_CODE)));
        out.add(of("7.13.2", "close with code 65535", close(65535).flagged(INVALID_CODE)));
        return out;
    }
}
