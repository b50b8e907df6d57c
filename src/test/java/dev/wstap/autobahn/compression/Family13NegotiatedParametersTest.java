package dev.wstap.autobahn.compression;

import dev.wstap.autobahn.CompressionCorpus;
import dev.wstap.autobahn.MessageSize;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
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
 * Autobahn|Testsuite family 13: permessage-deflate with negotiated parameters (RFC 7692 §7.1).
 * Autobahn varies what the client asks for and the server grants: 13.1 nothing, 13.2 no context
 * takeover, 13.3 window bits 8, 13.4 window bits 15, 13.5 both with 8, 13.6 both with 15, 13.7 a
 * list of offers of which the server takes the first. Here each subcategory is run for every
 * parameter it touches on its own, for each side: {@code server_no_context_takeover},
 * {@code client_no_context_takeover} and both; {@code server_max_window_bits} and
 * {@code client_max_window_bits} from 8 to 15. The client offers {@code client_max_window_bits}
 * and asks for the server_* parameters the answer holds, so that every answer is one the client
 * has to accept (RFC 7692 §7.1).
 *
 * <p>Each peer compresses as agreed for its side ({@link MessageDeflater}): afresh for every message
 * when it has no context takeover, with matches reaching back no further than its window. Like
 * Autobahn's family 13, the messages are slices of the JSON corpus, both ways in one session;
 * of the 18 sizes of {@link MessageSize#AUTOBAHN}, five are run, from 16 bytes to 131072 and
 * fragmented. wstap inflates with a 32 KiB window whatever was agreed, which reads every smaller
 * window too; it must report every message as sent and flag nothing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Family13NegotiatedParametersTest {
    /** Subcases of {@link MessageSize#AUTOBAHN}: small, medium, larger than any window below 15 bits, and fragmented ones up to the largest. */
    private static final int[] SUBCASES = {1, 4, 7, 11, 16};
    private static final int BUDGET_BYTES = 64 * 1024;
    private static final int FEWEST_MESSAGES = 2;
    private static final int WINDOW_8 = 8;
    private static final int WINDOW_15 = 15;

    private static CompressionProxy proxy;

    @BeforeAll
    static void startProxy(@TempDir Path dir) throws IOException {
        proxy = CompressionProxy.start(dir);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    /**
     * What the server agreed, as {@code permessage-deflate; <parameters>}, and what the client
     * offered to make that answer valid.
     */
    record Agreement(int subcategory, String offer, String answer, boolean isServerNoContextTakeover,
                     boolean isClientNoContextTakeover, int serverWindowBits, int clientWindowBits) {

        /** An answer with {@code parameters}; the client offers {@code client_max_window_bits} and asks for the server_* ones. */
        static Agreement of(int subcategory, String... parameters) {
            StringBuilder offer = new StringBuilder("permessage-deflate; client_max_window_bits");
            StringBuilder answer = new StringBuilder("permessage-deflate");
            boolean serverNoTakeover = false;
            boolean clientNoTakeover = false;
            int serverBits = WINDOW_15;
            int clientBits = WINDOW_15;
            for (String p : parameters) {
                answer.append("; ").append(p);
                if (p.startsWith("server_")) offer.append("; ").append(p);
                String[] kv = p.split("=");
                switch (kv[0]) {
                    case "server_no_context_takeover" -> serverNoTakeover = true;
                    case "client_no_context_takeover" -> clientNoTakeover = true;
                    case "server_max_window_bits" -> serverBits = Integer.parseInt(kv[1]);
                    case "client_max_window_bits" -> clientBits = Integer.parseInt(kv[1]);
                    default -> throw new IllegalArgumentException("no permessage-deflate parameter " + p);
                }
            }
            return new Agreement(subcategory, offer.toString(), answer.toString(), serverNoTakeover, clientNoTakeover,
                    serverBits, clientBits);
        }

        /** The same answer to another offer. */
        Agreement offering(int subcategory, String offer) {
            return new Agreement(subcategory, offer, answer, isServerNoContextTakeover, isClientNoContextTakeover,
                    serverWindowBits, clientWindowBits);
        }

        MessageDeflater deflater(Direction sender) {
            return sender == Direction.C2S ? new MessageDeflater(isClientNoContextTakeover, clientWindowBits)
                    : new MessageDeflater(isServerNoContextTakeover, serverWindowBits);
        }
    }

    static List<Agreement> agreements() {
        List<Agreement> out = new ArrayList<>();
        out.add(Agreement.of(1));
        out.add(Agreement.of(2, "server_no_context_takeover"));
        out.add(Agreement.of(2, "client_no_context_takeover"));
        out.add(Agreement.of(2, "server_no_context_takeover", "client_no_context_takeover"));
        for (int bits = WINDOW_8; bits < WINDOW_15; bits++) {
            out.add(Agreement.of(3, "server_max_window_bits=" + bits));
            out.add(Agreement.of(3, "client_max_window_bits=" + bits));
        }
        out.add(Agreement.of(4, "server_max_window_bits=15"));
        out.add(Agreement.of(4, "client_max_window_bits=15"));
        Agreement both8 = Agreement.of(5, "server_no_context_takeover", "client_no_context_takeover",
                "server_max_window_bits=8", "client_max_window_bits=8");
        out.add(both8);
        out.add(Agreement.of(6, "server_no_context_takeover", "client_no_context_takeover",
                "server_max_window_bits=15", "client_max_window_bits=15"));
        // 13.7: three offers, most demanding first; the server accepts the first (RFC 7692 §5).
        out.add(both8.offering(7, "permessage-deflate; client_max_window_bits; server_no_context_takeover;"
                + " server_max_window_bits=8, permessage-deflate; client_max_window_bits; server_no_context_takeover,"
                + " permessage-deflate; client_max_window_bits"));
        return out;
    }

    /** Case 13.x.y: agreement x, subcase y. */
    record Case(Agreement agreement, MessageSize size) {
        String id() {
            return "13." + agreement.subcategory() + "." + size.subcase();
        }

        int count() {
            return size.count(BUDGET_BYTES, FEWEST_MESSAGES);
        }

        @Override
        public String toString() {
            return id() + " " + agreement.answer() + ": " + size.describe(count()) + ", both ways";
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (Agreement agreement : agreements()) {
            for (int subcase : SUBCASES) out.add(new Case(agreement, MessageSize.subcase(subcase)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void negotiatedParameters(Case c) throws Exception {
        proxy.run(c.id(), c.agreement().offer(), c.agreement().answer(),
                () -> script(Direction.C2S, c, 0.0), () -> script(Direction.S2C, c, 0.5));
    }

    private static PeerScript script(Direction sender, Case c, double startFraction) {
        PeerScript peer = new PeerScript(sender);
        MessageDeflater deflater = c.agreement().deflater(sender);
        for (byte[] message : CompressionCorpus.JSON.messages(c.size().bytes(), c.count(), startFraction)) {
            peer.compressed(deflater, Opcode.TEXT, message, c.size().fragmentBytes());
        }
        return peer.close();
    }
}
