package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Utf8Validator;
import dev.wstap.wire.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A whole data message, where it differs from its single frame: reassembled from fragments, or
 * inflated (permessage-deflate), or both. Sent when its final frame has passed.
 *
 * @param opcode       text or binary
 * @param fragments    how many frames carried it
 * @param wireLength   payload bytes on the wire, all frames together
 * @param length       the message's length: inflated when compressed
 * @param isCompressed true when it was inflated for display
 * @param preview      its first bytes, reassembled and inflated, at most the preview limit
 * @param violations   what was wrong with the message as a whole (inflate failures, invalid UTF-8 after inflating)
 */
public record MessageSeen(Instant time, int conn, Direction dir, int opcode, int fragments, long wireLength, long length,
                          boolean isCompressed, byte[] preview, List<Violation> violations, boolean isInjected)
        implements TapEvent {

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
