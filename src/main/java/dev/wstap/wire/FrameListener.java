package dev.wstap.wire;

/** Receives what a {@link FrameParser} finds. Called on the thread that feeds the parser. */
@FunctionalInterface
public interface FrameListener {
    /** A frame header is complete; its payload follows. Most listeners only need {@link #onFrame}. */
    default void onHeader(FrameHeader header) {}

    /** A frame has ended: its header, payload preview and violations. */
    void onFrame(ParsedFrame frame);
}
