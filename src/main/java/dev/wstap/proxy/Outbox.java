package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames of one direction whose fate was decided and that wait to go: held, delayed, or behind
 * such frames. Order is kept within data and within control frames: a data frame (or a close)
 * waits for everything before it; a ping or pong waits only for control frames before it, so it
 * may pass held or delayed data (RFC 6455 §5.4 lets control frames go between any two frames),
 * unless the {@link HoldRules} keep control frames in order too.
 *
 * <p>Bounded: when more than the hold rules' cap waits, held messages are released, oldest first;
 * when more than that waits with nothing held (delays), the pump stops reading until it goes.
 *
 * <p>Compression. An edited message is framed and compressed here, as it leaves. When a compressed
 * message is edited or dropped on a direction whose sender keeps its compression context between
 * messages, the receiver's context would no longer match the sender's; from then on every
 * compressed message this way is inflated and compressed again with wstap's own context
 * ({@link Fate#RECOMPRESSED}), so that the receiver reads every later message. Before that,
 * forwarding stays byte-exact.
 *
 * <p>Empty, it costs forwarding nothing: frames stream cut-through. Thread safe: the pump adds, and
 * a timer (delays), a user (releases) or the pump drains; one thread drains at a time, so frames
 * leave in order.
 */
final class Outbox {

    /** Wakes delayed frames; the draining itself runs on a virtual thread, so that a slow peer holds up no timer. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("wstap-outbox-timer").unstarted(r));

    private final Writer writer;
    private final Session session;
    private final Direction dir;
    private final MessageEncoder encoder;
    private final List<Item> items = new ArrayList<>();
    private final ReentrantLock draining = new ReentrantLock();
    private volatile boolean isDrainWanted;
    private long waitingBytes;
    /** The last reordered item and the message it went after, so that copies of that message stay before it. */
    private Item lastReordered;
    private Arrival lastNextArrival;
    /** Items taken out by the drainer and still being written. */
    private int inFlight;
    private long wakeAtNanos = Long.MAX_VALUE;
    private boolean isEnded;
    /** Every compressed message this way is compressed again by wstap, since the change {@link #recompressionCause} says. */
    private volatile boolean isRecompressing;
    /** Stalled ({@code stall}): nothing more leaves this way, whatever waits already included. */
    private boolean isStalled;
    private String recompressionCause;

    /** Frames that go together, in order: one frame, a message, or a frame with what a handler added to it. */
    final class Item {
        private List<OutFrame> frames;
        /** The data message the frames carry, as it arrived; null for a control frame or frames of wstap's own. */
        private final Arrival arrival;
        private final long bytes;
        private long dueNanos;
        private boolean isHeld;
        /** The message's new payload when it was edited; null when it goes as it arrived. */
        private byte[] edited;
        /** Held until the next data item this way has been added, then goes after it ({@code reorder}). */
        private boolean isReordered;
        /** Frames a handler made from the arrival's bytes as they came ({@code fragment}, {@code set}, {@code corrupt}). */
        private boolean isReshaped;

        private Item(List<OutFrame> frames, Arrival arrival, long dueNanos, boolean isHeld) {
            this.frames = List.copyOf(frames);
            this.arrival = arrival;
            // What it keeps: its bytes, and its inflated copy when it has one (for --hold-max and the pump's cap).
            this.bytes = frames.stream().mapToLong(f -> f.wire().length).sum()
                    + (arrival != null && arrival.inflated() != null ? arrival.inflated().length : 0);
            this.dueNanos = dueNanos;
            this.isHeld = isHeld;
        }

        /** Pings and pongs: they may pass data, unless the hold rules keep them in order. */
        private boolean isControl() {
            return !session.holdRules().isControlInOrder() && frames.stream().allMatch(f -> f.isControl() && !f.isClose());
        }

        private boolean isCompressedMessage() {
            return arrival != null && arrival.isCompressed();
        }
    }

    Outbox(Writer writer, Session session, Direction dir, MessageEncoder encoder) {
        this.writer = writer;
        this.session = session;
        this.dir = dir;
        this.encoder = encoder;
    }

    /** Nothing waits, and nothing taken out is still being written. */
    synchronized boolean isEmpty() {
        return items.isEmpty() && inFlight == 0;
    }

    boolean isRecompressing() {
        return isRecompressing;
    }

    /**
     * Whether a frame that is to pass unchanged may go now, ahead of nothing: the outbox is empty,
     * or it is a ping or pong and no control frame waits.
     */
    synchronized boolean canGoNow(boolean isPingOrPong) {
        if (isStalled || inFlight > 0) return false;
        if (items.isEmpty()) return true;
        if (!isPingOrPong || session.holdRules().isControlInOrder()) return false;
        for (Item item : items) {
            if (item.isControl()) return false;
        }
        return true;
    }

    /** Adds frames ready to go (after {@code delayNanos}); {@code arrival} is the data message they carry, if any. */
    Item add(List<OutFrame> frames, Arrival arrival, long delayNanos) throws InterruptedException {
        return add(frames, arrival, delayNanos, false);
    }

    /**
     * Adds a data message that goes with {@code payload} instead of as it arrived, framed and
     * compressed by wstap as it leaves; its {@code frames} are marked with their new fate.
     */
    Item addEdited(List<OutFrame> frames, Arrival arrival, byte[] payload, long delayNanos) throws InterruptedException {
        synchronized (this) {
            Item item = add(frames, arrival, delayNanos, false);
            item.edited = payload.clone();
            if (item.isCompressedMessage()) recompressFrom(frames.get(0).note() + " changed a compressed message");
            return item;
        }
    }

    /**
     * Adds frames a handler made from a data message's bytes as they arrived: they go as made, unless
     * wstap compresses this way again by the time they leave; then they are cut anew from the message
     * compressed by wstap ({@link MessageEncoder#reslice}).
     */
    Item addReshaped(List<OutFrame> frames, Arrival arrival, long delayNanos) throws InterruptedException {
        synchronized (this) {
            Item item = add(frames, arrival, delayNanos, false);
            item.isReshaped = true;
            return item;
        }
    }

    /** Adds a data message that goes after the next one this way ({@code reorder}). */
    Item addAfterNext(List<OutFrame> frames, Arrival arrival) throws InterruptedException {
        synchronized (this) {
            changed(arrival, frames.get(0).note() + " reordered a compressed message");
            Item item = add(frames, arrival, 0, true);
            item.isReordered = true;
            return item;
        }
    }

    /**
     * A compressed message was dropped, duplicated or reordered on its way: on a direction with
     * context takeover, wstap compresses from now on (see the class comment).
     */
    synchronized void changed(Arrival arrival, String cause) {
        if (arrival != null && arrival.isCompressed()) recompressFrom(cause);
    }

    /** Nothing more goes this way, from what is added next on, until the session ends ({@code stall}). */
    synchronized void stall() {
        isStalled = true;
    }

    /** Adds a data message or frame that stays until a {@link HeldFrames} decides. */
    Item hold(List<OutFrame> frames, Arrival arrival) throws InterruptedException {
        return add(frames, arrival, 0, true);
    }

    private Item add(List<OutFrame> frames, Arrival arrival, long delayNanos, boolean isHeld) throws InterruptedException {
        synchronized (this) {
            long cap = session.holdRules().maxWaitingBytes();
            while (waitingBytes > Math.max(HoldRules.DEFAULT_MAX_WAITING_BYTES, cap + Pump.MAX_DECISION_BYTES) && !isEnded) wait(100);
            Item item = new Item(frames, arrival, System.nanoTime() + delayNanos, isHeld);
            Item reordered = item.isControl() ? null : items.stream().filter(i -> i.isReordered).findFirst().orElse(null);
            items.add(item);
            if (reordered == null && arrival != null && arrival == lastNextArrival && items.contains(lastReordered)
                    && frames.stream().allMatch(f -> f.fate() == Fate.DUPLICATED)) {
                // A copy of the message a reordered one went after: the copies stay together, the reordered one follows them.
                items.remove(lastReordered);
                items.add(lastReordered);
            }
            if (reordered != null) {
                lastReordered = reordered;
                lastNextArrival = arrival;
                // reorder: the message that waited goes right after this next one (held, reordered itself, or not);
                // a close, or frames that are no whole message, come after it instead.
                items.remove(reordered);
                items.add(arrival != null ? items.size() : items.size() - 1, reordered);
                reordered.isReordered = false;
                reordered.isHeld = false;
            }
            waitingBytes += item.bytes;
            releaseOverCap(cap);
            return item;
        }
    }

    /** --hold-max: while more than {@code cap} bytes wait, the oldest held item goes, and says why. */
    private void releaseOverCap(long cap) {
        for (Iterator<Item> it = items.iterator(); waitingBytes > cap && it.hasNext(); ) {
            Item item = it.next();
            if (!item.isHeld) continue;
            item.isHeld = false;
            item.isReordered = false;
            String why = "over --hold-max: " + waitingBytes + " bytes waited " + dir.label() + " (the cap is " + cap + ")";
            item.frames = item.frames.stream().map(f -> f.as(f.fate(), f.note() == null ? why : f.note() + " " + why)).toList();
            // Its bytes stay counted until it leaves, at the drain that follows every add.
        }
    }

    /** A message waiting for its next one goes now, where it is: no next message can come before it (a large one passes undecided). */
    synchronized void releaseReordered() {
        for (Item item : items) {
            if (item.isReordered) {
                item.isReordered = false;
                item.isHeld = false;
            }
        }
    }

    /** Waits until nothing waits (what is held blocks this until it is decided). */
    synchronized void awaitEmpty() throws InterruptedException {
        while ((!items.isEmpty() || inFlight > 0) && !isEnded) wait(100);
    }

    /** A held item goes on as it arrived; {@code note}, when not null, says why on its records. */
    boolean release(Item item, String note) throws IOException {
        synchronized (this) {
            if (!items.contains(item) || !item.isHeld) return false;
            item.isHeld = false;
            if (note != null) item.frames = item.frames.stream().map(f -> f.as(f.fate(), note)).toList();
        }
        drain();
        return true;
    }

    /**
     * A held data message goes with {@code payload} instead, framed and compressed by wstap, at the
     * next {@link #drain}. False when it was no longer held.
     */
    boolean edit(Item item, byte[] payload, String note) throws IOException {
        synchronized (this) {
            if (!items.contains(item) || !item.isHeld) return false;
            if (item.arrival == null) throw new IllegalStateException("only a held data message can be edited");
            item.isHeld = false;
            item.edited = payload.clone();
            item.frames = item.frames.stream().map(f -> f.as(Fate.EDITED, note)).toList();
            if (item.isCompressedMessage()) recompressFrom(note + " was edited");
        }
        return true;
    }

    /** A held item is not sent; false when it went or was dropped already. */
    boolean drop(Item item, String note) {
        synchronized (this) {
            if (!item.isHeld || !items.remove(item)) return false;
            waitingBytes -= item.bytes;
            if (item.isCompressedMessage()) recompressFrom(note + " was dropped");
            notifyAll();
        }
        return true;
    }

    /** Called under this monitor: a compressed message changed; on a direction with context takeover, wstap compresses from now on. */
    private void recompressFrom(String cause) {
        if (isRecompressing || !encoder.isContextTakenOver()) return;
        // Installed before anything more leaves, so that every later compressed message is buffered whole.
        session.handlers(dir).addFirst(RECOMPRESSION);
        recompressionCause = cause;
        isRecompressing = true;
    }

    /** Asks to see every compressed message whole, so that it can be compressed again as it leaves; decides nothing. */
    private static final FrameHandler RECOMPRESSION = new FrameHandler() {
        @Override
        public Need need(Direction dir, dev.wstap.wire.FrameHeader h) {
            return (h.rsv() & dev.wstap.wire.FrameHeader.RSV1) != 0 && dev.wstap.wire.Opcode.isMessage(h.opcode()) ? Need.MESSAGE : Need.NOTHING;
        }

        @Override
        public Verdict decide(Direction dir, Arrival arrival) {
            return Verdict.PASS;
        }
    };

    boolean isHeld(Item item) {
        synchronized (this) {
            return item.isHeld && items.contains(item);
        }
    }

    /**
     * Writes every item that may go now, in order; sets a timer for the next delayed one. One
     * thread drains at a time: another that asks meanwhile leaves the work to it.
     */
    void drain() throws IOException {
        isDrainWanted = true;
        while (isDrainWanted) {
            if (!draining.tryLock()) return; // the thread draining now sees the wish when it is done
            try {
                isDrainWanted = false;
                drainNow();
            } finally {
                draining.unlock();
            }
        }
    }

    private void drainNow() throws IOException {
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
                inFlight++;
            }
            try {
                writer.send(framesOf(next));
            } finally {
                synchronized (this) {
                    // Only now is it gone: until it is written, frames behind it must not stream past it.
                    inFlight--;
                    notifyAll();
                }
            }
        }
    }

    /** The frames an item goes as: as they came, or framed and compressed by wstap. */
    private List<OutFrame> framesOf(Item item) {
        if (item.arrival == null) return item.frames;
        if (item.isReshaped) {
            boolean isCompressedAsSent = item.frames.get(0).frame().isCompressed();
            if (!isRecompressing || !item.isCompressedMessage() || !isCompressedAsSent) return item.frames;
            byte[] payload = item.arrival.payload();
            if (payload == null) return item.frames;
            return encoder.reslice(item.frames, payload);
        }
        if (item.edited != null) {
            OutFrame first = item.frames.get(0);
            boolean compress = item.isCompressedMessage();
            return encoder.encode(item.arrival.opcode(), item.edited, compress, sizes(item.arrival), Fate.EDITED,
                    first.note() + (compress && isRecompressing ? " (compressed by wstap)" : ""), null);
        }
        if (!isRecompressing || !item.isCompressedMessage()) return item.frames;
        byte[] payload = item.arrival.payload();
        OutFrame last = item.frames.get(item.frames.size() - 1);
        if (payload == null) {
            String why = "could not be re-compressed (it did not inflate whole); it went as the sender compressed it, which the receiver may fail to read";
            return item.frames.stream().map(f -> f.as(f.fate(), f.note() == null ? why : f.note() + "; " + why)).toList();
        }
        String note = (last.fate() == Fate.FORWARDED ? "" : last.fate().label() + (last.note() == null ? "" : " " + last.note()) + "; ")
                + "re-compressed by wstap since " + recompressionCause;
        return encoder.encode(item.arrival.opcode(), payload, true, sizes(item.arrival), Fate.RECOMPRESSED, note, last.message());
    }

    private static long[] sizes(Arrival arrival) {
        return arrival.frames().stream().mapToLong(f -> Math.max(0, f.header().payloadLength())).toArray();
    }

    private Item nextReady(long now) {
        if (isStalled) return null;
        boolean isDataWaiting = false;
        boolean isControlWaiting = false;
        for (Item item : items) {
            boolean isReady = !item.isHeld && item.dueNanos - now <= 0;
            if (item.isControl()) {
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
     * The sender's stream ended. After an orderly end what is held stays held until it is decided
     * (the receiver may still be reading), and what is delayed goes once due; then this returns.
     * After a failure, or once {@link #abandon} was called, what is held goes nowhere and is
     * reported as dropped.
     */
    void finish(boolean isOrderly) throws IOException, InterruptedException {
        if (!isOrderly) abandon("the connection ended while it was held");
        synchronized (this) {
            if (isStalled) {
                // Stalled: what waits never goes; the session's end says the rest.
                for (Item item : items) {
                    for (OutFrame f : item.frames) session.notSent(dir, f.frame(), Fate.DROPPED, join(f.note(), "stalled"));
                }
                items.clear();
                waitingBytes = 0;
                return;
            }
            for (Item item : items) {
                if (item.isReordered) {
                    // No next message will come: a reordered one goes last.
                    item.isReordered = false;
                    item.isHeld = false;
                }
            }
        }
        while (true) {
            drain();
            long waitNanos;
            synchronized (this) {
                if (items.isEmpty() && inFlight == 0) return;
                long now = System.nanoTime();
                waitNanos = items.stream().filter(i -> !i.isHeld).mapToLong(i -> i.dueNanos - now).filter(n -> n > 0).min()
                        .orElse(100_000_000L);
                // Woken by a decision, a release or a write; else at the next due time, at most 100 ms on.
                wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(waitNanos), 100)));
            }
        }
    }

    /** Nothing held will go: it is reported as dropped, with {@code why}; waiting adders and finishers wake. */
    void abandon(String why) {
        List<Item> held = new ArrayList<>();
        synchronized (this) {
            isEnded = true;
            for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                Item item = it.next();
                if (item.isHeld) {
                    held.add(item);
                    it.remove();
                    waitingBytes -= item.bytes;
                }
            }
            notifyAll();
        }
        for (Item item : held) {
            for (OutFrame f : item.frames) session.notSent(dir, f.frame(), Fate.DROPPED, join(f.note(), why));
        }
    }

    private static String join(String note, String why) {
        return note == null ? why : note + " " + why;
    }
}
