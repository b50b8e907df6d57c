package dev.wstap.rules;

import dev.wstap.proxy.Arrival;
import dev.wstap.proxy.Injector;
import dev.wstap.proxy.OutFrame;
import dev.wstap.proxy.WholeFrame;
import dev.wstap.tap.Fate;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames that the shape actions {@code fragment}, {@code set} and {@code corrupt} send in
 * place of what arrived: the same payload bytes (still compressed when the message was) in other
 * frames, masked with a fresh key towards the server unless the corruption is the mask itself.
 * Pure: an arrival in, frames out.
 */
final class Reshaping {
    private Reshaping() {}

    /** The message in {@code parts} frames (fewer when it is shorter), with a ping between each two when asked. */
    static List<OutFrame> fragment(Arrival a, boolean isToServer, int parts, boolean isPingBetween, String note) {
        byte[] payload = a.framePayloads();
        FrameHeader first = a.frames().get(0).header();
        List<Integer> sizes = Injector.evenParts(payload.length, Math.max(1, Math.min(parts, Math.max(1, payload.length))));
        List<OutFrame> out = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < sizes.size(); i++) {
            boolean isLast = i == sizes.size() - 1;
            byte[] part = Arrays.copyOfRange(payload, off, off + sizes.get(i));
            off += sizes.get(i);
            out.add(OutFrame.encode(isToServer, isLast, i == 0 ? first.rsv() : 0, i == 0 ? first.opcode() : Opcode.CONTINUATION,
                    first.opcode(), part, a.isCompressed(), Fate.EDITED, note));
            if (isPingBetween && !isLast) {
                out.add(OutFrame.control(isToServer, Opcode.PING, ("rule ping " + (i + 1)).getBytes(StandardCharsets.UTF_8), Fate.INSERTED, note));
            }
        }
        return out;
    }

    /** The frames with another opcode (the first), RSV bits (each) or FIN (the last); null keeps a field. */
    static List<OutFrame> set(Arrival a, boolean isToServer, Integer opcode, Integer rsv, Boolean fin, String note) {
        List<OutFrame> out = new ArrayList<>();
        List<WholeFrame> frames = a.frames();
        for (int i = 0; i < frames.size(); i++) {
            FrameHeader h = frames.get(i).header();
            boolean isLast = i == frames.size() - 1;
            int op = i == 0 && opcode != null ? opcode : h.opcode();
            out.add(OutFrame.exactly(isLast && fin != null ? fin : h.isFinal(), rsv != null ? rsv : h.rsv(), op,
                    opcode != null ? opcode : a.opcode(), isToServer ? OutFrame.randomMask() : null, frames.get(i).payload(),
                    LengthEncoding.minimalFor(frames.get(i).payload().length), a.isCompressed(), Fate.EDITED, note));
        }
        return out;
    }

    /** What {@code corrupt} sends: one deliberately malformed frame or message. */
    static List<OutFrame> corrupt(Arrival a, boolean isToServer, Action.Corruption how, String note) {
        Integer mask = isToServer ? OutFrame.randomMask() : null;
        FrameHeader first = a.frames().get(0).header();
        return switch (how) {
            case INVALID_UTF8 -> {
                // The text as the application sees it, then C3 28: a two-byte sequence cut short (RFC 3629), sent
                // uncompressed so that it reaches the receiver's UTF-8 check as written.
                byte[] text = a.payload() != null ? a.payload() : a.framePayloads();
                byte[] bad = Arrays.copyOf(text, text.length + 2);
                bad[text.length] = (byte) 0xC3;
                bad[text.length + 1] = 0x28;
                yield List.of(OutFrame.exactly(true, 0, Opcode.TEXT, Opcode.TEXT, mask, bad, LengthEncoding.minimalFor(bad.length),
                        false, Fate.EDITED, note));
            }
            case BAD_RSV -> {
                // RSV2 on every frame, each keeping its own other bits (RSV1 stays on the first frame only).
                List<OutFrame> out = new ArrayList<>();
                List<WholeFrame> frames = a.frames();
                for (int i = 0; i < frames.size(); i++) {
                    FrameHeader h = frames.get(i).header();
                    byte[] payload = frames.get(i).payload();
                    out.add(OutFrame.exactly(h.isFinal(), h.rsv() | FrameHeader.RSV2, h.opcode(), a.opcode(),
                            isToServer ? OutFrame.randomMask() : null, payload, LengthEncoding.minimalFor(payload.length),
                            a.isCompressed(), Fate.EDITED, note));
                }
                yield out;
            }
            case BAD_LENGTH, FLIP_MASK -> {
                // One frame: the length in the 64-bit form, or the mask the wrong way round (none towards the server).
                byte[] payload = a.framePayloads();
                boolean isFlip = how == Action.Corruption.FLIP_MASK;
                Integer m = isFlip ? (isToServer ? null : OutFrame.randomMask()) : mask;
                LengthEncoding encoding = isFlip ? LengthEncoding.minimalFor(payload.length) : LengthEncoding.BITS_64;
                yield List.of(OutFrame.exactly(true, first.rsv(), first.opcode(), first.opcode(), m, payload, encoding, a.isCompressed(),
                        Fate.EDITED, note));
            }
        };
    }
}
