package dev.wstap.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol rules of RFC 6455 for one direction of one connection. It knows which side sends
 * (and so whether frames must be masked), which RSV bits a negotiated extension allows, and where
 * the current message stands; it only reports, never rejects. Not thread safe.
 */
final class FrameValidator {
    private final Direction direction;
    private final Utf8Validator utf8 = new Utf8Validator();
    private int allowedRsv;

    private int messageOpcode = -1;
    private boolean isValidatingUtf8;
    private boolean isMessageCompressed;
    private boolean isFrameCompressed;
    private boolean isCloseSeen;

    private List<Violation> found;
    private int frameMessageOpcode;
    private boolean isFeedingUtf8;

    FrameValidator(Direction direction) {
        this.direction = direction;
    }

    void allowRsv(int rsvBits) {
        this.allowedRsv = rsvBits;
    }

    boolean isInsideMessage() {
        return messageOpcode != -1;
    }

    /** Checks a header as soon as it is complete; returns true when the payload should be fed to {@link #payload}. */
    boolean header(FrameHeader h) {
        found = null;
        int opcode = h.opcode();
        // RFC 6455 §5.5.1: after its close, a side sends no more data frames (control frames may follow).
        if (isCloseSeen && !Opcode.isControl(opcode)) {
            add(Violation.Rule.FRAME_AFTER_CLOSE, Opcode.name(opcode) + " frame after the " + direction.sender() + "'s close frame");
        }
        checkMask(h);
        checkLength(h);
        if (Opcode.isReserved(opcode)) {
            add(Violation.Rule.RESERVED_OPCODE, "opcode 0x" + Integer.toHexString(opcode) + " is reserved");
        }
        boolean startsDataMessage = opcode == Opcode.TEXT || opcode == Opcode.BINARY;
        int disallowedRsv = startsDataMessage ? h.rsv() & ~allowedRsv : h.rsv();
        if (disallowedRsv != 0) {
            add(Violation.Rule.RSV_WITHOUT_EXTENSION, "RSV bits " + rsvNames(disallowedRsv) + " set on a "
                    + Opcode.name(opcode) + " frame without a negotiated extension that defines them");
        }
        isFeedingUtf8 = false;
        isFrameCompressed = false;
        if (Opcode.isControl(opcode)) {
            checkControl(h);
            frameMessageOpcode = opcode;
        } else if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode == -1) {
                add(Violation.Rule.CONTINUATION_WITHOUT_START, "continuation frame with no fragmented message in progress");
            }
            frameMessageOpcode = messageOpcode;
            isFrameCompressed = messageOpcode != -1 && isMessageCompressed;
            isFeedingUtf8 = isValidatingUtf8 && utf8.isValid();
            if (h.isFinal()) messageOpcode = -1;
        } else if (startsDataMessage) {
            if (messageOpcode != -1) {
                add(Violation.Rule.DATA_FRAME_INSIDE_MESSAGE, Opcode.name(opcode) + " frame while a fragmented "
                        + Opcode.name(messageOpcode) + " message is unfinished");
            }
            frameMessageOpcode = opcode;
            messageOpcode = h.isFinal() ? -1 : opcode;
            isMessageCompressed = (h.rsv() & allowedRsv & FrameHeader.RSV1) != 0;
            isFrameCompressed = isMessageCompressed;
            isValidatingUtf8 = opcode == Opcode.TEXT && !isMessageCompressed;
            utf8.reset();
            isFeedingUtf8 = isValidatingUtf8;
        } else {
            frameMessageOpcode = opcode;
        }
        return isFeedingUtf8;
    }

    /** Unmasked payload of a frame for which {@link #header} returned true. */
    void payload(byte[] bytes, int off, int len) {
        if (isFeedingUtf8 && !utf8.feed(bytes, off, len)) {
            isFeedingUtf8 = false;
            add(Violation.Rule.INVALID_UTF8, "text message has an invalid UTF-8 byte at offset " + utf8.errorPosition());
        }
    }

    /** Ends the frame; returns its violations. */
    List<Violation> end(FrameHeader h, byte[] preview) {
        if (isValidatingUtf8 && h.isFinal() && !h.isControl() && frameMessageOpcode == Opcode.TEXT) {
            // A length with its top bit set (RFC 6455 §5.2) never ends, and neither does its message:
            // no character of it is cut off.
            if (utf8.isValid() && !utf8.isComplete() && h.payloadLength() >= 0) {
                add(Violation.Rule.INVALID_UTF8, "text message ends inside a multi-byte UTF-8 sequence");
            }
            isValidatingUtf8 = false;
        }
        if (h.opcode() == Opcode.CLOSE) {
            checkClosePayload(h, preview);
            isCloseSeen = true;
        }
        List<Violation> result = found == null ? List.of() : List.copyOf(found);
        found = null;
        return result;
    }

    boolean isFrameCompressed() {
        return isFrameCompressed;
    }

    /** The violations found so far in the current frame: its header's, once the header is in. */
    List<Violation> foundSoFar() {
        return found == null ? List.of() : List.copyOf(found);
    }

    int frameMessageOpcode() {
        return frameMessageOpcode;
    }

    private void checkMask(FrameHeader h) {
        if (direction.requiresMask() && !h.isMasked()) {
            add(Violation.Rule.CLIENT_FRAME_UNMASKED, "client frame is not masked");
        } else if (!direction.requiresMask() && h.isMasked()) {
            add(Violation.Rule.SERVER_FRAME_MASKED, "server frame is masked with key " + h.maskHex());
        }
    }

    private void checkLength(FrameHeader h) {
        long len = h.payloadLength();
        if (len < 0) {
            add(Violation.Rule.LENGTH_TOP_BIT_SET, "frame length 0x" + Long.toHexString(len) + " has its top bit set");
        } else if (h.lengthEncoding() != LengthEncoding.minimalFor(len)) {
            add(Violation.Rule.NON_MINIMAL_LENGTH, "length " + len + " written in the "
                    + (h.lengthEncoding() == LengthEncoding.BITS_16 ? "16" : "64") + "-bit form");
        }
    }

    private void checkControl(FrameHeader h) {
        if (Long.compareUnsigned(h.payloadLength(), FrameHeader.MAX_CONTROL_PAYLOAD_BYTES) > 0) {
            add(Violation.Rule.CONTROL_FRAME_TOO_LONG, Opcode.name(h.opcode()) + " of " + h.lengthText()
                    + " bytes exceeds " + FrameHeader.MAX_CONTROL_PAYLOAD_BYTES);
        }
        if (!h.isFinal()) {
            add(Violation.Rule.CONTROL_FRAME_FRAGMENTED, Opcode.name(h.opcode()) + " frame without FIN");
        }
    }

    private void checkClosePayload(FrameHeader h, byte[] preview) {
        if (h.payloadLength() == 1) {
            add(Violation.Rule.CLOSE_PAYLOAD_ONE_BYTE, "close payload of one byte cannot hold a status code");
            return;
        }
        if (preview.length < 2) return;
        ClosePayload close = ClosePayload.parse(preview);
        if (!CloseCode.isSendable(close.code())) {
            add(Violation.Rule.INVALID_CLOSE_CODE, "close code " + close.code() + " (" + CloseCode.name(close.code())
                    + ") may not be sent");
        }
        // A close frame over 125 bytes may be cut short in the preview: judge only the bytes kept.
        Utf8Validator reason = new Utf8Validator();
        boolean isWhole = preview.length == h.payloadLength();
        if (!reason.feed(preview, 2, preview.length - 2) || (isWhole && !reason.isComplete())) {
            add(Violation.Rule.INVALID_UTF8, "close reason is not valid UTF-8");
        }
    }

    private void add(Violation.Rule rule, String detail) {
        if (found == null) found = new ArrayList<>(2);
        found.add(new Violation(rule, detail));
    }

    private static String rsvNames(int bits) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            if ((bits & (8 >> i)) != 0) s.append(s.isEmpty() ? "" : "+").append("RSV").append(i);
        }
        return s.toString();
    }
}
