package dev.wstap.autobahn.compression;

import dev.wstap.deflate.MessageDeflater;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one peer sends in a case, frame by frame, and what wstap must report about it: one record
 * per frame (with the violations it must name, none for a fine frame) and one per message that is
 * compressed or fragmented. A client's frames are masked, each with a key of its own from a fixed
 * seed; a server's are bare.
 *
 * <p>Example: {@code new PeerScript(Direction.C2S).compressed(deflater, Opcode.TEXT, utf8("Hello"), 0).close()}.
 */
final class PeerScript {
    /** RSV1, the "Per-Message Compressed" bit, in the header's first byte (RFC 7692 §6). */
    static final int RSV1 = 0x40;
    static final int FIN = 0x80;

    private final Direction sender;
    private final SplittableRandom masks;
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final List<String> frames = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    PeerScript(Direction sender) {
        this.sender = sender;
        this.masks = new SplittableRandom(sender.ordinal() + 7);
    }

    Direction sender() {
        return sender;
    }

    /**
     * A message compressed by {@code deflater}, its compressed payload cut into frames of
     * {@code fragmentBytes} (0: one frame), as Autobahn's {@code autoFragmentSize} cuts it. RSV1 is
     * set on the first frame only (RFC 7692 §6). wstap must report it inflated, as sent, with
     * exactly {@code violations} on its message record.
     */
    PeerScript compressed(MessageDeflater deflater, int opcode, byte[] message, int fragmentBytes, String... violations) {
        byte[] payload = deflater.compress(message);
        List<byte[]> pieces = cut(payload, fragmentBytes);
        for (int i = 0; i < pieces.size(); i++) {
            boolean isFinal = i == pieces.size() - 1;
            frame((isFinal ? FIN : 0) | (i == 0 ? RSV1 | opcode : Opcode.CONTINUATION), pieces.get(i));
        }
        return expectMessage(opcode, pieces.size(), payload.length, true, message, violations);
    }

    /** Any frame, exactly as given by its first byte ({@code 0xc1}: FIN, RSV1, text), which wstap must flag with exactly {@code violations}. */
    PeerScript frame(int firstByte, byte[] payload, String... violations) {
        boolean isFinal = (firstByte & FIN) != 0;
        int rsv = (firstByte >>> 4) & 0x7;
        int opcode = firstByte & 0xF;
        Integer key = sender.requiresMask() ? masks.nextInt() : null;
        wire.writeBytes(FrameEncoder.frame(isFinal, rsv, opcode, key, payload, LengthEncoding.minimalFor(payload.length),
                payload.length));
        frames.add(CompressionProxy.frameRecord(opcode, isFinal, rsv, key != null, payload.length, List.of(violations)));
        return this;
    }

    /** The message record wstap must write for the frames just added: the whole message, inflated when compressed. */
    PeerScript expectMessage(int opcode, int fragments, long wireLength, boolean isCompressed, byte[] message,
                             String... violations) {
        messages.add(CompressionProxy.messageRecord(opcode, fragments, wireLength, isCompressed, message.length, message, false,
                CompressionProxy.textOf(opcode, message), List.of(violations)));
        return this;
    }

    /** A close frame with 1000 (normal closure), as a peer ends a case. */
    PeerScript close() {
        return frame(FIN | Opcode.CLOSE, new byte[] {0x03, (byte) 0xe8});
    }

    byte[] bytes() {
        return wire.toByteArray();
    }

    List<String> frameRecords() {
        return List.copyOf(frames);
    }

    List<String> messageRecords() {
        return List.copyOf(messages);
    }

    /** A compressed payload with the {@code 00 00 ff ff} of its sync flush put back, as RFC 7692 §7.2.3.6's sender keeps it. */
    static byte[] withTail(byte[] compressed) {
        byte[] out = Arrays.copyOf(compressed, compressed.length + 4);
        out[out.length - 2] = (byte) 0xff;
        out[out.length - 1] = (byte) 0xff;
        return out;
    }

    /** {@code payload} in pieces of {@code bytes} (0: whole); an empty payload is one empty piece. */
    static List<byte[]> cut(byte[] payload, int bytes) {
        if (bytes <= 0 || payload.length <= bytes) return List.of(payload);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload.length; off += bytes) {
            out.add(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + bytes)));
        }
        return out;
    }
}
