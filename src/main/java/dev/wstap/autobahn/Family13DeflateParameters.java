package dev.wstap.autobahn;

import dev.wstap.deflate.DeflateOffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 13, permessage-deflate with negotiated parameters (RFC 7692 §7.1):
 * the JSON corpus at the 18 sizes of {@link MessageSize#AUTOBAHN}, under seven negotiations. The
 * client offers what Autobahn's client offers, asking the server for no context takeover and a
 * window of 9 or 15 bits; a server under test answers as it will, and wstap then compresses and
 * inflates as agreed. When wstap is the server ({@code --serve}), it asks the client what
 * Autobahn's fuzzingserver asks: 13.1 nothing, 13.2 no context takeover, 13.3 a 9-bit window,
 * 13.4 a 15-bit one, 13.5 and 13.6 both, 13.7 the first of three answers that fits the client's
 * offers.
 */
public final class Family13DeflateParameters {
    private Family13DeflateParameters() {}

    /** One negotiation: what the client offers, what the server asks of the client. */
    private record Negotiation(List<DeflateOffer> offers, List<Compression.Acceptance> accepts) {
        String describe() {
            return "client offers " + String.join(" or ", offers.stream().map(o -> "(" + (o.isServerNoContextTakeover() ? "no context takeover" : "context takeover")
                    + ", " + (o.serverMaxWindowBits() == 0 ? "any window" : "window " + o.serverMaxWindowBits() + " bits") + ")").toList())
                    + " / server accepts " + String.join(" or ", accepts.stream().map(Compression.Acceptance::toString).toList());
        }
    }

    private static Compression.Acceptance accept(boolean isNoContextTakeover, int windowBits) {
        return new Compression.Acceptance(isNoContextTakeover, windowBits);
    }

    private static final List<Negotiation> NEGOTIATIONS = List.of(
            new Negotiation(List.of(DeflateOffer.asking(false, 0)), List.of(accept(false, 0))),
            new Negotiation(List.of(DeflateOffer.asking(true, 0)), List.of(accept(true, 0))),
            new Negotiation(List.of(DeflateOffer.asking(false, 9)), List.of(accept(false, 9))),
            new Negotiation(List.of(DeflateOffer.asking(false, 15)), List.of(accept(false, 15))),
            new Negotiation(List.of(DeflateOffer.asking(true, 9)), List.of(accept(true, 9))),
            new Negotiation(List.of(DeflateOffer.asking(true, 15)), List.of(accept(true, 15))),
            new Negotiation(List.of(DeflateOffer.asking(true, 9), DeflateOffer.asking(true, 0), DeflateOffer.asking(false, 0)),
                    List.of(accept(true, 9), accept(true, 0), accept(false, 0))));

    /** The 126 cases, {@code count(size)} messages each. */
    public static List<AutobahnCase> cases(java.util.function.ToIntFunction<MessageSize> count) {
        List<AutobahnCase> out = new ArrayList<>();
        for (int n = 0; n < NEGOTIATIONS.size(); n++) {
            Negotiation negotiation = NEGOTIATIONS.get(n);
            for (MessageSize size : MessageSize.AUTOBAHN) {
                Compression c = new Compression(CompressionCorpus.JSON, size, count.applyAsInt(size), negotiation.offers(), negotiation.accepts());
                out.add(AutobahnCase.compressed("13." + (n + 1) + "." + size.subcase(), c.describe() + "; " + negotiation.describe(), c));
            }
        }
        return out;
    }
}
