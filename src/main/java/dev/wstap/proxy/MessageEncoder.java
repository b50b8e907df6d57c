package dev.wstap.proxy;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Fragmentation;
import dev.wstap.wire.LengthEncoding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames a data message of wstap's making (an edited message, or one that wstap re-compresses)
 * for one direction: masked with a fresh key towards the server, unmasked towards the client; in
 * the fragments of the message it stands for where the sizes still fit ({@link Fragmentation#sizesLike}),
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
        long[] sizes = Fragmentation.sizesLike(templateSizes, body.length);
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

    /**
     * Frames a handler reshaped ({@code fragment}, {@code set}, {@code corrupt}) from a compressed
     * message's bytes as the sender compressed them, made right for a receiver that now follows
     * wstap's compressor: {@code payload} (the message inflated) compressed by wstap and cut along
     * the reshaped data frames, each keeping its header bits, mask or none, and length form; the
     * control frames between them stay where they were. When the new bytes do not fill the frames
     * but the last, the data goes in one frame with the first one's bits and the last one's FIN.
     */
    List<OutFrame> reslice(List<OutFrame> shaped, byte[] payload) {
        byte[] body = deflater().compress(payload);
        List<OutFrame> data = shaped.stream().filter(f -> !f.isControl()).toList();
        long[] template = data.stream().mapToLong(f -> f.frame().header().payloadLength()).toArray();
        long[] sizes = Fragmentation.sizesLike(template, body.length);
        List<OutFrame> out = new ArrayList<>(shaped.size());
        if (sizes.length != data.size()) {
            FrameHeader first = data.get(0).frame().header();
            out.add(like(data.get(0), first.opcode(), data.get(data.size() - 1).frame().header().isFinal(), body));
            shaped.stream().filter(OutFrame::isControl).forEach(out::add);
            return out;
        }
        int next = 0;
        int off = 0;
        for (OutFrame f : shaped) {
            if (f.isControl()) {
                out.add(f);
                continue;
            }
            byte[] part = Arrays.copyOfRange(body, off, off + (int) sizes[next]);
            off += (int) sizes[next++];
            out.add(like(f, f.frame().header().opcode(), f.frame().header().isFinal(), part));
        }
        return out;
    }

    /** A frame like {@code f} (RSV bits, mask or none, length form where it still fits) with another payload. */
    private static OutFrame like(OutFrame f, int opcode, boolean isFinal, byte[] payload) {
        FrameHeader h = f.frame().header();
        LengthEncoding encoding = Fragmentation.lengthFormLike(h.lengthEncoding(), h.payloadLength(), payload.length);
        return OutFrame.exactly(isFinal, h.rsv(), opcode, f.frame().messageOpcode(), h.isMasked() ? OutFrame.randomMask() : null, payload,
                encoding, f.frame().isCompressed(), f.fate(), f.note());
    }

    private MessageDeflater deflater() {
        if (deflater == null) {
            boolean isC2s = dir == Direction.C2S;
            deflater = new MessageDeflater(agreed.isNoContextTakeover(isC2s), agreed.windowBits(isC2s));
        }
        return deflater;
    }
}
