package dev.wstap.proxy;

import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.Tap;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts wstap's own frames into a live session (DESIGN.md invariant 4): control frames between any
 * two frames; a data message only after the forwarded message in flight in that direction has
 * ended, its fragments never interleaved with forwarded ones; towards the server every frame gets
 * a fresh random mask (RFC 6455 §5.3), towards the client none. Every injected frame is shown
 * and logged, marked as injected. Thread safe.
 *
 * <p>Example: {@code injector.fragments(Direction.C2S, Opcode.TEXT, utf8("hello world"), List.of(3, 4, 4), true, 0)}.
 */
public final class Injector {
    /** How long a data message waits for the forwarded message in flight to end. */
    public static final Duration MESSAGE_WAIT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Session session;
    private final Tap tap;

    public Injector(Session session, Tap tap) {
        this.session = session;
        this.tap = tap;
    }

    /** A ping or pong (or close, via {@link #close}); at most 125 bytes of payload (RFC 6455 §5.5). */
    public void control(Direction dir, int opcode, byte[] payload) throws IOException {
        if (!Opcode.isControl(opcode)) throw new IllegalArgumentException(Opcode.name(opcode) + " is not a control opcode");
        if (payload.length > FrameHeader.MAX_CONTROL_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(Opcode.name(opcode) + " payload of " + payload.length
                    + " bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway");
        }
        byte[] frame = FrameEncoder.frame(true, opcode, mask(dir), payload);
        session.writer(dir).writeFrame(frame);
        shown(dir, frame);
    }

    /** A close frame with a code that may be sent (RFC 6455 §7.4.1) and a reason; or none with {@code code} -1. */
    public void close(Direction dir, int code, String reason) throws IOException {
        if (code != -1 && !CloseCode.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " (" + CloseCode.name(code) + ") may not be sent (RFC 6455 §7.4.1); "
                    + "use raw to send one anyway");
        }
        byte[] payload = code == -1 ? new byte[0] : new ClosePayload(code, reason).encode();
        control(dir, Opcode.CLOSE, payload);
    }

    /** A whole message in one frame, once the forwarded message in flight has ended. */
    public void message(Direction dir, int opcode, byte[] payload) throws IOException, InterruptedException {
        fragments(dir, opcode, payload, List.of(payload.length), false, 0);
    }

    /**
     * One message split into frames of the given {@code sizes} (summing to the payload's length),
     * optionally with a ping between every two fragments and {@code delayMillis} between frames.
     */
    public void fragments(Direction dir, int opcode, byte[] payload, List<Integer> sizes, boolean isPingBetween, long delayMillis)
            throws IOException, InterruptedException {
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("a message is text or binary, not " + Opcode.name(opcode));
        }
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (total != payload.length || sizes.stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("fragment sizes " + sizes + " add up to " + total + ", not the message's "
                    + payload.length + " bytes");
        }
        List<byte[]> frames = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < sizes.size(); i++) {
            boolean isLast = i == sizes.size() - 1;
            byte[] part = Arrays.copyOfRange(payload, off, off + sizes.get(i));
            off += sizes.get(i);
            frames.add(FrameEncoder.frame(isLast, i == 0 ? opcode : Opcode.CONTINUATION, mask(dir), part));
            if (isPingBetween && !isLast) frames.add(FrameEncoder.frame(true, Opcode.PING, mask(dir), ("frag " + (i + 1)).getBytes()));
        }
        if (!session.writer(dir).writeMessage(frames, delayMillis, MESSAGE_WAIT.toMillis())) {
            throw new IllegalStateException("the " + dir.sender() + "'s message in flight did not end within "
                    + MESSAGE_WAIT.toSeconds() + " s; nothing was sent");
        }
        shown(dir, frames.toArray(new byte[0][]));
    }

    /** Bytes exactly as given, at a frame boundary, whatever they say: for testing a peer. */
    public void raw(Direction dir, byte[] bytes) throws IOException {
        session.writer(dir).writeFrame(bytes);
        shown(dir, bytes);
    }

    /** Splits {@code length} bytes into {@code parts} frames as evenly as can be. */
    public static List<Integer> evenParts(int length, int parts) {
        if (parts < 1) throw new IllegalArgumentException("--parts " + parts + " must be at least 1");
        List<Integer> sizes = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) sizes.add(length / parts + (i < length % parts ? 1 : 0));
        return sizes;
    }

    private static Integer mask(Direction dir) {
        return dir == Direction.C2S ? RANDOM.nextInt() : null;
    }

    /**
     * Shows injected frames as they went, read by one parser so that the fragments of a message are
     * seen as one message; the session follows injected pings and closes as it does forwarded ones.
     */
    private void shown(Direction dir, byte[]... frames) {
        FrameParser parser = new FrameParser(dir, 64 * 1024, f -> {
            Duration roundTrip = session.frameSeen(dir, f, true);
            if (tap.isObserved()) tap.emit(new FrameSeen(Instant.now(), session.id(), dir, f, true, roundTrip));
        });
        for (byte[] frame : frames) parser.feed(frame, 0, frame.length);
    }
}
