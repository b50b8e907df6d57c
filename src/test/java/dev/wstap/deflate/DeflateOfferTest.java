package dev.wstap.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** permessage-deflate offers (RFC 7692 §7.1) read, written and answered. */
class DeflateOfferTest {
    @Test
    void offersAreReadInOrderAndWrittenBackAsTheyWere() {
        String header = "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover;"
                + " server_max_window_bits=9, x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=\"10\"";
        List<DeflateOffer> offers = DeflateOffer.parse(header);
        assertEquals(List.of(new DeflateOffer(true, true, 15, true, 9), new DeflateOffer(false, true, 10, false, 0)), offers);
        assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover;"
                + " server_max_window_bits=9, permessage-deflate; client_max_window_bits=10", DeflateOffer.header(offers));
        assertEquals(List.of(), DeflateOffer.parse(null));
        assertEquals(List.of(new DeflateOffer(false, false, 15, false, 0)), DeflateOffer.parse("permessage-deflate; server_max_window_bits=99"),
                "a window outside 8-15 is no window asked for");
    }

    @Test
    void anAnswerGrantsWhatTheClientAskedAndAsksOnlyWhatTheOfferAllows() {
        DeflateOffer asking = DeflateOffer.asking(true, 9);
        assertEquals("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
                asking.header());
        assertEquals(new DeflateParameters(true, true, 9, 10), asking.accept(true, 10));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=10",
                asking.accept(true, 10).header());
        DeflateOffer plain = DeflateOffer.parse("permessage-deflate").get(0);
        assertNull(plain.accept(true, 0), "as Autobahn's fuzzingserver: no client_no_context_takeover offered, none asked");
        assertNull(plain.accept(false, 9), "no client_max_window_bits offered: no window may be asked (RFC 7692 §7.1.2.2)");
        assertEquals(new DeflateParameters(false, false, 15, 15), plain.accept(false, 0));
        assertEquals("permessage-deflate", plain.accept(false, 0).header());
    }

    @Test
    void aServersAnswerIsCheckedAgainstTheOffersAsRfc7692SaysAClientMust() {
        List<DeflateOffer> asking = List.of(DeflateOffer.asking(true, 9));
        assertNull(DeflateOffer.mismatchedAnswer(asking, "permessage-deflate; server_no_context_takeover; server_max_window_bits=9"));
        assertNull(DeflateOffer.mismatchedAnswer(asking, "permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits=10"));
        assertNull(DeflateOffer.malformedAnswer(null), "no compression agreed: nothing to check");
        assertNull(DeflateOffer.malformedAnswer("x-other"), "no permessage-deflate in the answer");
        assertEquals("it accepts none of the offers as offered (asked for server_no_context_takeover or server_max_window_bits it does "
                + "not grant, or client_max_window_bits the client did not offer; §7.1.1.1, §7.1.2)",
                DeflateOffer.mismatchedAnswer(asking, "permessage-deflate; server_max_window_bits=9"), "server_no_context_takeover dropped");
        assertEquals("server_max_window_bits=16 is not 8-15 (§7.1.2)",
                DeflateOffer.malformedAnswer("permessage-deflate; server_no_context_takeover; server_max_window_bits=16"));
        assertEquals("client_max_window_bits has no value (§7.1.2)",
                DeflateOffer.malformedAnswer("permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits"));
        assertEquals("it gives server_no_context_takeover twice (§7.1)",
                DeflateOffer.malformedAnswer("permessage-deflate; server_no_context_takeover; server_no_context_takeover; server_max_window_bits=9"));
        assertEquals("it has a parameter RFC 7692 does not define: mystery (§7.1)",
                DeflateOffer.malformedAnswer("permessage-deflate; mystery; server_no_context_takeover; server_max_window_bits=9"));
        assertEquals("it answers permessage-deflate 2 times", DeflateOffer.malformedAnswer("permessage-deflate, permessage-deflate"));
        assertEquals("it accepts none of the offers as offered (asked for server_no_context_takeover or server_max_window_bits it does "
                + "not grant, or client_max_window_bits the client did not offer; §7.1.1.1, §7.1.2)",
                DeflateOffer.mismatchedAnswer(DeflateOffer.parse("permessage-deflate"), "permessage-deflate; client_max_window_bits=10"),
                "a window asked of a client that did not offer client_max_window_bits");
    }
}
