package dev.wstap.autobahn;

import dev.wstap.deflate.DeflateOffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 12, permessage-deflate with the default offer (RFC 7692): for each of
 * five kinds of content (12.1 JSON, 12.2 a bitmap, 12.3 German prose, 12.4 HTML, 12.5 PDF-like
 * incompressible bytes) the 18 sizes of {@link MessageSize#AUTOBAHN}, from 16-byte messages to
 * 128 KiB ones cut into 256-byte frames. Each message must come back as it was sent; a server that
 * agrees to no compression makes the case UNIMPLEMENTED.
 */
public final class Family12Compression {
    private Family12Compression() {}

    /** Autobahn's client offer in family 12: {@code permessage-deflate; client_no_context_takeover; client_max_window_bits}. */
    static final List<DeflateOffer> DEFAULT_OFFER = List.of(DeflateOffer.asking(false, 0));
    /** Autobahn's server answer in family 12: the offer accepted as it is. */
    static final List<Compression.Acceptance> ACCEPT_AS_OFFERED = List.of(new Compression.Acceptance(false, 0));

    /** The 90 cases, {@code count(size)} messages each. */
    public static List<AutobahnCase> cases(java.util.function.ToIntFunction<MessageSize> count) {
        List<AutobahnCase> out = new ArrayList<>();
        for (CompressionCorpus corpus : CompressionCorpus.values()) {
            for (MessageSize size : MessageSize.AUTOBAHN) {
                Compression c = new Compression(corpus, size, count.applyAsInt(size), DEFAULT_OFFER, ACCEPT_AS_OFFERED);
                out.add(AutobahnCase.compressed("12." + corpus.subcategory() + "." + size.subcase(), corpus.title() + ": " + c.describe(), c));
            }
        }
        return out;
    }
}
