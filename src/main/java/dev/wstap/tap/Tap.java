package dev.wstap.tap;

import java.util.List;
import java.util.Set;
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
    private final List<AsyncSink> sessionSinks = new CopyOnWriteArrayList<>();
    private final List<AsyncSink> frameSinks = new CopyOnWriteArrayList<>();
    /** The sinks that want messages that differ from their frame: those that want every message, and the JSONL log. */
    private final List<AsyncSink> unlikeMessageSinks = new CopyOnWriteArrayList<>();
    private final List<AsyncSink> everyMessageSinks = new CopyOnWriteArrayList<>();
    private volatile boolean isObservingTraffic;
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
     * Attaches a sink on a thread of its own (see {@link AsyncSink}) that gets the events it has an
     * {@link Interest} in, and no others.
     */
    public void attach(String name, TapSink sink, boolean isLossy, int capacity, Set<Interest> interests) {
        if (interests.isEmpty()) throw new IllegalArgumentException("the sink " + name + " wants no events");
        AsyncSink async = new AsyncSink(name, sink, isLossy, capacity);
        sinks.add(async);
        if (interests.contains(Interest.SESSIONS)) sessionSinks.add(async);
        if (interests.contains(Interest.FRAMES)) frameSinks.add(async);
        if (interests.contains(Interest.MESSAGES)) everyMessageSinks.add(async);
        if (interests.contains(Interest.MESSAGES) || interests.contains(Interest.MESSAGES_UNLIKE_FRAMES)) {
            unlikeMessageSinks.add(async);
        }
        if (!frameSinks.isEmpty() || !unlikeMessageSinks.isEmpty()) isObservingTraffic = true;
    }

    /** False when no sink wants frames or messages, so that pumps may skip building their events at all. */
    public boolean isObserved() {
        return isObservingTraffic;
    }

    public void emit(TapEvent event) {
        List<AsyncSink> to = switch (event) {
            case FrameSeen f -> frameSinks;
            case MessageSeen m -> m.isSameAsFrame() ? everyMessageSinks : unlikeMessageSinks;
            case Opened o -> sessionSinks;
            case Closed c -> sessionSinks;
            case HttpSeen h -> sessionSinks;
        };
        // Frames and messages are never redacted, so the hot path skips Redaction altogether.
        TapEvent shown = isRedacting && to == sessionSinks ? Redaction.apply(event) : event;
        for (AsyncSink sink : to) sink.emit(shown);
    }

    /** Drains and closes every sink: after this every logged line is on disk. */
    @Override
    public void close() {
        for (AsyncSink sink : sinks) sink.close();
    }
}
