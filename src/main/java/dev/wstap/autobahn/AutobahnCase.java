package dev.wstap.autobahn;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One case modelled on a case of the Autobahn|Testsuite (crossbario/autobahn-testsuite,
 * {@code autobahntestsuite/case/caseN_M.py}): the frames one endpoint sends, how their bytes are
 * cut into writes, and for each frame the violation ids wstap must log on that very frame (none for
 * a frame that is fine).
 *
 * <p>A case runs either way round: sent by the client, masked, as Autobahn's fuzzingclient sends it
 * to a server under test; or sent by the server, unmasked, as its fuzzingserver sends it to a client
 * under test. The other endpoint then answers as a conforming one would ({@link #answer()}).
 *
 * <p>The corpus the Autobahn tests of the proxy run, and the cases {@code wstap probe} judges
 * endpoints with.
 *
 * <p>The cases of families 12 and 13 have no frames of their own but a {@link Compression}: the
 * messages they send depend on the permessage-deflate the endpoints agree to.
 *
 * <p>Example, case 5.18: {@code of("5.18", "text message in 2 fragments, both with opcode text",
 * text(false, "fragment1"), text(true, "fragment2").flagged("data-frame-inside-message"))}.
 */
public record AutobahnCase(String id, String title, List<Step> steps, int chopBytes, Compression compression) {
    public AutobahnCase(String id, String title, List<Step> steps, int chopBytes) {
        this(id, title, steps, chopBytes, null);
    }

    /** {@link #chopBytes}: all frames in one write where the steps allow it ("sent in one chop"). */
    public static final int ONE_CHOP = 0;
    /** {@link #chopBytes}: one write per frame (Autobahn's {@code sync = True}). */
    public static final int FRAME_WISE = -1;
    /** Autobahn waits a second at a pause; a few milliseconds show the proxy the same split. */
    public static final long PAUSE_MILLIS = 20;
    public static final Pause PAUSE = new Pause();

    /** Something the sender does: send a frame, or wait. */
    public sealed interface Step permits Frame, Pause {}

    /** The sender waits, so that the bytes before and after reach the proxy in separate reads. */
    public record Pause() implements Step {}

    /**
     * One frame as the case sends it.
     *
     * @param firstByte  FIN, RSV1-3 and the opcode exactly as on the wire: {@code 0x91} is FIN, RSV3, text
     * @param payload    the payload, unmasked; the length field is always the minimal form
     * @param violations the violation ids the log must show on this frame, in the order wstap checks them
     * @param cuts       payload offsets at which the sender stops and waits inside this frame (case 6.4.3)
     */
    public record Frame(int firstByte, byte[] payload, List<String> violations, int[] cuts) implements Step {
        public Frame(int firstByte, byte[] payload) {
            this(firstByte, payload, List.of(), new int[0]);
        }

        public boolean isFinal() {
            return (firstByte & 0x80) != 0;
        }

        public int rsv() {
            return (firstByte >>> 4) & 0x7;
        }

        public int opcode() {
            return firstByte & 0xF;
        }

        /** The same frame, which the log must flag with exactly {@code ids}. */
        public Frame flagged(String... ids) {
            return new Frame(firstByte, payload, List.of(ids), cuts);
        }

        /** The same frame, written in pieces cut at these payload offsets, with a pause between pieces. */
        public Frame cutAt(int... payloadOffsets) {
            return new Frame(firstByte, payload, violations, payloadOffsets.clone());
        }

        public byte[] encode(Integer maskKey) {
            return FrameEncoder.frame(isFinal(), rsv(), opcode(), maskKey, payload,
                    LengthEncoding.minimalFor(payload.length), payload.length);
        }
    }

    /** Writes bytes towards the proxy: the client's socket or the upstream's. */
    @FunctionalInterface
    public interface ByteSink {
        void write(byte[] bytes) throws IOException;
    }

    // --- Building cases

    public static AutobahnCase of(String id, String title, Step... steps) {
        return new AutobahnCase(id, title, List.of(steps), ONE_CHOP);
    }

    public static AutobahnCase of(String id, String title, List<? extends Step> steps) {
        return new AutobahnCase(id, title, List.copyOf(steps), ONE_CHOP);
    }

    /** A case of family 12 or 13: {@code compression} says what it sends and how it negotiates. */
    public static AutobahnCase compressed(String id, String title, Compression compression) {
        return new AutobahnCase(id, title, List.of(), ONE_CHOP, compression);
    }

    /** The same case, one write per frame. */
    public AutobahnCase frameWise() {
        return new AutobahnCase(id, title, steps, FRAME_WISE);
    }

    /** The same case, one write per byte. */
    AutobahnCase octetWise() {
        return inChopsOf(1);
    }

    /** The same case, every frame cut into writes of {@code bytes} bytes (Autobahn's {@code chopsize}). */
    public AutobahnCase inChopsOf(int bytes) {
        return new AutobahnCase(id, title, steps, bytes);
    }

    /** Any frame by its first byte, e.g. {@code frame(0xa1, utf8("Hello")) // FIN, RSV2, text}. */
    public static Frame frame(int firstByte, byte[] payload) {
        return new Frame(firstByte, payload);
    }

    public static Frame text(String payload) {
        return text(true, utf8(payload));
    }

    public static Frame text(boolean isFinal, String payload) {
        return text(isFinal, utf8(payload));
    }

    public static Frame text(boolean isFinal, byte[] payload) {
        return frame((isFinal ? 0x80 : 0) | Opcode.TEXT, payload);
    }

    public static Frame binary(boolean isFinal, byte[] payload) {
        return frame((isFinal ? 0x80 : 0) | Opcode.BINARY, payload);
    }

    public static Frame cont(boolean isFinal, String payload) {
        return cont(isFinal, utf8(payload));
    }

    public static Frame cont(boolean isFinal, byte[] payload) {
        return frame((isFinal ? 0x80 : 0) | Opcode.CONTINUATION, payload);
    }

    public static Frame ping(String payload) {
        return ping(utf8(payload));
    }

    public static Frame ping(byte[] payload) {
        return frame(0x80 | Opcode.PING, payload);
    }

    public static Frame pong(String payload) {
        return frame(0x80 | Opcode.PONG, utf8(payload));
    }

    /** A close frame with no payload at all (no status code). */
    public static Frame close() {
        return frame(0x80 | Opcode.CLOSE, new byte[0]);
    }

    public static Frame close(int code) {
        return close(code, new byte[0]);
    }

    public static Frame close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return frame(0x80 | Opcode.CLOSE, payload);
    }

    /**
     * A message as Autobahn's {@code sendMessage(payload_frag_size = n)} sends it: {@code n}-byte
     * fragments, the first with {@code opcode}, the rest continuations, FIN on the last.
     */
    public static List<Frame> fragments(int opcode, byte[] message, int fragmentBytes) {
        List<Frame> out = new ArrayList<>();
        for (int off = 0; off < message.length; off += fragmentBytes) {
            int end = Math.min(message.length, off + fragmentBytes);
            boolean isFinal = end == message.length;
            out.add(frame((isFinal ? 0x80 : 0) | (off == 0 ? opcode : Opcode.CONTINUATION),
                    Arrays.copyOfRange(message, off, end)));
        }
        return out;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes spelled in hex, whitespace ignored: {@code hex("ed a0 80") // U+D800}. */
    public static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    /** {@code count} copies of {@code b}, as Autobahn's {@code "*" * 125}. */
    public static byte[] repeat(int b, int count) {
        byte[] out = new byte[count];
        Arrays.fill(out, (byte) b);
        return out;
    }

    // --- Using cases

    public List<Frame> frames() {
        return steps.stream().filter(Frame.class::isInstance).map(Frame.class::cast).toList();
    }

    /** The frames as {@code sender} puts them on the wire: masked by a client (a fixed key per frame), bare by a server. */
    public List<byte[]> encoded(Direction sender) {
        SplittableRandom keys = new SplittableRandom((id + " " + title).hashCode());
        return frames().stream().map(f -> f.encode(sender.requiresMask() ? keys.nextInt() : null)).toList();
    }

    /** Every byte {@code sender} writes for this case, in order. */
    public byte[] bytes(Direction sender) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoded(sender).forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** A write of the case's bytes, after a pause of {@code pauseMillis} (0: none). */
    public record Chunk(byte[] bytes, long pauseMillis) {}

    /** The case as {@code sender} writes it: its bytes in the writes it asks for, each after the pause before it. */
    public List<Chunk> chunks(Direction sender) {
        List<Chunk> out = new ArrayList<>();
        try {
            long[] pause = {0};
            send(sender, bytes -> {
                out.add(new Chunk(bytes, pause[0]));
                pause[0] = 0;
            }, () -> pause[0] += PAUSE_MILLIS);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("collecting writes cannot fail", e);
        }
        return out;
    }

    /** Writes the case as {@code sender}, in the writes and with the pauses the case asks for. */
    public void send(Direction sender, ByteSink out) throws IOException, InterruptedException {
        send(sender, out, () -> Thread.sleep(PAUSE_MILLIS));
    }

    /** Something that waits between writes. */
    @FunctionalInterface
    private interface Pauser {
        void pause() throws InterruptedException;
    }

    private void send(Direction sender, ByteSink out, Pauser pauser) throws IOException, InterruptedException {
        List<byte[]> encoded = encoded(sender);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int next = 0;
        for (Step step : steps) {
            switch (step) {
                case Pause p -> {
                    flush(pending, out);
                    pauser.pause();
                }
                case Frame f -> {
                    byte[] bytes = encoded.get(next++);
                    if (f.cuts().length > 0) {
                        flush(pending, out);
                        sendCut(bytes, bytes.length - f.payload().length, f.cuts(), out, pauser);
                    } else if (chopBytes == ONE_CHOP) {
                        pending.writeBytes(bytes);
                    } else if (chopBytes == FRAME_WISE) {
                        out.write(bytes);
                    } else {
                        for (int off = 0; off < bytes.length; off += chopBytes) {
                            out.write(Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chopBytes)));
                        }
                    }
                }
            }
        }
        flush(pending, out);
    }

    private static void sendCut(byte[] bytes, int headerLength, int[] cuts, ByteSink out, Pauser pauser)
            throws IOException, InterruptedException {
        int from = 0;
        for (int cut : cuts) {
            out.write(Arrays.copyOfRange(bytes, from, headerLength + cut));
            pauser.pause();
            from = headerLength + cut;
        }
        out.write(Arrays.copyOfRange(bytes, from, bytes.length));
    }

    private static void flush(ByteArrayOutputStream pending, ByteSink out) throws IOException {
        if (pending.size() == 0) return;
        out.write(pending.toByteArray());
        pending.reset();
    }

    /**
     * What a conforming endpoint sends back, as the Autobahn case expects of the endpoint under test:
     * a pong for each ping, each whole message echoed in one frame, and a close. It stops at the
     * first frame that breaks a rule and fails the connection with 1007 when that is invalid UTF-8,
     * else 1002 (RFC 6455 §7.4.1); at the first close it answers with that close's code
     * (RFC 6455 §5.5.1); otherwise it closes with 1000 at the end.
     */
    public AutobahnCase answer() {
        List<Frame> out = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageOpcode = -1;
        for (Frame f : frames()) {
            if (!f.violations().isEmpty()) {
                out.add(close(f.violations().contains("invalid-utf8") ? 1007 : 1002));
                return answerOf(out);
            }
            switch (f.opcode()) {
                case Opcode.PING -> out.add(frame(0x80 | Opcode.PONG, f.payload()));
                case Opcode.CLOSE -> {
                    out.add(f.payload().length >= 2 ? frame(0x80 | Opcode.CLOSE, Arrays.copyOf(f.payload(), 2)) : close());
                    return answerOf(out);
                }
                case Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION -> {
                    if (f.opcode() != Opcode.CONTINUATION) {
                        messageOpcode = f.opcode();
                        message.reset();
                    }
                    message.writeBytes(f.payload());
                    if (f.isFinal()) out.add(frame(0x80 | messageOpcode, message.toByteArray()));
                }
                default -> { } // an unsolicited pong needs no answer
            }
        }
        out.add(close(1000));
        return answerOf(out);
    }

    private AutobahnCase answerOf(List<Frame> frames) {
        return new AutobahnCase(id, "answer to " + title, List.copyOf(frames), ONE_CHOP);
    }

    @Override
    public String toString() {
        return id + " " + title;
    }
}
