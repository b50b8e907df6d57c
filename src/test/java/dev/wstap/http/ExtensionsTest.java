package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionsTest {
    @Test
    void namesLeaveOutParameters() {
        assertEquals(List.of("permessage-deflate", "x-foo"),
                Extensions.names("permessage-deflate; client_max_window_bits=15; server_no_context_takeover, X-Foo"));
    }

    @Test
    void permessageDeflateGivesRsv1() {
        // RFC 7692 §6: the "Per-Message Compressed" bit is RSV1.
        assertEquals(4, Extensions.rsvBits("permessage-deflate; client_max_window_bits"));
    }

    @Test
    void noExtensionsGiveNoBits() {
        assertEquals(0, Extensions.rsvBits(null));
        assertEquals(7, Extensions.rsvBits("x-unknown"), "an agreed extension wstap cannot decode may use any RSV bit");
    }
}
