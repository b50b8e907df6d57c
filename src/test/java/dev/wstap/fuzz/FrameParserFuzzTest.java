package dev.wstap.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Masking;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import dev.wstap.wire.Violation.Rule;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fuzzes the RFC 6455 frame parser with any bytes, cut into any pieces. For every input:
 *
 * <ul>
 *   <li>nothing is thrown: a malformed stream yields violations, never an exception;
 *   <li>the pieces do not matter: the same headers, frames, violations and payload bytes come out
 *       as when the stream arrives whole, and overwriting a piece after {@code feed} returned
 *       changes nothing already reported (the parser keeps no reference to the caller's bytes);
 *   <li>memory stays bounded: a preview holds min(length, limit) bytes, the limit being the
 *       configured one (at least 125 for control frames);
 *   <li>the parser is faithful: each header re-encodes to the bytes it was read from, each payload
 *       is exactly the bytes that followed, and a frame without violations re-encodes with
 *       {@link FrameEncoder} (header fields plus unmasked payload) to exactly the input;
 *   <li>the violations are the ones an independent reading of the stream finds: header rules,
 *       message state, close payloads, and UTF-8 as the JDK's strict decoder judges it.
 * </ul>
 *
 * <p>Regression mode (plain {@code mvn test}) runs the seeds in {@code FrameParserFuzzTestInputs};
 * {@code bin/fuzz} fuzzes.
 */
class FrameParserFuzzTest {
    /** Preview limits to choose from: the default first (a seed's zero byte picks it), none, tiny ones, around 125. */
    private static final int[] PREVIEW_LIMITS = {65536, 0, 1, 2, 7, 124, 125, 126, 1000};

    @FuzzTest
    void anyBytesInAnyPieces(FuzzedDataProvider data) {
        Direction direction = data.consumeBoolean() ? Direction.C2S : Direction.S2C;
        int maxPreview = PREVIEW_LIMITS[data.consumeInt(0, PREVIEW_LIMITS.length - 1)];
        int allowedRsv = data.consumeInt(0, 7);
        Chunks chunks = Chunks.consume(data);
        byte[] stream = data.consumeRemainingAsBytes();

        Recording whole = new Recording(direction, maxPreview, allowedRsv);
        byte[] copy = stream.clone();
        whole.parser.feed(copy, 0, copy.length);
        Arrays.fill(copy, (byte) 0);

        Recording pieces = new Recording(direction, maxPreview, allowedRsv);
        for (Chunks.Chunk c : chunks.cut(stream)) {
            pieces.parser.feed(c.bytes(), c.off(), c.len());
            c.scribble();
        }
        assertEquals(whole.events, pieces.events, "fed in pieces");
        assertEquals(whole.state(), pieces.state(), "parser state after the last piece");

        checkAgainstStream(whole, stream, direction, maxPreview, allowedRsv);
    }

    /**
     * RFC 6455 §5.2 allows lengths up to 2^63 - 1: a data frame that announces 2^62 bytes breaks no
     * rule and streams; a ping that does is flagged as soon as its header is in; a length with the
     * top bit set is flagged and reported at once. None of them allocates more than its preview
     * while 16 MiB of its payload pass.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "binary of 2^62 bytes        | 82 7f 40 00 00 00 00 00 00 00             | S2C | ",
        "masked text of 2^62 bytes   | 81 ff 40 00 00 00 00 00 00 00 0a 0b 0c 0d | C2S | ",
        "ping of 2^62 bytes          | 89 7f 40 00 00 00 00 00 00 00             | S2C | CONTROL_FRAME_TOO_LONG",
        "binary of 2^63 bytes        | 82 7f 80 00 00 00 00 00 00 00             | S2C | LENGTH_TOP_BIT_SET",
    })
    void aHugeLengthIsReportedNotAllocated(String what, String headerHex, Direction direction, Rule rule) {
        byte[] header = HexFormat.of().parseHex(headerHex.replace(" ", ""));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        feedHugeFrame(header, chunk, direction); // once to load every class on the way
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Recording r = feedHugeFrame(header, chunk, direction);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, what + ": " + allocated + " bytes allocated while 16 MiB passed");
        HeaderSeen seen = (HeaderSeen) r.events.get(0);
        assertEquals(rule == null ? List.of() : List.of(rule),
                seen.violationsSoFar().stream().map(Violation::rule).toList(), what + ": violations known at its header");
        assertFalse(r.parser.isBetweenFrames(), what + " is still streaming");
    }

    /** The header, then 256 times the chunk, to a parser whose listener keeps nothing of the payload. */
    private static Recording feedHugeFrame(byte[] header, byte[] chunk, Direction direction) {
        Recording r = new Recording(direction, 1000, 0) {
            @Override
            public void onPayload(byte[] bytes, int off, int len, long payloadPosition) {
                // Counted by the parser's position; a recording would hold 16 MiB.
            }
        };
        r.parser.feed(header, 0, header.length);
        for (int i = 0; i < 256; i++) r.parser.feed(chunk, 0, chunk.length);
        assertEquals(header.length + 256L * chunk.length, r.parser.position());
        return r;
    }

    /** What a listener saw: headers and frames as comparable values, payload as it was on the wire. */
    private record HeaderSeen(FrameHeader header, long start, List<Violation> violationsSoFar) {}

    private record FrameSeen(FrameHeader header, long start, String preview, int messageOpcode, boolean isCompressed,
                             List<Violation> violations, String payload) {
        Set<Rule> rules() {
            Set<Rule> rules = new TreeSet<>();
            for (Violation v : violations) rules.add(v.rule());
            return rules;
        }
    }

    private static class Recording implements FrameListener {
        final FrameParser parser;
        final List<Object> events = new ArrayList<>();
        /** Raw payload bytes since the last header: the whole payload at onFrame, or what followed an endless frame. */
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        Recording(Direction direction, int maxPreview, int allowedRsv) {
            parser = new FrameParser(direction, maxPreview, this);
            parser.allowRsv(allowedRsv);
        }

        @Override
        public void onHeader(FrameHeader header) {
            payload.reset();
            events.add(new HeaderSeen(header, parser.frameStart(), parser.headerViolations()));
        }

        @Override
        public void onPayload(byte[] bytes, int off, int len, long payloadPosition) {
            assertEquals(payload.size(), payloadPosition, "payload positions follow on from each other");
            assertTrue(len > 0, "onPayload with no bytes");
            payload.write(bytes, off, len);
        }

        @Override
        public void onFrame(ParsedFrame f) {
            // The display path reads these; they must not throw either.
            f.text();
            f.closePayload();
            f.isTruncated();
            events.add(new FrameSeen(f.header(), parser.frameStart(), hex(f.preview()), f.messageOpcode(), f.isCompressed(),
                    f.violations(), hex(payload.toByteArray())));
        }

        List<Object> state() {
            return List.of(parser.isBetweenFrames(), parser.isInsideMessage(), parser.position(), hex(payload.toByteArray()));
        }
    }

    /** Walks the stream frame by frame beside what the parser reported, checking each against the bytes. */
    private static void checkAgainstStream(Recording r, byte[] stream, Direction direction, int maxPreview, int allowedRsv) {
        RuleModel model = new RuleModel(direction, allowedRsv);
        long offset = 0;
        boolean isEndless = false;
        HeaderSeen header = null;
        for (Object event : r.events) {
            if (event instanceof HeaderSeen h) {
                assertEquals(offset, h.start(), "a frame starts where the previous one ended");
                header = h;
                continue;
            }
            FrameSeen f = (FrameSeen) event;
            FrameHeader h = f.header();
            assertEquals(header.header(), h, "onFrame follows the onHeader of the same frame");
            assertEquals(offset, f.start(), "frameStart");
            int pos = (int) offset;
            byte[] encodedHeader = new byte[h.encodedLength()];
            assertEquals(encodedHeader.length, FrameEncoder.writeHeader(h, encodedHeader));
            assertArrayEquals(Arrays.copyOfRange(stream, pos, pos + encodedHeader.length), encodedHeader,
                    "the header re-encodes to the bytes it was read from");
            assertEquals(header.violationsSoFar(), f.violations().subList(0, Math.min(header.violationsSoFar().size(),
                    f.violations().size())), "the violations known at onHeader come first");
            pos += encodedHeader.length;
            if (h.payloadLength() < 0) {
                // RFC 6455 §5.2: the top bit set. The frame is reported at once; the rest is its payload, for ever.
                assertTrue(f.rules().contains(Rule.LENGTH_TOP_BIT_SET), "top bit: " + f);
                assertEquals("", f.preview());
                assertEquals(hex(Arrays.copyOfRange(stream, pos, stream.length)), hex(r.payload.toByteArray()),
                        "everything after an endless frame's header is its payload");
                model.check(h, new byte[0], false, f);
                isEndless = true;
                offset = stream.length;
                assertTrue(r.events.getLast() == event, "no frame after an endless one");
                break;
            }
            byte[] raw = Arrays.copyOfRange(stream, pos, pos + (int) h.payloadLength());
            assertEquals(hex(raw), f.payload(), "the payload is the bytes after the header");
            byte[] unmasked = raw.clone();
            if (h.isMasked()) Masking.apply(unmasked, h.maskKey());
            int limit = h.isControl() ? Math.max(maxPreview, FrameHeader.MAX_CONTROL_PAYLOAD_BYTES) : maxPreview;
            int previewLength = (int) Math.min(h.payloadLength(), limit);
            assertEquals(hex(Arrays.copyOf(unmasked, previewLength)), f.preview(), "the preview: the first min(length, "
                    + limit + ") bytes, unmasked");
            if (f.violations().isEmpty()) {
                byte[] reencoded = FrameEncoder.frame(h.isFinal(), h.rsv(), h.opcode(), h.isMasked() ? h.maskKey() : null,
                        unmasked, h.lengthEncoding(), h.payloadLength());
                assertEquals(hex(Arrays.copyOfRange(stream, (int) offset, pos + raw.length)), hex(reencoded),
                        "a frame without violations re-encodes to its bytes");
            }
            model.check(h, unmasked, previewLength == h.payloadLength(), f);
            offset = pos + raw.length;
        }
        if (!isEndless) {
            assertEquals(offset == stream.length, r.parser.isBetweenFrames(), "isBetweenFrames after " + offset + " of "
                    + stream.length + " bytes");
            if (!r.events.isEmpty() && r.events.getLast() instanceof HeaderSeen h) {
                // The stream ends inside a payload: what came of it so far was passed on.
                int payloadStart = (int) offset + h.header().encodedLength();
                assertEquals(hex(Arrays.copyOfRange(stream, payloadStart, stream.length)), hex(r.payload.toByteArray()),
                        "the start of an unfinished payload");
            }
        }
        assertEquals(stream.length, r.parser.position());
    }

    /**
     * RFC 6455's rules read afresh from each header and the unmasked payload, so that a rule the
     * validator misses or flags wrongly shows up as a difference.
     */
    private static final class RuleModel {
        private final Direction direction;
        private final int allowedRsv;
        private boolean isInMessage;
        private int messageOpcode = -1;
        private boolean isMessageCompressed;
        private boolean isCloseSeen;
        /** The unmasked text of the current uncompressed text message, while it is still valid UTF-8. */
        private ByteArrayOutputStream text;

        RuleModel(Direction direction, int allowedRsv) {
            this.direction = direction;
            this.allowedRsv = allowedRsv;
        }

        void check(FrameHeader h, byte[] payload, boolean isWhole, FrameSeen f) {
            Set<Rule> expected = new TreeSet<>();
            int op = h.opcode();
            long len = h.payloadLength();
            boolean isControl = Opcode.isControl(op);
            boolean isData = op == Opcode.TEXT || op == Opcode.BINARY;
            if (direction == Direction.C2S && !h.isMasked()) expected.add(Rule.CLIENT_FRAME_UNMASKED);
            if (direction == Direction.S2C && h.isMasked()) expected.add(Rule.SERVER_FRAME_MASKED);
            if (len < 0) expected.add(Rule.LENGTH_TOP_BIT_SET);
            if (len >= 0 && h.lengthEncoding() != minimalEncoding(len)) expected.add(Rule.NON_MINIMAL_LENGTH);
            if ((op >= 3 && op <= 7) || op >= 11) expected.add(Rule.RESERVED_OPCODE);
            if ((isData ? h.rsv() & ~allowedRsv : h.rsv()) != 0) expected.add(Rule.RSV_WITHOUT_EXTENSION);
            if (isControl && (len < 0 || len > 125)) expected.add(Rule.CONTROL_FRAME_TOO_LONG);
            if (isControl && !h.isFinal()) expected.add(Rule.CONTROL_FRAME_FRAGMENTED);
            if (isCloseSeen && !isControl) expected.add(Rule.FRAME_AFTER_CLOSE);

            int expectedMessageOpcode = op;
            boolean isCompressed = false;
            boolean isText = false;
            if (op == Opcode.CONTINUATION) {
                if (!isInMessage) expected.add(Rule.CONTINUATION_WITHOUT_START);
                expectedMessageOpcode = isInMessage ? messageOpcode : -1;
                isCompressed = isInMessage && isMessageCompressed;
                isText = isInMessage && text != null;
                if (h.isFinal()) isInMessage = false;
            } else if (isData) {
                if (isInMessage) expected.add(Rule.DATA_FRAME_INSIDE_MESSAGE);
                isInMessage = !h.isFinal();
                messageOpcode = op;
                isMessageCompressed = (h.rsv() & allowedRsv & FrameHeader.RSV1) != 0;
                isCompressed = isMessageCompressed;
                text = op == Opcode.TEXT && !isCompressed ? new ByteArrayOutputStream() : null;
                isText = text != null;
            }
            if (isText && len >= 0) {
                // RFC 6455 §8.1: flagged once, on the frame where the text stops being valid UTF-8.
                text.writeBytes(payload);
                if (!isUtf8(text.toByteArray(), h.isFinal())) {
                    expected.add(Rule.INVALID_UTF8);
                    text = null;
                }
            }
            if (op == Opcode.CLOSE && len >= 0) {
                if (len == 1) expected.add(Rule.CLOSE_PAYLOAD_ONE_BYTE);
                int kept = f.preview().length() / 2;
                int code = kept >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                if (code >= 0 && !CloseCode.isSendable(code)) expected.add(Rule.INVALID_CLOSE_CODE);
                if (kept >= 2 && !isUtf8(Arrays.copyOfRange(payload, 2, kept), isWhole)) expected.add(Rule.INVALID_UTF8);
            }
            if (op == Opcode.CLOSE) isCloseSeen = true;

            assertEquals(expected, f.rules(), "violations of " + h + " (" + f.violations() + ")");
            assertEquals(expectedMessageOpcode, f.messageOpcode(), "messageOpcode of " + h);
            assertEquals(isCompressed, f.isCompressed(), "isCompressed of " + h);
        }

        private static LengthEncoding minimalEncoding(long len) {
            return len <= 125 ? LengthEncoding.BITS_7 : len <= 0xFFFF ? LengthEncoding.BITS_16 : LengthEncoding.BITS_64;
        }
    }

    /** Bytes that may follow a lead byte: the edges of every range in RFC 3629's table. */
    private static final byte[] CONTINUATIONS = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF};

    /**
     * Whether {@code bytes} are valid UTF-8 by the JDK's strict decoder; unless {@code isEnd}, a
     * sequence cut off at the end counts as valid when some continuation would make it so.
     */
    static boolean isUtf8(byte[] bytes, boolean isEnd) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (decoder.decode(in, out, isEnd).isError()) return false;
        if (isEnd) return !decoder.flush(out).isError();
        // The decoder leaves a cut-off sequence unread without judging it (ED A0, a surrogate's
        // start, included): try every way to finish it.
        byte[] tail = Arrays.copyOfRange(bytes, in.position(), bytes.length);
        return tail.length == 0 || canFinish(tail, 3);
    }

    private static boolean canFinish(byte[] start, int bytesLeft) {
        if (isUtf8(start, true)) return true;
        if (bytesLeft == 0) return false;
        byte[] longer = Arrays.copyOf(start, start.length + 1);
        for (byte b : CONTINUATIONS) {
            longer[start.length] = b;
            if (canFinish(longer, bytesLeft - 1)) return true;
        }
        return false;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
