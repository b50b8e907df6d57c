package dev.wstap.proxy;

import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Masking;
import dev.wstap.wire.ParsedFrame;
import java.util.Arrays;

/**
 * A frame that arrived whole before its fate was decided: the bytes exactly as they came (header,
 * mask key, masked payload) and what the parser made of them. A handler reads {@link #payload()};
 * passing it on sends {@link #wire()} unchanged.
 */
public record WholeFrame(byte[] wire, ParsedFrame frame) {

    public FrameHeader header() {
        return frame.header();
    }

    /** The whole payload, unmasked: a copy, the wire bytes stay as they arrived. */
    public byte[] payload() {
        FrameHeader h = frame.header();
        byte[] payload = Arrays.copyOfRange(wire, h.encodedLength(), wire.length);
        if (h.isMasked()) Masking.apply(payload, h.maskKey());
        return payload;
    }
}
