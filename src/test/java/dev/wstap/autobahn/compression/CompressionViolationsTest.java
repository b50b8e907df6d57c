package dev.wstap.autobahn.compression;

import dev.wstap.deflate.MessageDeflater;
import static dev.wstap.autobahn.compression.PeerScript.FIN;
import static dev.wstap.autobahn.compression.PeerScript.RSV1;

import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The negative side of families 12 and 13: compressed traffic that wstap must flag, on the frame
 * or the message where the fault is and nowhere else, while it forwards every byte unchanged and
 * follows the messages after it. Each case is sent once by the client and once by the server.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompressionViolationsTest {
    private static final String OFFER = Family12ContextTakeoverTest.OFFER;
    private static final String ANSWER = Family12ContextTakeoverTest.ANSWER;
    private static final String INFLATE_FAILED = "inflate-failed";
    private static final String RSV = "rsv-without-extension";
    private static final String INVALID_UTF8 = "invalid-utf8";

    private static CompressionProxy proxy;

    @BeforeAll
    static void startProxy(@TempDir Path dir) throws IOException {
        proxy = CompressionProxy.start(dir);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    /** RFC 7692 §7.2.2: a compressed message that is not DEFLATE data is flagged on its message record only. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void garbageIsInflateFailedAndForwardingGoesOn(Direction sender) throws Exception {
        proxy.runOneWay("inflate-failed garbage", OFFER, ANSWER, sender, peer -> peer
                .frame(FIN | RSV1 | Opcode.TEXT, hex("ff ff ff ff")) // BFINAL, block type 11: reserved (RFC 1951 §3.2.3)
                .expectMessage(Opcode.TEXT, 1, 4, true, new byte[0], INFLATE_FAILED)
                .frame(FIN | Opcode.TEXT, utf8("still here")) // a plain frame: no message record
                // The sender's own compressor never saw the garbage: its first message refers to nothing before it.
                .compressed(new MessageDeflater(false, 15), Opcode.TEXT, utf8("{\"back\": \"on track\"}"), 0)
                .close());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void garbageInFragmentsIsOneInflateFailedOnTheMessage(Direction sender) throws Exception {
        proxy.runOneWay("inflate-failed fragments", OFFER, ANSWER, sender, peer -> peer
                .frame(RSV1 | Opcode.BINARY, hex("ff ff"))
                .frame(Opcode.CONTINUATION, hex("ff"))
                .frame(FIN | Opcode.CONTINUATION, hex("ff ff ff"))
                .expectMessage(Opcode.BINARY, 3, 6, true, new byte[0], INFLATE_FAILED)
                .close());
    }

    /**
     * RFC 7692 §7.2.1: even an empty message compresses to at least one byte ({@code 00}). A
     * compressed message with no payload at all (as IXWebSocket once sent empty messages,
     * machinezone/IXWebSocket#167, which broke the peers' inflaters) is flagged on its own record;
     * the sender's context is untouched by it, so the messages after it still inflate as sent.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void anEmptyCompressedPayloadIsInflateFailedOnThatMessageOnly(Direction sender) throws Exception {
        byte[] message = utf8("{\"event\": \"tick\", \"seq\": 1}");
        proxy.runOneWay("inflate-failed empty payload", OFFER, ANSWER, sender, peer -> {
            MessageDeflater deflater = new MessageDeflater(false, 15);
            return peer
                    .compressed(deflater, Opcode.TEXT, message, 0)
                    .frame(FIN | RSV1 | Opcode.TEXT, new byte[0])
                    .expectMessage(Opcode.TEXT, 1, 0, true, new byte[0], INFLATE_FAILED)
                    .compressed(deflater, Opcode.TEXT, message, 0) // refers back into the first message
                    .frame(RSV1 | Opcode.BINARY, new byte[0])
                    .frame(FIN | Opcode.CONTINUATION, new byte[0])
                    .expectMessage(Opcode.BINARY, 2, 0, true, new byte[0], INFLATE_FAILED)
                    .compressed(deflater, Opcode.TEXT, message, 0)
                    .close();
        });
    }

    /**
     * RFC 7692 §7.2.3.2's second message refers back into the first; with no context takeover
     * agreed for the sender (§7.1.1) the window is empty, so it cannot be inflated.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void aBackReferenceAcrossMessagesWithoutContextTakeoverIsInflateFailed(Direction sender) throws Exception {
        String side = sender == Direction.C2S ? "client" : "server";
        proxy.runOneWay("inflate-failed no context takeover", OFFER + "; server_no_context_takeover",
                ANSWER + "; " + side + "_no_context_takeover", sender, peer -> peer
                        .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 48 cd c9 c9 07 00")) // "Hello"
                        .expectMessage(Opcode.TEXT, 1, 7, true, utf8("Hello"))
                        .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 00 11 00 00")) // "Hello" as a match 5 bytes back
                        .expectMessage(Opcode.TEXT, 1, 5, true, new byte[0], INFLATE_FAILED)
                        .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 48 cd c9 c9 07 00"))
                        .expectMessage(Opcode.TEXT, 1, 7, true, utf8("Hello"))
                        .close());
    }

    /** RFC 7692 §6: RSV1 belongs on the first frame of a message only; on a continuation nothing defines it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void rsv1OnTheContinuationOfACompressedMessageIsFlaggedOnThatFrame(Direction sender) throws Exception {
        byte[] message = utf8("{\"price\": 1.5, \"bids\": [1.5, 1.6, 1.7], \"note\": \"größer\"}");
        byte[] compressed = new MessageDeflater(false, 15).compress(message);
        List<byte[]> halves = PeerScript.cut(compressed, (compressed.length + 1) / 2);
        proxy.runOneWay("rsv1 on a continuation, compressed", OFFER, ANSWER, sender, peer -> peer
                .frame(RSV1 | Opcode.TEXT, halves.get(0))
                .frame(FIN | RSV1 | Opcode.CONTINUATION, halves.get(1), RSV)
                .expectMessage(Opcode.TEXT, 2, compressed.length, true, message) // still inflated as sent
                .close());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void rsv1OnTheContinuationOfAPlainMessageIsFlaggedOnThatFrame(Direction sender) throws Exception {
        proxy.runOneWay("rsv1 on a continuation, plain", OFFER, ANSWER, sender, peer -> peer
                .frame(Opcode.TEXT, utf8("Hel"))
                .frame(FIN | RSV1 | Opcode.CONTINUATION, utf8("lo"), RSV)
                .expectMessage(Opcode.TEXT, 2, 5, false, utf8("Hello"))
                .close());
    }

    /** RFC 7692 §6: permessage-deflate gives RSV1 a meaning on data frames only; control frames are never compressed. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void rsv1OnControlFramesIsFlagged(Direction sender) throws Exception {
        byte[] message = utf8("Hello, compressed world! Hello, compressed world!");
        byte[] compressed = new MessageDeflater(false, 15).compress(message);
        List<byte[]> halves = PeerScript.cut(compressed, (compressed.length + 1) / 2);
        proxy.runOneWay("rsv1 on control frames", OFFER, ANSWER, sender, peer -> peer
                .frame(FIN | RSV1 | Opcode.PING, utf8("ping"), RSV)
                .frame(FIN | RSV1 | Opcode.PONG, utf8("pong"), RSV)
                .frame(RSV1 | Opcode.TEXT, halves.get(0))
                .frame(FIN | RSV1 | Opcode.PING, utf8("in between"), RSV) // between the fragments: the message goes on
                .frame(FIN | Opcode.CONTINUATION, halves.get(1))
                .expectMessage(Opcode.TEXT, 2, compressed.length, true, message)
                .frame(FIN | RSV1 | Opcode.CLOSE, hex("03 e8"), RSV)); // 1000
    }

    /** RFC 6455 §8.1: a text message must be UTF-8 once inflated; the compressed frames themselves are not text. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void inflatedTextThatIsNotUtf8IsFlaggedOnTheMessage(Direction sender) throws Exception {
        proxy.runOneWay("invalid-utf8 after inflating", OFFER, ANSWER, sender, peer -> {
            MessageDeflater deflater = new MessageDeflater(false, 15);
            return peer
                    .compressed(deflater, Opcode.TEXT, hex("48 65 6c 6c 6f 20 ff 20 77 6f 72 6c 64"), 0, INVALID_UTF8) // "Hello \xff world"
                    .compressed(deflater, Opcode.TEXT, hex("63 61 66 c3"), 0, INVALID_UTF8) // "caf" and half an é
                    // U+D800 (a surrogate, ed a0 80) in a message cut into 3-byte fragments
                    .compressed(deflater, Opcode.TEXT, hex("3c 70 3e 61 62 63 ed a0 80 64 65 66 3c 2f 70 3e"), 3, INVALID_UTF8)
                    // The context went on: a fine message after them, and the same bytes as binary, are not flagged.
                    .compressed(deflater, Opcode.TEXT, utf8("Hello wörld, Hello wörld"), 0)
                    .compressed(deflater, Opcode.BINARY, hex("48 65 6c 6c 6f 20 ff 20 77 6f 72 6c 64"), 0)
                    .close();
        });
    }

    /**
     * RFC 6455 §5.2: without permessage-deflate agreed, RSV1 means nothing, and nothing is
     * inflated: the frame is plain text, and its compressed bytes are not UTF-8 (§8.1).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void rsv1WhenTheServerDeclinedCompressionIsFlaggedAndNotInflated(Direction sender) throws Exception {
        proxy.runOneWay("rsv1 without the extension", OFFER, null, sender, peer -> peer
                .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 48 cd c9 c9 07 00"), RSV, INVALID_UTF8) // "Hello", compressed
                .frame(RSV1 | Opcode.BINARY, hex("f2 48 cd"), RSV)
                .frame(FIN | Opcode.CONTINUATION, hex("c9 c9 07 00"))
                .expectMessage(Opcode.BINARY, 2, 7, false, hex("f2 48 cd c9 c9 07 00")) // fragmented: reassembled as sent
                .close());
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
