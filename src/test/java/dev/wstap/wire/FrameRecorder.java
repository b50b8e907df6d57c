package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A {@link FrameListener} that keeps every header and frame in the order the parser reported them.
 * Tests take frames one by one and finish with {@link #assertExhausted()}, so that an unexpected
 * extra frame fails the test.
 */
final class FrameRecorder implements FrameListener {

    /**
     * A parsed frame as a value: unlike {@link ParsedFrame}, it compares its preview by content. It
     * also holds how many payload bytes {@link #onPayload} passed on before the frame ended, and
     * their CRC-32, so that streams fed in different pieces can be compared byte for byte.
     */
    record SeenFrame(FrameHeader header, byte[] preview, int messageOpcode, List<Violation> violations,
                     long payloadBytes, long payloadCrc) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SeenFrame f && header.equals(f.header) && Arrays.equals(preview, f.preview)
                    && messageOpcode == f.messageOpcode && violations.equals(f.violations)
                    && payloadBytes == f.payloadBytes && payloadCrc == f.payloadCrc;
        }

        @Override
        public int hashCode() {
            return Objects.hash(header, Arrays.hashCode(preview), messageOpcode, violations, payloadBytes, payloadCrc);
        }

        @Override
        public String toString() {
            String shown = preview.length <= 32 ? Hex.hex(preview)
                    : Hex.hex(Arrays.copyOf(preview, 32)) + " ... (" + preview.length + " bytes)";
            return "SeenFrame[" + header + ", preview " + shown + ", messageOpcode " + messageOpcode
                    + ", violations " + violations + ", payload " + payloadBytes + " bytes crc "
                    + Long.toHexString(payloadCrc) + "]";
        }
    }

    /** Preview limit for tests that do not care about it: larger than any vector's frame. */
    static final int LARGE_PREVIEW = 1 << 20;

    /** Feeds {@code bytes} whole to a fresh parser for {@code direction} and returns what it reported. */
    static FrameRecorder parse(Direction direction, byte[] bytes) {
        FrameRecorder recorder = new FrameRecorder();
        new FrameParser(direction, LARGE_PREVIEW, recorder).feed(bytes, 0, bytes.length);
        return recorder;
    }

    /** Everything reported, in order: a {@link FrameHeader} for each onHeader, a {@link SeenFrame} for each onFrame. */
    private final List<Object> events = new ArrayList<>();
    private final Deque<ParsedFrame> frames = new ArrayDeque<>();

    private final CRC32 payloadCrc = new CRC32();
    private long payloadBytes;
    private boolean isPayloadExpected;

    @Override
    public void onHeader(FrameHeader header) {
        events.add(header);
        payloadCrc.reset();
        payloadBytes = 0;
        isPayloadExpected = true;
    }

    @Override
    public void onPayload(byte[] bytes, int off, int len, long payloadPosition) {
        assertTrue(isPayloadExpected, "onPayload must come between a frame's onHeader and its onFrame");
        assertTrue(len > 0, "onPayload with no bytes");
        assertEquals(payloadBytes, payloadPosition, "payload positions must follow on from each other");
        payloadCrc.update(bytes, off, len);
        payloadBytes += len;
    }

    @Override
    public void onFrame(ParsedFrame frame) {
        Object last = events.isEmpty() ? null : events.get(events.size() - 1);
        assertEquals(frame.header(), last, "onFrame must follow the onHeader of the same frame");
        if (frame.header().payloadLength() >= 0) {
            assertEquals(frame.header().payloadLength(), payloadBytes, "payload bytes passed on by onPayload");
            isPayloadExpected = false;
        } // else the length has its top bit set: the frame is reported at once, its payload follows for ever
        events.add(new SeenFrame(frame.header(), frame.preview(), frame.messageOpcode(), frame.violations(),
                payloadBytes, payloadCrc.getValue()));
        frames.add(frame);
    }

    /** Payload bytes passed on since the last header, as they were on the wire (still masked). */
    long payloadBytesSinceHeader() {
        return payloadBytes;
    }

    /** The oldest frame not yet taken; fails when there is none. */
    ParsedFrame next() {
        ParsedFrame frame = frames.poll();
        if (frame == null) fail("expected another frame, but the parser reported no more");
        return frame;
    }

    /** Takes the next frame and checks it broke no rule. */
    ParsedFrame nextValid() {
        ParsedFrame frame = next();
        assertEquals(List.of(), frame.violations(), "violations of " + frame.header());
        return frame;
    }

    /** Takes the next frame and checks its opcode, FIN bit and unmasked payload. */
    ParsedFrame assertFrame(int opcode, boolean isFinal, String payloadHex) {
        ParsedFrame frame = next();
        assertEquals(opcode, frame.header().opcode(), "opcode");
        assertEquals(isFinal, frame.header().isFinal(), "FIN");
        assertEquals(payloadHex, Hex.hex(frame.preview()), "payload");
        assertFalse(frame.isTruncated(), "truncated");
        return frame;
    }

    /** Takes the next frame and returns the rules it broke, in the order they were found. */
    List<Violation.Rule> nextRules() {
        return next().violations().stream().map(Violation::rule).toList();
    }

    /** Every header and frame reported so far, as comparable values. */
    List<Object> events() {
        return List.copyOf(events);
    }

    int frameCount() {
        return (int) events.stream().filter(e -> e instanceof SeenFrame).count();
    }

    void assertExhausted() {
        assertTrue(frames.isEmpty(), () -> "frames left unchecked: " + frames.stream().map(f -> f.header()).toList());
    }
}
