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
        if (!isText() || isCompressed) return null;
        Utf8Validator v = new Utf8Validator();
        if (!v.feed(preview, 0, preview.length)) return null;
        int end = preview.length;
        if (!v.isComplete()) {
            if (header.isFinal() && !isTruncated()) return null;
            end = Utf8Validator.withoutCutSequence(preview, end);
        }
        return new String(preview, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    /** The close code and reason when this is a close frame, else null. */
    public ClosePayload closePayload() {
        return header.opcode() == Opcode.CLOSE ? ClosePayload.parse(preview) : null;
    }
}
