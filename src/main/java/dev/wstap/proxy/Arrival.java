package dev.wstap.proxy;

import dev.wstap.filter.Expr;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.wire.Direction;
import java.time.Instant;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * What a {@link FrameHandler} decides on: a whole frame, or the frames of a whole data message as
 * they arrived, with what wstap made of them.
 *
 * @param frames   the frames, in order, bytes exactly as they arrived
 * @param message  for a data message, the message as the session follows it (reassembled and
 *                 inflated, its preview bounded like every observer's); null for a control frame or
 *                 where no message is followed
 * @param inflated for a compressed message, its whole payload inflated; null when it is not
 *                 compressed, or did not inflate, or inflated beyond what is kept
 */
public record Arrival(List<WholeFrame> frames, MessageSeen message, byte[] inflated) {

    public Arrival {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) throw new IllegalArgumentException("an arrival has at least one frame");
    }

    /** Whether it is compressed with permessage-deflate: RSV1 on its first frame, in a session that agreed to it. */
    public boolean isCompressed() {
        return message != null && message.isCompressed();
    }

    /** The opcode of the message (text, binary) or control frame. */
    public int opcode() {
        return frames.get(0).header().opcode();
    }

    /**
     * The payload as the application sees it: unmasked, the fragments joined, inflated when
     * compressed; null when a compressed message could not be inflated whole.
     */
    public byte[] payload() {
        if (isCompressed()) return inflated;
        if (frames.size() == 1) return frames.get(0).payload();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WholeFrame f : frames) out.writeBytes(f.payload());
        return out.toByteArray();
    }

    /** The frames' payloads joined and unmasked, as they arrived: still compressed when the message is. */
    public byte[] framePayloads() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WholeFrame f : frames) out.writeBytes(f.payload());
        return out.toByteArray();
    }

    /**
     * Whether a filter expression matches it, as intercept and rules read one: the message's record,
     * or the record of any of its frames (so {@code fin:0} matches a fragmented message).
     */
    public boolean matches(Expr expr, int conn, Direction dir, Opened session) {
        if (message != null && expr.matches(message, session)) return true;
        Instant now = Instant.now();
        for (WholeFrame f : frames) {
            if (expr.matches(new FrameSeen(now, conn, dir, f.frame(), Fate.FORWARDED, null, null), session)) return true;
        }
        return false;
    }

    /** Bytes on the wire, headers included. */
    public long wireBytes() {
        long n = 0;
        for (WholeFrame f : frames) n += f.wire().length;
        return n;
    }
}
