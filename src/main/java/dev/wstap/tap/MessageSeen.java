package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Utf8Validator;
import dev.wstap.wire.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A whole data message, sent when its final frame has passed ({@link ParsedFrame#endsMessage}):
 * one for every text or binary message. Most are the same as their single frame
 * ({@link #isSameAsFrame}); the others were reassembled from fragments, or inflated
 * (permessage-deflate), or both.
 *
 * @param opcode       text or binary
 * @param fragments    how many frames carried it
 * @param wireLength   payload bytes on the wire, all frames together
 * @param length       the message's length: inflated when compressed
 * @param isCompressed true when it was inflated for display
 * @param preview      its first bytes, reassembled and inflated, at most the preview limit
 * @param violations   what was wrong with the message: for one that is the same as its frame, that
 *                     frame's violations; else what reassembling and inflating found (inflate
 *                     failures, invalid UTF-8 after inflating)
 */
public record MessageSeen(Instant time, int conn, Direction dir, int opcode, int fragments, long wireLength, long length,
                          boolean isCompressed, byte[] preview, List<Violation> violations, boolean isInjected)
        implements TapEvent {

    /**
     * The message that {@code frame}, a final text or binary frame, is by itself, read as it is (not
     * inflated): its preview and violations are the frame's own, not copies.
     */
    public static MessageSeen ofFrame(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected) {
        FrameHeader h = frame.header();
        if (!frame.endsMessage() || h.opcode() == Opcode.CONTINUATION) {
            throw new IllegalArgumentException("a " + Opcode.name(h.opcode()) + (h.isFinal() ? "" : " non-final")
                    + " frame is no message by itself");
        }
        return new MessageSeen(time, conn, dir, h.opcode(), 1, h.payloadLength(), h.payloadLength(), false, frame.preview(),
                frame.violations(), isInjected);
    }

    /** As above, for the frame {@code seen} shows. */
    public static MessageSeen ofFrame(FrameSeen seen) {
        return ofFrame(seen.time(), seen.conn(), seen.dir(), seen.frame(), seen.isInjected());
    }

    /** The same message, timed at {@code when}: the time of the frame that ended it, as it left. */
    public MessageSeen at(Instant when) {
        return new MessageSeen(when, conn, dir, opcode, fragments, wireLength, length, isCompressed, preview, violations, isInjected);
    }

    /**
     * True when this message is its single frame, uncompressed: it says nothing that frame's
     * {@link FrameSeen} does not, so a sink that shows frames may pass it over.
     */
    public boolean isSameAsFrame() {
        return fragments == 1 && !isCompressed;
    }

    public boolean isTruncated() {
        return length > preview.length;
    }

    public boolean isText() {
        return opcode == Opcode.TEXT;
    }

    /** The preview as text when this is a text message whose kept bytes are valid UTF-8, else null. */
    public String text() {
        if (!isText()) return null;
        int end = isTruncated() ? Utf8Validator.withoutCutSequence(preview, preview.length) : preview.length;
        return Utf8Validator.isValidUtf8(preview, 0, end) ? new String(preview, 0, end, StandardCharsets.UTF_8) : null;
    }
}
