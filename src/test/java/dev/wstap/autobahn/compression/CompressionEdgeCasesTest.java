package dev.wstap.autobahn.compression;

import dev.wstap.autobahn.CompressionCorpus;
import dev.wstap.autobahn.MessageSize;
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
 * Compressed traffic at the edges of RFC 7692 that is nevertheless correct, through the proxy:
 * the §7.2.3 examples verbatim, empty messages and fragments, extreme fragmentation, control
 * frames and plain messages between compressed ones. wstap must forward it unchanged, inflate
 * every compressed message as sent and flag nothing. Each case is sent once by each peer.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompressionEdgeCasesTest {
    private static final String OFFER = Family12ContextTakeoverTest.OFFER;
    private static final String ANSWER = Family12ContextTakeoverTest.ANSWER;
    private static final byte[] HELLO = utf8("Hello");

    private static CompressionProxy proxy;

    @BeforeAll
    static void startProxy(@TempDir Path dir) throws IOException {
        proxy = CompressionProxy.start(dir);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void theExamplesOfRfc7692Section7_2_3(Direction sender) throws Exception {
        proxy.runOneWay("rfc7692 7.2.3 examples", OFFER, ANSWER, sender, peer -> peer
                // §7.2.3.1: one compressed block.
                .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 48 cd c9 c9 07 00"))
                .expectMessage(Opcode.TEXT, 1, 7, true, HELLO)
                // §7.2.3.2: the same again, as a match into the previous message (context takeover).
                .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 00 11 00 00"))
                .expectMessage(Opcode.TEXT, 1, 5, true, HELLO)
                // §7.2.3.1 in two fragments, RSV1 on the first frame only (§6).
                .frame(RSV1 | Opcode.TEXT, hex("f2 48"))
                .frame(FIN | Opcode.CONTINUATION, hex("cd c9 c9 07 00"))
                .expectMessage(Opcode.TEXT, 2, 7, true, HELLO)
                // §7.2.3.3: a block with no compression.
                .frame(FIN | RSV1 | Opcode.TEXT, hex("00 05 00 fa ff 48 65 6c 6c 6f 00"))
                .expectMessage(Opcode.TEXT, 1, 11, true, HELLO)
                // §7.2.3.5: two blocks in one message.
                .frame(FIN | RSV1 | Opcode.TEXT, hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00"))
                .expectMessage(Opcode.TEXT, 1, 13, true, HELLO)
                // §7.2.3.4: a block with BFINAL set ends the stream; the next message starts a new one.
                .frame(FIN | RSV1 | Opcode.TEXT, hex("f3 48 cd c9 c9 07 00 00"))
                .expectMessage(Opcode.TEXT, 1, 8, true, HELLO)
                .frame(FIN | RSV1 | Opcode.BINARY, hex("f2 48 cd c9 c9 07 00"))
                .expectMessage(Opcode.BINARY, 1, 7, true, HELLO)
                .close());
    }

    /**
     * An empty message compresses to a lone empty stored block, {@code 00}; RFC 7692 §7.2.3.6 ends
     * a message whose data was already flushed with such an empty final fragment. An empty first
     * fragment with RSV1, its data in the continuations, is fine too.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void emptyMessagesAndEmptyFragments(Direction sender) throws Exception {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        byte[] empty = deflater.compress(new byte[0]);
        byte[] message = utf8("{\"event\": \"tick\", \"seq\": 1}");
        // As §7.2.3.6's sender: the data flushed with its 00 00 ff ff tail kept, then an empty final fragment.
        byte[] flushed = PeerScript.withTail(deflater.compress(message));
        byte[] again = deflater.compress(message);
        proxy.runOneWay("empty messages and fragments", OFFER, ANSWER, sender, peer -> peer
                .frame(FIN | RSV1 | Opcode.TEXT, empty)
                .expectMessage(Opcode.TEXT, 1, empty.length, true, new byte[0])
                .frame(FIN | RSV1 | Opcode.BINARY, empty)
                .expectMessage(Opcode.BINARY, 1, empty.length, true, new byte[0])
                .frame(RSV1 | Opcode.TEXT, flushed)
                .frame(FIN | Opcode.CONTINUATION, hex("00"))
                .expectMessage(Opcode.TEXT, 2, flushed.length + 1, true, message)
                .frame(RSV1 | Opcode.TEXT, new byte[0])
                .frame(Opcode.CONTINUATION, again)
                .frame(FIN | Opcode.CONTINUATION, new byte[0])
                .expectMessage(Opcode.TEXT, 3, again.length, true, message)
                .close());
    }

    /** Every compressed byte in a frame of its own: the inflater is fed one byte at a time. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void oneByteFragments(Direction sender) throws Exception {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        byte[][] messages = CompressionCorpus.JSON.messages(300, 3, 0.25);
        proxy.runOneWay("one-byte fragments", OFFER, ANSWER, sender, peer -> {
            for (byte[] m : messages) peer.compressed(deflater, Opcode.TEXT, m, 1);
            return peer.close();
        });
    }

    /**
     * Plain messages (RSV1 clear, RFC 7692 §6) and control frames between compressed ones leave
     * the compression context alone: the compressed message after them still refers back.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void plainMessagesAndControlFramesBetweenCompressedOnes(Direction sender) throws Exception {
        MessageDeflater deflater = new MessageDeflater(false, 15);
        byte[] message = utf8("{\"event\": \"price\", \"bids\": [1.5, 1.6], \"city\": \"Zürich\"}");
        byte[] first = deflater.compress(message);
        byte[] second = deflater.compress(message);
        List<byte[]> halves = PeerScript.cut(second, (second.length + 1) / 2);
        proxy.runOneWay("plain messages between compressed ones", OFFER, ANSWER, sender, peer -> peer
                .frame(FIN | RSV1 | Opcode.TEXT, first)
                .expectMessage(Opcode.TEXT, 1, first.length, true, message)
                .frame(FIN | Opcode.TEXT, utf8("plain, one frame")) // no message record
                .frame(Opcode.BINARY, hex("01 02"))
                .frame(FIN | Opcode.CONTINUATION, hex("03"))
                .expectMessage(Opcode.BINARY, 2, 3, false, hex("01 02 03"))
                .frame(FIN | Opcode.PING, utf8("p"))
                .frame(RSV1 | Opcode.TEXT, halves.get(0))
                .frame(FIN | Opcode.PONG, utf8("unsolicited"))
                .frame(FIN | Opcode.CONTINUATION, halves.get(1))
                .expectMessage(Opcode.TEXT, 2, second.length, true, message)
                .close());
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
