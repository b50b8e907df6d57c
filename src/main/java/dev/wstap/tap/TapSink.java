package dev.wstap.tap;

/** A consumer of tap events: the console view, the JSONL log. Called on one thread of its own. */
public interface TapSink {
    void accept(TapEvent event);

    /** Events were dropped because this sink fell behind: {@code frames} frames and {@code others} other events. */
    default void skipped(long frames, long others) {}

    /** Writes out what is buffered; called at least every 200 ms while events flow and when idle. */
    default void flush() {}

    /** Flushes and releases what the sink holds; no events follow. */
    default void close() {}
}
