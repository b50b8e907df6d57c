package dev.wstap.tap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fans tap events out to every attached sink. Thread safe: any session thread may emit. */
public final class Tap implements AutoCloseable {
    /** Queue sizes, in events: deep enough to ride out a burst, small enough to bound memory. */
    public static final int CONSOLE_QUEUE_EVENTS = 4096;
    public static final int LOG_QUEUE_EVENTS = 8192;

    private final List<AsyncSink> sinks = new CopyOnWriteArrayList<>();
    private final List<AsyncSink> frameSinks = new CopyOnWriteArrayList<>();
    private volatile boolean isObservingFrames;

    /**
     * Attaches a sink on a thread of its own; see {@link AsyncSink}. A sink that does not want
     * frames ({@code --quiet}) gets session events only.
     */
    public void attach(String name, TapSink sink, boolean isLossy, int capacity, boolean wantsFrames) {
        AsyncSink async = new AsyncSink(name, sink, isLossy, capacity);
        sinks.add(async);
        if (wantsFrames) {
            frameSinks.add(async);
            isObservingFrames = true;
        }
    }

    /** False when no sink wants frames (and messages), so that pumps may skip building their events at all. */
    public boolean isObserved() {
        return isObservingFrames;
    }

    public void emit(TapEvent event) {
        boolean isTraffic = event instanceof FrameSeen || event instanceof MessageSeen;
        for (AsyncSink sink : isTraffic ? frameSinks : sinks) sink.emit(event);
    }

    /** Drains and closes every sink: after this every logged line is on disk. */
    @Override
    public void close() {
        for (AsyncSink sink : sinks) sink.close();
    }
}
