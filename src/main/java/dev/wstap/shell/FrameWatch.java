package dev.wstap.shell;

import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.wire.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a script waits for: sessions opening and frames or messages passing, kept in order. A wait
 * looks at what arrived after the event the previous successful wait matched (even when it came
 * before this wait began) and, when it matches, moves past it; a wait that fails moves nothing.
 * Bounded: the oldest events are dropped beyond {@link #CAPACITY}.
 */
final class FrameWatch implements TapSink {
    static final int CAPACITY = 10_000;

    /** What a wait looks at: a frame's or a whole message's text (or nothing), its direction and opcode. */
    record Seen(TapEvent event, Direction dir, int opcode, String text) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<Seen> seen = new ArrayList<>();
    private long dropped;
    private long cursor;

    @Override
    public void accept(TapEvent event) {
        Seen s = switch (event) {
            case FrameSeen f -> new Seen(f, f.dir(), f.frame().header().opcode(), f.frame().text());
            // Its frame was seen just before, with the same text: one wait must not match it twice.
            case MessageSeen m when m.isSameAsFrame() -> null;
            case MessageSeen m -> new Seen(m, m.dir(), m.opcode(), m.text());
            case Opened o -> new Seen(o, null, -1, null);
            default -> null;
        };
        if (s == null) return;
        lock.lock();
        try {
            if (seen.size() == CAPACITY) {
                seen.remove(0);
                dropped++;
            }
            seen.add(s);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first event after the cursor that {@code test} accepts; moves the cursor past it. */
    Seen await(Predicate<Seen> test, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                for (long i = Math.max(cursor, dropped); i < dropped + seen.size(); i++) {
                    Seen s = seen.get((int) (i - dropped));
                    if (test.test(s)) {
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

    /** A test for frames and messages: direction and opcode when given, and text matching {@code regex}. */
    static Predicate<Seen> frame(Direction dir, Integer opcode, Pattern regex) {
        return s -> !(s.event() instanceof Opened)
                && (dir == null || s.dir() == dir)
                && (opcode == null || s.opcode() == opcode)
                && (regex == null || (s.text() != null && regex.matcher(s.text()).find()));
    }
}
