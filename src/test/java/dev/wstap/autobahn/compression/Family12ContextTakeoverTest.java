package dev.wstap.autobahn.compression;

import dev.wstap.autobahn.CompressionCorpus;
import dev.wstap.autobahn.MessageSize;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.wire.Direction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn|Testsuite family 12: permessage-deflate with the default offer and answer, so both
 * peers keep their compression context from message to message (RFC 7692 §7.1.1) and many
 * messages in a row refer back into earlier ones. Case 12.x.y sends the messages of subcase y of
 * {@link MessageSize#AUTOBAHN} from corpus 12.x ({@link CompressionCorpus}), and it does so both ways in one
 * session: the client masked, the server bare, each from a compressor of its own.
 *
 * <p>wstap must forward every byte unchanged, write one message record per message whose inflated
 * payload is the message sent (with {@code compressed}, the number of frames and the compressed
 * length on the wire), and flag nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Family12ContextTakeoverTest {
    /** Autobahn's default client offer ({@code PerMessageDeflateOffer()}) and the server's plain acceptance. */
    static final String OFFER = "permessage-deflate; client_max_window_bits";
    static final String ANSWER = "permessage-deflate";
    /** Payload bytes each direction sends at most in one case (but see {@link MessageSize#count}). */
    private static final int BUDGET_BYTES = 256 * 1024;
    private static final int FEWEST_MESSAGES = 3;

    private static CompressionProxy proxy;

    @BeforeAll
    static void startProxy(@TempDir Path dir) throws IOException {
        proxy = CompressionProxy.start(dir);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    /** Case 12.x.y: corpus 12.x, subcase y. */
    record Case(CompressionCorpus corpus, MessageSize size) {
        String id() {
            return "12." + corpus.subcategory() + "." + size.subcase();
        }

        int count() {
            return size.count(BUDGET_BYTES, FEWEST_MESSAGES);
        }

        @Override
        public String toString() {
            return id() + " " + corpus.title() + ": " + size.describe(count()) + ", both ways";
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (CompressionCorpus corpus : CompressionCorpus.values()) {
            for (MessageSize size : MessageSize.AUTOBAHN) out.add(new Case(corpus, size));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void contextTakeover(Case c) throws Exception {
        proxy.run(c.id(), OFFER, ANSWER, () -> script(Direction.C2S, c, 0.0), () -> script(Direction.S2C, c, 0.5));
    }

    /** The case's messages from {@code startFraction} of the corpus on, through one compressor, then a close. */
    private static PeerScript script(Direction sender, Case c, double startFraction) {
        PeerScript peer = new PeerScript(sender);
        MessageDeflater deflater = new MessageDeflater(false, MessageDeflater.MAX_WINDOW_BITS);
        for (byte[] message : c.corpus().messages(c.size().bytes(), c.count(), startFraction)) {
            peer.compressed(deflater, c.corpus().opcode(), message, c.size().fragmentBytes());
        }
        return peer.close();
    }
}
