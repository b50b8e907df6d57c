package dev.wstap.proxy;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.http.Extensions;
import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Tap;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Masking;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    private final Session session;
    private final Tap tap;

    public Injector(Session session) {
        this.tap = session.tap();
        this.session = session;
    }

    /** A ping or pong (or close, via {@link #close}); at most 125 bytes of payload (RFC 6455 §5.5). */
    public void control(Direction dir, int opcode, byte[] payload) throws IOException {
        checkControl(opcode, payload);
        OutFrame frame = OutFrame.control(dir == Direction.C2S, opcode, payload, Fate.INJECTED, null);
        Writer writer = session.writer(dir);
        if (opcode == Opcode.CLOSE) {
            writer.sealWithClose(frame);
            writer.flushPendingClose();
        } else {
            writer.sendNow(frame);
        }
    }

    /** Refuses what {@link #control} would refuse, before there is a session to send it in. */
    public static void checkControl(int opcode, byte[] payload) {
        if (!Opcode.isControl(opcode)) throw new IllegalArgumentException(Opcode.name(opcode) + " is not a control opcode");
        if (payload.length > FrameHeader.MAX_CONTROL_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(Opcode.name(opcode) + " payload of " + payload.length
                    + " bytes is over 125 (RFC 6455 §5.5); use raw to send one anyway");
        }
    }

    /** A close frame with a code that may be sent (RFC 6455 §7.4.1) and a reason; or none with {@code code} -1. */
    public void close(Direction dir, int code, String reason) throws IOException {
        control(dir, Opcode.CLOSE, closePayload(code, reason));
    }

    /**
     * A close frame each way, as wstap sends when it stops. Both directions are sealed before either
     * close goes, or a peer's answer to the first could slip through to the other peer before
     * wstap's close got there, and that peer would get two. Each side is sealed and sent its close
     * on a thread of its own, so that a peer that does not read holds up nothing; a direction whose
     * seal waits longer than {@code sealWait} (a frame still streaming through) does not hold up
     * the other's close. Directions that had a close already are left alone.
     */
    public void closeBothWays(int code, String reason, Duration sealWait) {
        byte[] payload = closePayload(code, reason);
        List<Direction> open = new ArrayList<>(2);
        for (Direction dir : Direction.values()) {
            if (!session.hasSentClose(dir)) open.add(dir);
        }
        java.util.concurrent.CountDownLatch sealed = new java.util.concurrent.CountDownLatch(open.size());
        for (Direction dir : open) {
            Thread.ofVirtual().name("wstap-" + session.id() + "-close-" + dir.label()).start(() -> {
                Writer writer = session.writer(dir);
                writer.sealWithClose(OutFrame.control(dir == Direction.C2S, Opcode.CLOSE, payload, Fate.INJECTED, null));
                sealed.countDown();
                try {
                    sealed.await(sealWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    writer.flushPendingClose();
                } catch (IOException | InterruptedException e) {
                    // That side is gone already: dropping the connection says the rest.
                }
            });
        }
    }

    /** The payload of a close frame {@link #close} would send, or why it would not. */
    public static byte[] closePayload(int code, String reason) {
        if (code != -1 && !CloseCode.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " (" + CloseCode.name(code) + ") may not be sent (RFC 6455 §7.4.1); "
                    + "use raw to send one anyway");
        }
        if (code == -1 && !reason.isEmpty()) throw new IllegalArgumentException("a close reason needs a code before it");
        byte[] payload = code == -1 ? new byte[0] : new ClosePayload(code, reason).encode();
        checkControl(Opcode.CLOSE, payload);
        return payload;
    }

    /** A whole message in one frame, once the forwarded message in flight has ended. */
    public void message(Direction dir, int opcode, byte[] payload) throws IOException, InterruptedException {
        fragments(dir, opcode, payload, List.of(payload.length), false, 0);
    }

    /**
     * The payload a message goes out with when {@code --compress} asks for it: compressed for the
     * session's {@code permessage-deflate} (see {@link MessageDeflater} for when that is refused).
     */
    public byte[] compressed(Direction dir, byte[] message) {
        DeflateParameters agreed = DeflateParameters.fromResponse(session.opened().extensions());
        String refusal = MessageDeflater.refusal(agreed, dir == Direction.C2S);
        if (refusal != null) throw new IllegalArgumentException(refusal);
        return new MessageDeflater(true, agreed.windowBits(dir == Direction.C2S)).compress(message);
    }

    /**
     * One message split into frames of the given {@code sizes} (summing to the payload's length),
     * optionally with a ping between every two fragments and {@code delayMillis} between frames.
     */
    public void fragments(Direction dir, int opcode, byte[] payload, List<Integer> sizes, boolean isPingBetween, long delayMillis)
            throws IOException, InterruptedException {
        fragments(dir, opcode, payload, null, sizes, isPingBetween, delayMillis);
    }

    /**
     * As above; with {@code uncompressed} given, {@code payload} is that message compressed (see
     * {@link #compressed}), the first frame carries RSV1 (RFC 7692 §6) and the message is shown
     * as it reads uncompressed.
     */
    public void fragments(Direction dir, int opcode, byte[] payload, byte[] uncompressed, List<Integer> sizes,
                          boolean isPingBetween, long delayMillis) throws IOException, InterruptedException {
        boolean isCompressed = uncompressed != null;
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("a message is text or binary, not " + Opcode.name(opcode));
        }
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        if (total != payload.length || sizes.stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("fragment sizes " + sizes + " add up to " + total + ", not the message's "
                    + payload.length + " bytes" + (isCompressed ? " (compressed)" : ""));
        }
        List<OutFrame> frames = new ArrayList<>();
        boolean isToServer = dir == Direction.C2S;
        int off = 0;
        for (int i = 0; i < sizes.size(); i++) {
            boolean isLast = i == sizes.size() - 1;
            byte[] part = Arrays.copyOfRange(payload, off, off + sizes.get(i));
            off += sizes.get(i);
            int rsv = isCompressed && i == 0 ? FrameHeader.RSV1 : 0;
            frames.add(OutFrame.encode(isToServer, isLast, rsv, i == 0 ? opcode : Opcode.CONTINUATION, opcode, part, isCompressed,
                    Fate.INJECTED, null));
            if (isPingBetween && !isLast) {
                frames.add(OutFrame.control(isToServer, Opcode.PING, ("frag " + (i + 1)).getBytes(StandardCharsets.UTF_8), Fate.INJECTED, null));
            }
        }
        // Each frame is shown as it goes, before the peer can answer it.
        if (!session.writer(dir).writeMessage(frames, delayMillis, MESSAGE_WAIT.toMillis())) {
            throw new IllegalStateException("the " + dir.sender() + "'s message in flight did not end within "
                    + MESSAGE_WAIT.toSeconds() + " s; nothing was sent");
        }
        if ((isCompressed || sizes.size() > 1) && tap.isObserved()) { // a single plain frame was shown as a message already
            byte[] message = isCompressed ? uncompressed : payload;
            byte[] preview = Arrays.copyOf(message, Math.min(message.length, OutFrame.PREVIEW_BYTES));
            tap.emit(new MessageSeen(Instant.now(), session.id(), dir, opcode, sizes.size(), payload.length,
                    message.length, isCompressed, preview, List.of(), true));
        }
    }

    /**
     * Bytes exactly as given, at a frame boundary, whatever they say: for testing a peer.
     *
     * @return null, or a warning when the bytes end inside their frame (a header whose length
     *     promises more than was sent): the peer will take what comes next that way as the rest of it
     */
    public String raw(Direction dir, byte[] bytes) throws IOException {
        // Raw bytes are the user's, not wstap's encoding: they are parsed to be shown, however wrong.
        List<ParsedFrame> frames = new ArrayList<>();
        FrameHeader[] header = {null};
        FrameParser parser = new FrameParser(dir, OutFrame.PREVIEW_BYTES, new FrameListener() {
            @Override
            public void onHeader(FrameHeader h) {
                header[0] = h;
            }

            @Override
            public void onFrame(ParsedFrame f) {
                frames.add(f);
            }
        });
        parser.allowRsv(Extensions.rsvBits(session.opened().extensions()));
        parser.feed(bytes, 0, bytes.length);
        String warning = null;
        if (!parser.isBetweenFrames()) {
            FrameHeader h = header[0];
            if (h == null) {
                warning = "the bytes end inside a frame header: the " + dir.receiver() + " takes what comes next as the rest of it";
            } else {
                byte[] payload = Arrays.copyOfRange(bytes, (int) Math.min(bytes.length, parser.frameStart() + h.encodedLength()), bytes.length);
                if (h.isMasked()) Masking.apply(payload, 0, payload, 0, payload.length, h.maskKey(), 0);
                frames.add(new ParsedFrame(h, payload, h.opcode(), false, parser.headerViolations()));
                warning = "the header says " + h.lengthText() + " bytes but " + payload.length + " were sent: the " + dir.receiver()
                        + " takes what comes next that way as the rest of this frame";
            }
        }
        session.writer(dir).writeRaw(bytes, frames);
        return warning;
    }

    /** Splits {@code length} bytes into {@code parts} frames as evenly as can be. */
    public static List<Integer> evenParts(int length, int parts) {
        if (parts < 1) throw new IllegalArgumentException("--parts " + parts + " must be at least 1");
        List<Integer> sizes = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) sizes.add(length / parts + (i < length % parts ? 1 : 0));
        return sizes;
    }
}
