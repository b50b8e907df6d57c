package dev.wstap.proxy;

import dev.wstap.deflate.MessageInflater;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Masking;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Utf8Validator;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the data messages of one direction as their frames pass and reports each one whole when
 * its final frame has passed ({@link ParsedFrame#endsMessage}): a single uncompressed frame as it
 * is, its preview shared, not copied; a fragmented one with the previews of its fragments joined;
 * a compressed one inflated (RFC 7692). What it keeps is bounded by the preview limit. For display
 * and log only: forwarding never waits for it to succeed. Not thread safe: one per pump.
 */
final class MessageAssembler {
    private static final int SCRATCH_BYTES = 16 * 1024;

    private final int conn;
    private final Direction dir;
    private final int maxPreviewBytes;
    private final MessageInflater inflater;

    private FrameHeader current;
    private boolean isInMessage;
    private int opcode;
    private int fragments;
    private long wireLength;
    private boolean isCompressed;
    /** The previews of an uncompressed message's fragments so far; null until a fragment is not its message's last. */
    private ByteArrayOutputStream kept;
    private byte[] scratch;
    /** The whole inflated payload of the last compressed message, when it was asked for and fitted; else null. */
    private byte[] lastWhole;

    /** {@code inflater} null when the session agreed to no compression. */
    MessageAssembler(int conn, Direction dir, int maxPreviewBytes, MessageInflater inflater) {
        this.conn = conn;
        this.dir = dir;
        this.maxPreviewBytes = maxPreviewBytes;
        this.inflater = inflater;
    }

    void onHeader(FrameHeader h) {
        current = h;
        int op = h.opcode();
        if (!Opcode.isMessage(op)) return;
        // A new data frame starts a message, even inside an unfinished one (a violation the validator reports).
        isInMessage = true;
        opcode = op;
        fragments = 0;
        wireLength = 0;
        isCompressed = inflater != null && (h.rsv() & FrameHeader.RSV1) != 0;
        kept = null;
        lastWhole = null;
        if (isCompressed) inflater.start();
    }

    /**
     * Keeps the whole of the compressed message that has just begun, inflated, up to {@code maxBytes}
     * ({@link #takeLastWhole} after it ended); nothing for an uncompressed one, whose frames say it all.
     */
    void keepWhole(long maxBytes) {
        if (isInMessage && isCompressed && fragments == 0) inflater.keepUpTo(maxBytes);
    }

    /** Whether the message now being followed is compressed. */
    boolean isCompressed() {
        return isInMessage && isCompressed;
    }

    /**
     * The whole inflated payload of the compressed message that ended last, if {@link #keepWhole}
     * asked for it and it inflated without error within the limit; else null.
     */
    byte[] takeLastWhole() {
        byte[] whole = lastWhole;
        lastWhole = null; // held only by whoever took it: an idle session keeps no large copy
        return whole;
    }

    void onPayload(byte[] bytes, int off, int len, long position) {
        if (!isInMessage || !isCompressed || !isMessageFrame(current)) return;
        if (scratch == null) scratch = new byte[SCRATCH_BYTES];
        Masking.unmasked(bytes, off, len, current.isMasked(), current.maskKey(), position, scratch, inflater::feed);
    }

    /** The whole message when {@code frame} ended one, else null. */
    MessageSeen onFrame(ParsedFrame frame) {
        FrameHeader h = frame.header();
        if (!isInMessage || !isMessageFrame(h)) return null;
        fragments++;
        wireLength += Math.max(0, h.payloadLength());
        boolean isEnd = frame.endsMessage();
        if (isEnd && fragments == 1 && !isCompressed) {
            isInMessage = false;
            return MessageSeen.ofFrame(Instant.now(), conn, dir, frame, false); // nothing to join: the frame's preview will do
        }
        if (!isCompressed) {
            if (kept == null) kept = new ByteArrayOutputStream(Math.min(maxPreviewBytes, 1024));
            kept.write(frame.preview(), 0, Math.min(frame.preview().length, maxPreviewBytes - kept.size()));
        }
        if (!isEnd) return null;
        isInMessage = false;
        List<Violation> violations = new ArrayList<>(1);
        byte[] preview;
        long length;
        if (isCompressed) {
            MessageInflater.Inflated inflated = inflater.finish();
            preview = inflated.preview();
            length = inflated.size();
            if (inflated.error() == null && !inflated.isTruncated()) lastWhole = preview;
            if (preview.length > maxPreviewBytes) preview = java.util.Arrays.copyOf(preview, maxPreviewBytes);
            if (inflated.error() != null) {
                violations.add(new Violation(Violation.Rule.INFLATE_FAILED, "compressed message: " + inflated.error()));
            } else if (opcode == Opcode.TEXT && !isValidText(preview, length)) {
                violations.add(new Violation(Violation.Rule.INVALID_UTF8, "inflated text message is not valid UTF-8"));
            }
        } else {
            preview = kept.toByteArray();
            length = wireLength;
        }
        kept = null;
        return new MessageSeen(Instant.now(), conn, dir, opcode, fragments, wireLength, length, isCompressed, preview,
                List.copyOf(violations), false);
    }

    /** Text whose kept bytes are valid UTF-8; a character cut off by the preview limit is no fault. */
    private static boolean isValidText(byte[] preview, long length) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(preview, 0, preview.length) && (v.isComplete() || length > preview.length);
    }

    /** Data and continuation frames carry the message; control frames and reserved opcodes may come between them. */
    private static boolean isMessageFrame(FrameHeader h) {
        return Opcode.isMessage(h.opcode()) || h.opcode() == Opcode.CONTINUATION;
    }
}
