package dev.wstap.shell;

import dev.wstap.filter.Expr;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a script waits for: sessions opening and frames or messages passing, kept in order, each
 * with its session's open record (for the filter terms that ask about the session). A wait looks
 * at what arrived after the event the previous successful wait matched (even when it came before
 * this wait began) and, when it matches, moves past it; a wait that fails moves nothing. Bounded:
 * the oldest events are dropped beyond {@link #CAPACITY}.
 */
final class FrameWatch implements TapSink {
    static final int CAPACITY = 10_000;

    /** An event a wait may match, with the open record of its session (null when unknown). */
    record Seen(TapEvent event, Opened session) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Seen> seen = new ArrayList<>();
    /** The sessions open now, for the events still to come. */
    private final Map<Integer, Opened> open = new HashMap<>();
    private long dropped;
    private long cursor;

    @Override
    public void accept(TapEvent event) {
        lock.lock();
        try {
            switch (event) {
                case Opened o -> {
                    open.put(o.conn(), o);
                    add(new Seen(o, o));
                }
                case FrameSeen f -> add(new Seen(f, open.get(f.conn())));
                // Its frame was seen just before, with the same text: one wait must not match it twice.
                case MessageSeen m when m.isSameAsFrame() -> { }
                case MessageSeen m -> add(new Seen(m, open.get(m.conn())));
                case Closed c -> open.remove(c.conn());
                default -> { }
            }
        } finally {
            lock.unlock();
        }
    }

    private void add(Seen s) {
        if (seen.size() == CAPACITY) {
            seen.remove(0);
            dropped++;
        }
        seen.add(s);
        arrived.signalAll();
    }

    /** Waits for the first event after the cursor that {@code test} matches; moves the cursor past it. */
    Seen await(Expr test, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                for (long i = Math.max(cursor, dropped); i < dropped + seen.size(); i++) {
                    Seen s = seen.get((int) (i - dropped));
                    if (test.matches(s.event(), s.session())) {
                        cursor = i + 1;
                        return s;
                    }
                }
                // Nothing matched: the events stay for the next wait, which may look for them.
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                arrived.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
