package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The frames of one direction whose fate was decided and that wait to go: held, delayed, or behind
 * such frames. Order is kept within data and within control frames: a data frame (or a close)
 * waits for everything before it; a ping or pong waits only for control frames before it, so it
 * may pass held or delayed data (RFC 6455 §5.4 lets control frames go between any two frames).
 * Bounded: when more than {@link #MAX_WAITING_BYTES} wait, the pump stops reading until they go.
 * Empty, it costs forwarding nothing: frames stream cut-through. Thread safe: the pump adds, and
 * a timer (delays), a user (releases) or the pump drains.
 */
final class Outbox {
    /** How many bytes may wait in one direction before its pump stops reading (TCP then slows the sender). */
    static final long MAX_WAITING_BYTES = 16L * 1024 * 1024;

    /** Wakes delayed frames; the draining itself runs on a virtual thread, so that a slow peer holds up no timer. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("wstap-outbox-timer").unstarted(r));

    private final Writer writer;
    private final Session session;
    private final dev.wstap.wire.Direction dir;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private long waitingBytes;
    private long wakeAtNanos = Long.MAX_VALUE;
    private boolean isEnded;

    /** Frames that go together, in order: one frame, a message, or a frame with what a handler added to it. */
    final class Item {
        private List<OutFrame> frames;
        private final boolean isControl;
        private final long bytes;
        private long dueNanos;
        private boolean isHeld;

        private Item(List<OutFrame> frames, long dueNanos, boolean isHeld) {
            this.frames = List.copyOf(frames);
            this.isControl = frames.stream().allMatch(f -> f.isControl() && !f.isClose());
            this.bytes = frames.stream().mapToLong(f -> f.wire().length).sum();
            this.dueNanos = dueNanos;
            this.isHeld = isHeld;
        }
    }

    Outbox(Writer writer, Session session, dev.wstap.wire.Direction dir) {
        this.writer = writer;
        this.session = session;
        this.dir = dir;
    }

    synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Whether a frame that is to pass unchanged may go now, ahead of nothing: the outbox is empty,
     * or it is a ping or pong and no control frame waits.
     */
    synchronized boolean canGoNow(boolean isControl) {
        if (items.isEmpty()) return true;
        if (!isControl) return false;
        for (Item item : items) {
            if (item.isControl) return false;
        }
        return true;
    }

    /** Adds frames ready to go (after {@code delayNanos}, or held until a {@link HeldFrames} says). */
    Item add(List<OutFrame> frames, long delayNanos, boolean isHeld) throws InterruptedException {
        synchronized (this) {
            while (waitingBytes > MAX_WAITING_BYTES && !isEnded) wait(100);
            Item item = new Item(frames, System.nanoTime() + delayNanos, isHeld);
            items.add(item);
            waitingBytes += item.bytes;
            return item;
        }
    }

    /** Waits until nothing waits (what is held blocks this until it is decided). */
    synchronized void awaitEmpty() throws InterruptedException {
        while (!items.isEmpty() && !isEnded) wait(100);
    }

    /** A held item goes on as it is ({@code replacement} null) or as {@code replacement}. */
    void release(Item item, List<OutFrame> replacement) throws IOException {
        synchronized (this) {
            if (!items.contains(item) || !item.isHeld) return;
            item.isHeld = false;
            if (replacement != null) item.frames = List.copyOf(replacement);
        }
        drain();
    }

    /** A held item is not sent; false when it went or was dropped already. */
    boolean drop(Item item) {
        synchronized (this) {
            if (!item.isHeld || !items.remove(item)) return false;
            waitingBytes -= item.bytes;
            notifyAll();
        }
        return true;
    }

    boolean isHeld(Item item) {
        synchronized (this) {
            return item.isHeld && items.contains(item);
        }
    }

    /** Writes every item that may go now, in order; sets a timer for the next delayed one. */
    void drain() throws IOException {
        while (true) {
            Item next;
            synchronized (this) {
                next = nextReady(System.nanoTime());
                if (next == null) {
                    wakeForDelayed();
                    return;
                }
                items.remove(next);
                waitingBytes -= next.bytes;
                notifyAll();
            }
            writer.send(next.frames);
        }
    }

    private Item nextReady(long now) {
        boolean isDataWaiting = false;
        boolean isControlWaiting = false;
        for (Item item : items) {
            boolean isReady = !item.isHeld && item.dueNanos - now <= 0;
            if (item.isControl) {
                if (isReady && !isControlWaiting) return item;
                isControlWaiting = true;
            } else {
                if (isReady && !isDataWaiting && !isControlWaiting) return item;
                isDataWaiting = true;
            }
        }
        return null;
    }

    private void wakeForDelayed() {
        long earliest = Long.MAX_VALUE;
        long now = System.nanoTime();
        for (Item item : items) {
            if (!item.isHeld && item.dueNanos - now > 0) earliest = Math.min(earliest, item.dueNanos);
        }
        if (earliest == Long.MAX_VALUE || (wakeAtNanos != Long.MAX_VALUE && wakeAtNanos - now > 0 && wakeAtNanos <= earliest)) return;
        wakeAtNanos = earliest;
        TIMER.schedule(() -> Thread.ofVirtual().name("wstap-" + session.id() + "-" + dir.label() + "-outbox").start(() -> {
            synchronized (this) {
                wakeAtNanos = Long.MAX_VALUE;
            }
            try {
                drain();
            } catch (IOException e) {
                // The receiver is gone: its pump ends the session and says so.
            }
        }), Math.max(0, earliest - now), TimeUnit.NANOSECONDS);
    }

    /**
     * The sender's stream ended: what is delayed still goes, once due; what is held goes nowhere
     * and is reported as dropped, since no one can release it into a connection that is ending.
     */
    void finish() throws IOException, InterruptedException {
        List<Item> held = new ArrayList<>();
        synchronized (this) {
            isEnded = true;
            notifyAll();
            for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                Item item = it.next();
                if (item.isHeld) {
                    held.add(item);
                    it.remove();
                    waitingBytes -= item.bytes;
                }
            }
        }
        for (Item item : held) {
            for (OutFrame f : item.frames) session.notSent(dir, f.frame(), Fate.DROPPED, "the connection ended while it was held");
        }
        while (true) {
            drain();
            long waitNanos;
            synchronized (this) {
                if (items.isEmpty()) return;
                long now = System.nanoTime();
                waitNanos = items.stream().mapToLong(i -> i.dueNanos - now).min().orElse(0);
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(waitNanos, 1_000_000));
        }
    }
}
