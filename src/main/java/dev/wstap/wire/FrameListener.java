package dev.wstap.wire;

/** Receives what a {@link FrameParser} finds. Called on the thread that feeds the parser. */
@FunctionalInterface
public interface FrameListener {
    /** A frame header is complete; its payload follows. Most listeners only need {@link #onFrame}. */
    default void onHeader(FrameHeader header) {}

    /**
     * Payload bytes as they arrived, still masked when the frame is; {@code payloadPosition} is the
     * offset of the first of them within the frame's payload (for {@link Masking#apply}).
     */
    default void onPayload(byte[] bytes, int off, int len, long payloadPosition) {}

    /** A frame has ended: its header, payload preview and violations. */
    void onFrame(ParsedFrame frame);
}
