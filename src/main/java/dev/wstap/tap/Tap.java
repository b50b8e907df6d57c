package dev.wstap.tap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans tap events out to every attached sink. With redaction ({@code --redact}) every sink gets
 * the events as {@link Redaction} masks them: this is the one place where that happens, so that
 * the console, the logs and the HAR cannot disagree. Thread safe: any session thread may emit.
 */
public final class Tap implements AutoCloseable {
    /** Queue sizes, in events: deep enough to ride out a burst, small enough to bound memory. */
    public static final int CONSOLE_QUEUE_EVENTS = 4096;
    public static final int LOG_QUEUE_EVENTS = 8192;

    private final List<AsyncSink> sinks = new CopyOnWriteArrayList<>();
    private final List<AsyncSink> frameSinks = new CopyOnWriteArrayList<>();
    private volatile boolean isObservingFrames;
    private final boolean isRedacting;

    public Tap() {
        this(false);
    }

    /** {@code isRedacting}: sinks get events with credentials masked ({@link Redaction}). */
    public Tap(boolean isRedacting) {
        this.isRedacting = isRedacting;
    }

    public boolean isRedacting() {
        return isRedacting;
    }

    /** {@code text} (a URL, say) as sinks may see it: redacted when this tap redacts. */
    public String shown(String text) {
        return isRedacting ? Redaction.text(text) : text;
    }

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
        // Frames and messages are never redacted, so the hot path skips Redaction altogether.
        TapEvent shown = isRedacting && !isTraffic ? Redaction.apply(event) : event;
        for (AsyncSink sink : isTraffic ? frameSinks : sinks) sink.emit(shown);
    }

    /** Drains and closes every sink: after this every logged line is on disk. */
    @Override
    public void close() {
        for (AsyncSink sink : sinks) sink.close();
    }
}
