package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * One frame on its way out of wstap: the bytes to write, what they say (described from what was
 * encoded or parsed, never parsed again), and its fate.
 *
 * @param note    why its fate is not the default one (a handler's reason), or null
 * @param message the message this frame ends, as wstap followed it on the way in, shown once the
 *                frame has left; null for none, or for a frame of wstap's own (whose message, if
 *                it is one by itself, is read from the frame)
 */
public record OutFrame(byte[] wire, ParsedFrame frame, Fate fate, String note, MessageSeen message) {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How much of a frame or message wstap sends of its own (injected or made by a handler) is kept for display and the log. */
    static final int PREVIEW_BYTES = 64 * 1024;

    public OutFrame(byte[] wire, ParsedFrame frame, Fate fate, String note) {
        this(wire, frame, fate, note, null);
    }

    /** The same frame with another fate; a copy of a message's last frame ends a copy of the message. */
    public OutFrame as(Fate newFate, String newNote) {
        return new OutFrame(wire, frame, newFate, newNote, message);
    }

    /**
     * A conforming frame of wstap's own towards the receiver of a direction: masked with a fresh
     * random key towards the server ({@code isToServer}), as a client's must be (RFC 6455 §5.3),
     * unmasked towards the client, with the minimal length form.
     *
     * @param messageOpcode the opcode of the message the frame belongs to (its own for a first or control frame)
     * @param isCompressed  the payload is part of a message compressed with permessage-deflate
     */
    public static OutFrame encode(boolean isToServer, boolean isFinal, int rsv, int opcode, int messageOpcode, byte[] payload,
                                  boolean isCompressed, Fate fate, String note) {
        Integer mask = isToServer ? RANDOM.nextInt() : null;
        byte[] wire = FrameEncoder.frame(isFinal, rsv, opcode, mask, payload, LengthEncoding.minimalFor(payload.length), payload.length);
        FrameHeader header = new FrameHeader(isFinal, rsv, opcode, mask != null, mask == null ? 0 : mask, payload.length,
                LengthEncoding.minimalFor(payload.length));
        byte[] preview = payload.length <= PREVIEW_BYTES ? payload : Arrays.copyOf(payload, PREVIEW_BYTES);
        return new OutFrame(wire, new ParsedFrame(header, preview, messageOpcode, isCompressed, List.of()), fate, note);
    }

    /**
     * A frame of wstap's own exactly as described, however wrong ({@code rules}' corrupt and set):
     * {@code mask} null for none, the length in {@code encoding} whether or not it is minimal.
     */
    public static OutFrame exactly(boolean isFinal, int rsv, int opcode, int messageOpcode, Integer mask, byte[] payload,
                                   LengthEncoding encoding, boolean isCompressed, Fate fate, String note) {
        byte[] wire = FrameEncoder.frame(isFinal, rsv, opcode, mask, payload, encoding, payload.length);
        FrameHeader header = new FrameHeader(isFinal, rsv, opcode, mask != null, mask == null ? 0 : mask, payload.length, encoding);
        byte[] preview = payload.length <= PREVIEW_BYTES ? payload : Arrays.copyOf(payload, PREVIEW_BYTES);
        return new OutFrame(wire, new ParsedFrame(header, preview, messageOpcode, isCompressed, List.of()), fate, note);
    }

    /** A fresh random mask key, as a client's frame needs (RFC 6455 §5.3). */
    public static int randomMask() {
        return RANDOM.nextInt();
    }

    /** A single-frame control frame (ping, pong, close) of wstap's own. */
    public static OutFrame control(boolean isToServer, int opcode, byte[] payload, Fate fate, String note) {
        return encode(isToServer, true, 0, opcode, opcode, payload, false, fate, note);
    }

    boolean isControl() {
        return frame.header().isControl();
    }

    boolean isClose() {
        return frame.header().opcode() == Opcode.CLOSE;
    }
}
