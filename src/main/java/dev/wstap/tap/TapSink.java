package dev.wstap.tap;

/** A consumer of tap events: the console view, the JSONL log. Called on one thread of its own. */
public interface TapSink {
    void accept(TapEvent event);

    /**
     * Frames and messages were left out here because this sink fell behind (a lossy sink: the
     * console); sessions opening and closing never are.
     */
    default void skipped(Gap gap) {}

    /** Writes out what is buffered; called at least every 200 ms while events flow and when idle. */
    default void flush() {}

    /** Flushes and releases what the sink holds; no events follow. */
    default void close() {}
}
