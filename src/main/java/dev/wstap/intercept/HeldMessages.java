package dev.wstap.intercept;

import dev.wstap.proxy.HeldFrames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages an intercept holds, numbered from 1 in the order they were held, across sessions.
 * One that is forwarded, edited, dropped, released over the cap or lost with its connection leaves
 * the list. {@link #awaitNext} serves scripts: each call returns the next message still held after
 * the one the previous call returned, even one held before the call began. Thread safe.
 */
public final class HeldMessages {
    /** A held message and its number. */
    public record Held(int id, HeldFrames frames) {
        public String label() {
            return "#" + id;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Map<Integer, Held> held = new LinkedHashMap<>();
    private int lastId;
    /** The highest number in the list so far: numbers are given before a message is added. */
    private int lastAdded;
    private int lastAwaited;

    /** The number the next held message gets. */
    int nextId() {
        lock.lock();
        try {
            return ++lastId;
        } finally {
            lock.unlock();
        }
    }

    void add(Held h) {
        lock.lock();
        try {
            held.values().removeIf(old -> !old.frames().isHeld()); // what was decided holds no memory here
            held.put(h.id(), h);
            lastAdded = Math.max(lastAdded, h.id());
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The messages still held, oldest first. */
    public List<Held> all() {
        lock.lock();
        try {
            held.values().removeIf(h -> !h.frames().isHeld());
            return new ArrayList<>(held.values());
        } finally {
            lock.unlock();
        }
    }

    /** Held message {@code id}; an {@link IllegalArgumentException} that says why when there is none. */
    public Held get(int id) {
        lock.lock();
        try {
            Held h = held.get(id);
            if (h != null && h.frames().isHeld()) return h;
            held.remove(id);
            if (id < 1 || id > lastId) {
                throw new IllegalArgumentException("no message #" + id + " was held" + (lastId == 0 ? " yet" : " (the last was #" + lastId + ")")
                        + "; see: held");
            }
            throw new IllegalArgumentException("#" + id + " is no longer held (it was forwarded, edited, dropped, or its connection ended)");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next message that is still held, among those held after the one this returned last
     * (possibly before the call began), waiting up to {@code timeoutMillis} for one; null when
     * none came. Messages that were held and decided meanwhile are passed over.
     */
    public Held awaitNext(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                while (lastAwaited < lastAdded) {
                    Held h = held.get(++lastAwaited);
                    if (h != null && h.frames().isHeld()) return h;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                added.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
