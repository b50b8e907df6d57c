package dev.wstap.wire;

import java.util.List;

/**
 * A frame the parser has seen to its end.
 *
 * @param header        the header as it was on the wire
 * @param preview       the first bytes of the payload, unmasked: at most the parser's preview limit
 *                      (at least 125 for control frames)
 * @param messageOpcode the opcode of the message this frame belongs to: its own for a first or
 *                      control frame, the starting frame's for a continuation, -1 for a
 *                      continuation that has no message to continue
 * @param isCompressed  true when the frame belongs to a message compressed by an agreed extension
 *                      (its first frame had RSV1 set under permessage-deflate): the payload is
 *                      not readable as it is
 * @param violations    the rules this frame broke, in the order they were found
 */
public record ParsedFrame(FrameHeader header, byte[] preview, int messageOpcode, boolean isCompressed,
                          List<Violation> violations) {

    /** True when the payload was longer than the preview kept of it. */
    public boolean isTruncated() {
        return header.payloadLength() != preview.length;
    }

    /**
     * True when this frame carries part of a text or binary message: it is a text or binary frame,
     * or a continuation of one. Control frames, reserved opcodes and a continuation of nothing
     * carry none.
     */
    public boolean isPartOfMessage() {
        return Opcode.isMessage(messageOpcode);
    }

    /**
     * The one rule for what ends a data message, for everything in wstap that counts or shows
     * messages. RFC 6455 §5.4: a message is a text or binary frame with FIN set, or such a frame
     * without FIN followed by continuations, the last with FIN set; control frames may come in
     * between and belong to no message. So a message ends with a final frame that is part of one
     * ({@link #isPartOfMessage}): a final continuation of nothing, a final frame with a reserved
     * opcode and every control frame end none.
     */
    public boolean endsMessage() {
        return header.isFinal() && isPartOfMessage();
    }

    /**
     * True when this frame is a whole message by itself, as it reads: a final text or binary frame,
     * not compressed. A message event for it says nothing its frame does not.
     */
    public boolean isWholeMessage() {
        return endsMessage() && header.opcode() != Opcode.CONTINUATION && !isCompressed;
    }

    /** True when this frame's payload belongs to a text message (or is a text frame). */
    public boolean isText() {
        return messageOpcode == Opcode.TEXT;
    }

    /**
     * The preview as a string when this frame carries text that is valid UTF-8, else null. A
     * multi-byte sequence cut off by the preview limit or a fragment boundary is left out, since
     * it may well continue beyond; a compressed frame is not text until inflated.
     */
    public String text() {
        int end = textLength();
        return end < 0 ? null : new String(preview, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * How many bytes of the preview {@link #text()} reads: its UTF-8 as it is, for writers that
     * need no {@code String}; -1 when this frame carries no readable text.
     */
    public int textLength() {
        if (!isText() || isCompressed) return -1;
        Utf8Validator v = new Utf8Validator();
        if (!v.feed(preview, 0, preview.length)) return -1;
        int end = preview.length;
        if (!v.isComplete()) {
            if (header.isFinal() && !isTruncated()) return -1;
            end = Utf8Validator.withoutCutSequence(preview, end);
        }
        return end;
    }

    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    /** The close code and reason when this is a close frame, else null. */
    public ClosePayload closePayload() {
        return header.opcode() == Opcode.CLOSE ? ClosePayload.parse(preview) : null;
    }
}
