package dev.wstap.tap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link TapSink} on a thread of its own, behind a bounded queue, so that forwarding threads
 * only enqueue. The queue is bounded twice: in events, and in the payload bytes they carry
 * ({@link #MAX_PAYLOAD_BYTES}), so that what waits for a slow sink stays small whatever the frame
 * sizes (a deep queue of 4 KiB frames outlived the young generation and was promoted, which cost
 * more than writing them). A lossy sink (the console) never makes a producer wait: when its queue
 * is full it leaves frames and messages out, and where they would have been it gets a {@link Gap}
 * saying what it missed; sessions opening and closing and HTTP records are never left out (they go
 * into a reserve beyond the queue, {@link #RESERVE} deep), so a session's story is whole. A
 * lossless sink (the log) makes the producer wait instead, so that nothing is lost and memory stays
 * bounded.
 */
public final class AsyncSink {
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A pause in the events this long, with something written and not flushed, flushes it. */
    private static final long IDLE_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long a sink's thread lets events gather after a batch smaller than {@link #BATCH}. */
    private static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    static final int BATCH = 256;
    /** How long a lossy sink may take to catch up and close at exit. */
    static final long LOSSY_CLOSE_MILLIS = 500;
    /** The payload bytes that may wait for a sink, in all. */
    public static final int MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
    private static final int MAX_PAYLOAD_KIB = MAX_PAYLOAD_BYTES / 1024;

    private final TapSink sink;
    private final boolean isLossy;
    private final BlockingQueue<Object> queue;
    /** Room for payload, in KiB: an event takes what its preview holds, rounded down. */
    private final Semaphore payloadRoom = new Semaphore(MAX_PAYLOAD_KIB);
    private final int capacity;
    /** Lossy: what was left out since the last record that got in (guarded by {@link #lossyLock}). */
    private final Gap.Builder gap = new Gap.Builder();
    /** Lossy: producers take it to queue, so that a gap's notice goes just before the record after it. */
    private final java.util.concurrent.locks.ReentrantLock lossyLock = new java.util.concurrent.locks.ReentrantLock();
    /** Session records past this many waiting behind a stalled lossy sink are counted, not kept. */
    static final int RESERVE = 1024;
    private final AtomicLong lostSessionLines = new AtomicLong();
    /** Lossy: close() has queued its last records (guarded by {@link #lossyLock}). */
    private boolean isSealed;
    private final Thread thread;
    private volatile boolean isClosing;

    private static final Object STOP = new Object();

    public AsyncSink(String name, TapSink sink, boolean isLossy, int capacity) {
        this.sink = sink;
        this.isLossy = isLossy;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(isLossy ? capacity + RESERVE : capacity);
        this.thread = Thread.ofPlatform().daemon().name("wstap-" + name).start(this::run);
    }

    public void emit(TapEvent event) {
        if (isClosing) return;
        int kib = payloadKib(event);
        if (isLossy) {
            emitLossy(event, kib);
            return;
        }
        try {
            payloadRoom.acquire(kib);
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A record for a lossy sink: a session record always gets in (into the reserve when the queue is
     * full); a frame or message gets in when there is room, else it joins the gap. The gap so far
     * goes in just before the next record that does, so its notice stands where its records would.
     */
    private void emitLossy(TapEvent event, int kib) {
        boolean isSessionRecord = !(event instanceof FrameSeen || event instanceof MessageSeen);
        lossyLock.lock();
        try {
            if (isSealed) return; // emitted while the sink closed: there is no console left to tell
            if (isSessionRecord) {
                if (queue.remainingCapacity() < (gap.isEmpty() ? 1 : 2)) {
                    lostSessionLines.incrementAndGet(); // the reserve is full too: a console stalled for long
                    return;
                }
                if (!gap.isEmpty()) queue.offer(gap.take());
                queue.offer(event);
                return;
            }
            if (event instanceof MessageSeen m && m.isSameAsFrame()) {
                // Its frame is shown or left out just before it, and says the same.
                if (queue.size() < capacity && queue.remainingCapacity() > RESERVE && gap.isEmpty() && payloadRoom.tryAcquire(kib)) {
                    queue.offer(event);
                }
                return;
            }
            int needed = gap.isEmpty() ? 1 : 2;
            if (queue.size() + needed <= capacity && payloadRoom.tryAcquire(kib)) {
                if (!gap.isEmpty()) queue.offer(gap.take());
                queue.offer(event);
            } else {
                gap.add(event);
            }
        } finally {
            lossyLock.unlock();
        }
    }

    /** The payload an event keeps alive while it waits, in whole KiB (never more than all the room). */
    /** Session records a lossy sink lost because even the reserve was full (a console stalled for very long). */
    public long lostSessionLines() {
        return lostSessionLines.get();
    }

    private static int payloadKib(Object event) {
        int bytes = switch (event) {
            case FrameSeen f -> f.frame().preview().length;
            case MessageSeen m -> m.isSameAsFrame() ? 0 : m.preview().length; // the same array as its frame's
            default -> 0;
        };
        return Math.min(bytes >> 10, MAX_PAYLOAD_KIB);
    }

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        long lastFlush = System.nanoTime();
        boolean isDirty = false;
        try {
            while (true) {
                Object first = queue.poll(isDirty ? IDLE_FLUSH_NANOS : FLUSH_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                for (Object item : batch) {
                    if (item == STOP) {
                        sink.close();
                        return;
                    }
                    if (item instanceof Gap g) {
                        sink.skipped(g);
                        isDirty = true;
                        continue;
                    }
                    deliver((TapEvent) item);
                    payloadRoom.release(payloadKib(item));
                    isDirty = true;
                }
                long now = System.nanoTime();
                // Written out when the events pause, and at least every 200 ms while they flow: not
                // after every batch, which cost a system call per few events.
                if (isDirty && (first == null || now - lastFlush >= FLUSH_INTERVAL_NANOS)) {
                    sink.flush();
                    lastFlush = now;
                    isDirty = false;
                }
                // Events that trickle in are gathered for a moment and taken many at a time: woken
                // for each one, this thread cost the forwarding threads a wake-up per frame.
                if (first != null && batch.size() < BATCH) LockSupport.parkNanos(GATHER_NANOS);
                batch.clear();
            }
        } catch (InterruptedException e) {
            sink.close();
        }
    }

    private void deliver(TapEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            // One bad event must not silence the sink for the rest of the run.
            System.err.println("wstap: " + sink.getClass().getSimpleName() + " failed on an event: " + e);
        }
    }

    /**
     * Closes the sink once what is queued is delivered. A lossless sink gets everything, however
     * long that takes. A lossy one (a terminal that may be slow, or stopped by a paused pager) gets
     * {@link #LOSSY_CLOSE_MILLIS} to catch up; then the frames still waiting become one last notice,
     * the session records among them are still delivered, and if its thread is stuck in a write it
     * is abandoned after as long again, so that a stalled terminal can never keep wstap from exiting.
     */
    public void close() {
        if (isClosing) return;
        isClosing = true;
        // Closing is the last thing a command does: an interrupt meant for what ran before it (the
        // shell's Ctrl-C, its end) must not cut it short and lose the records still to be shown.
        boolean wasInterrupted = Thread.interrupted();
        try {
            if (!isLossy) {
                while (true) {
                    try {
                        queue.put(STOP);
                        break;
                    } catch (InterruptedException e) {
                        wasInterrupted = true;
                    }
                }
                wasInterrupted |= joinUninterruptibly(Long.MAX_VALUE);
                return;
            }
            long deadline = System.nanoTime() + LOSSY_CLOSE_MILLIS * 1_000_000L;
            while (!queue.isEmpty() && System.nanoTime() < deadline) LockSupport.parkNanos(5_000_000L);
            // What did not make it in time: the session records still go, each after a notice for the
            // frames before it, and a last notice tells of the tail.
            lossyLock.lock();
            try {
                List<Object> left = new ArrayList<>();
                queue.drainTo(left);
                Gap.Builder tail = new Gap.Builder();
                List<Object> rest = new ArrayList<>();
                for (Object item : left) {
                    switch (item) {
                        case Gap g -> tail.addAll(g);
                        case FrameSeen f -> tail.add(f);
                        case MessageSeen m -> {
                            if (!m.isSameAsFrame()) tail.add(m);
                        }
                        default -> {
                            if (!tail.isEmpty()) rest.add(tail.take());
                            rest.add(item);
                        }
                    }
                    payloadRoom.release(payloadKib(item));
                }
                tail.addAll(gap.take());
                if (!tail.isEmpty()) rest.add(tail.take());
                for (Object item : rest) queue.offer(item);
                queue.offer(STOP);
                isSealed = true;
            } finally {
                lossyLock.unlock();
            }
            wasInterrupted |= joinUninterruptibly(TimeUnit.MILLISECONDS.toNanos(LOSSY_CLOSE_MILLIS));
        } finally {
            if (wasInterrupted) Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code nanos} for the sink's thread to end, through interrupts; true when one came. */
    private boolean joinUninterruptibly(long nanos) {
        boolean wasInterrupted = false;
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 2);
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                wasInterrupted = true;
            }
        }
        return wasInterrupted;
    }
}
