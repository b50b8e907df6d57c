package dev.wstap.proxy;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames a data message of wstap's making (an edited message, or one that wstap re-compresses)
 * for one direction: masked with a fresh key towards the server, unmasked towards the client; in
 * the fragments of the message it stands for where the sizes still fit ({@link #fragmentSizes}),
 * else in one frame; compressed when the original was, with wstap's own compressor for that
 * direction (RFC 7692, with the window and context takeover agreed for the sender it stands in
 * for). Not thread safe: its {@link Outbox} uses it under its drain lock, in the order frames leave.
 */
final class MessageEncoder {
    private final int conn;
    private final Direction dir;
    private final DeflateParameters agreed;
    private MessageDeflater deflater;

    /** {@code agreed}: the session's permessage-deflate parameters, or null when it agreed to none. */
    MessageEncoder(int conn, Direction dir, DeflateParameters agreed) {
        this.conn = conn;
        this.dir = dir;
        this.agreed = agreed;
    }

    /** Whether a change to a compressed message this way would corrupt the receiver's view of later ones. */
    boolean isContextTakenOver() {
        return agreed != null && !agreed.isNoContextTakeover(dir == Direction.C2S);
    }

    /**
     * The frames of a message with {@code payload} (as the application sees it), standing for one
     * that came in frames of {@code templateSizes} payload bytes.
     *
     * @param isCompressed compress it (only where the session agreed to permessage-deflate)
     * @param message      what observers are told the message was, or null to describe {@code payload}
     */
    List<OutFrame> encode(int opcode, byte[] payload, boolean isCompressed, long[] templateSizes, Fate fate, String note,
                          MessageSeen message) {
        boolean compress = isCompressed && agreed != null;
        byte[] body = compress ? deflater().compress(payload) : payload;
        long[] sizes = fragmentSizes(templateSizes, body.length);
        List<OutFrame> frames = new ArrayList<>(sizes.length);
        int off = 0;
        for (int i = 0; i < sizes.length; i++) {
            boolean isLast = i == sizes.length - 1;
            byte[] part = Arrays.copyOfRange(body, off, off + (int) sizes[i]);
            off += (int) sizes[i];
            int rsv = compress && i == 0 ? FrameHeader.RSV1 : 0;
            frames.add(OutFrame.encode(dir == Direction.C2S, isLast, rsv, i == 0 ? opcode : dev.wstap.wire.Opcode.CONTINUATION,
                    opcode, part, compress, fate, note));
        }
        if (frames.size() > 1 || compress) {
            MessageSeen seen = message != null
                    ? new MessageSeen(message.time(), conn, dir, opcode, frames.size(), body.length, message.length(), compress,
                            message.preview(), message.violations(), false)
                    : new MessageSeen(Instant.now(), conn, dir, opcode, frames.size(), body.length, payload.length, compress,
                            payload.length <= OutFrame.PREVIEW_BYTES ? payload : Arrays.copyOf(payload, OutFrame.PREVIEW_BYTES),
                            List.of(), false);
            OutFrame last = frames.get(frames.size() - 1);
            frames.set(frames.size() - 1, new OutFrame(last.wire(), last.frame(), last.fate(), last.note(), seen));
        }
        return frames;
    }

    private MessageDeflater deflater() {
        if (deflater == null) {
            boolean isC2s = dir == Direction.C2S;
            deflater = new MessageDeflater(agreed.isNoContextTakeover(isC2s), agreed.windowBits(isC2s));
        }
        return deflater;
    }

    /**
     * The payload sizes of the frames for {@code length} bytes standing for a message that came in
     * frames of {@code template} bytes: the same sizes with the last one taking the rest, when the
     * sizes before the last fit into {@code length}; else one frame of {@code length}.
     * Example: template {@code [4, 4, 3]} and 10 bytes give {@code [4, 4, 2]}; 7 bytes give {@code [7]}.
     */
    static long[] fragmentSizes(long[] template, long length) {
        if (template.length <= 1) return new long[] {length};
        long before = 0;
        for (int i = 0; i < template.length - 1; i++) before += template[i];
        if (before > length) return new long[] {length};
        long[] sizes = Arrays.copyOf(template, template.length);
        sizes[sizes.length - 1] = length - before;
        return sizes;
    }
}
