package dev.wstap.autobahn;

import dev.wstap.deflate.DeflateOffer;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.wire.Opcode;
import java.util.List;

/**
 * What a case of Autobahn's families 12 and 13 sends, and how it negotiates permessage-deflate
 * (RFC 7692): {@code count} messages of the corpus, each once the echo of the one before came back,
 * compressed as agreed and, when {@link MessageSize#fragmentBytes} is set, their compressed payload
 * cut into frames of that many bytes (Autobahn's {@code autoFragmentSize}).
 *
 * @param offers  what the client offers, most preferred first (Autobahn's {@code CLIENT_OFFERS})
 * @param accepts what the server asks of the client, in its order of preference (Autobahn's
 *                {@code SERVER_ACCEPT}): each is tried on every offer before the next
 */
public record Compression(CompressionCorpus corpus, MessageSize size, int count, List<DeflateOffer> offers, List<Acceptance> accepts) {
    /**
     * One answer a server is willing to give: asking the client for
     * {@code client_no_context_takeover}, and for {@code client_max_window_bits} when {@code clientWindowBits} is not 0.
     */
    public record Acceptance(boolean isClientNoContextTakeover, int clientWindowBits) {
        @Override
        public String toString() {
            return "(" + (isClientNoContextTakeover ? "no context takeover" : "context takeover") + ", "
                    + (clientWindowBits == 0 ? "any window" : "window " + clientWindowBits + " bits") + ")";
        }
    }

    /** The client's {@code Sec-WebSocket-Extensions}. */
    public String offerHeader() {
        return DeflateOffer.header(offers);
    }

    /**
     * What the server agrees to for a client that offers {@code offered}, as Autobahn's
     * fuzzingserver does; null when no acceptance fits any offer (the case is then UNIMPLEMENTED).
     */
    public DeflateParameters accept(List<DeflateOffer> offered) {
        for (Acceptance a : accepts) {
            for (DeflateOffer offer : offered) {
                DeflateParameters agreed = offer.accept(a.isClientNoContextTakeover(), a.clientWindowBits());
                if (agreed != null) return agreed;
            }
        }
        return null;
    }

    public int opcode() {
        return corpus.opcode();
    }

    /** Message {@code index} (from 0): the corpus's consecutive slices. */
    public byte[] message(int index) {
        return corpus.message(size.bytes(), index);
    }

    /** {@code 100 compressed text messages of 16 bytes, one at a time}. */
    public String describe() {
        return count + " compressed " + (opcode() == Opcode.TEXT ? "text" : "binary") + " messages of " + size.bytes() + " bytes"
                + (size.fragmentBytes() > 0 ? " in frames of " + size.fragmentBytes() + " compressed bytes" : "") + ", one at a time";
    }
}
