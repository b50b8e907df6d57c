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
 * is full it drops the event and later reports how many it dropped. A lossless one (the log)
 * makes the producer wait instead, so that nothing is lost and memory stays bounded.
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
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong droppedOthers = new AtomicLong();
    private final Thread thread;
    private volatile boolean isClosing;

    private static final Object STOP = new Object();

    public AsyncSink(String name, TapSink sink, boolean isLossy, int capacity) {
        this.sink = sink;
        this.isLossy = isLossy;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name("wstap-" + name).start(this::run);
    }

    public void emit(TapEvent event) {
        if (isClosing) return;
        int kib = payloadKib(event);
        if (isLossy) {
            if (!payloadRoom.tryAcquire(kib)) {
                countDropped(event);
            } else if (!queue.offer(event)) {
                payloadRoom.release(kib);
                countDropped(event);
            }
            return;
        }
        try {
            payloadRoom.acquire(kib);
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The payload an event keeps alive while it waits, in whole KiB (never more than all the room). */
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
                long skippedFrames = droppedFrames.getAndSet(0);
                long skippedOthers = droppedOthers.getAndSet(0);
                if (skippedFrames + skippedOthers > 0) sink.skipped(skippedFrames, skippedOthers);
                for (Object item : batch) {
                    if (item == STOP) {
                        sink.close();
                        return;
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

    /** Counts an event a lossy sink never got; a message that is the same as its frame counts as that frame does. */
    private void countDropped(Object event) {
        if (event instanceof MessageSeen m && m.isSameAsFrame()) return;
        (event instanceof FrameSeen ? droppedFrames : droppedOthers).incrementAndGet();
    }

    /**
     * Closes the sink once what is queued is delivered. A lossless sink gets everything, however
     * long that takes. A lossy one (a terminal that may be slow, or stopped by a paused pager) gets
     * {@link #LOSSY_CLOSE_MILLIS} to catch up; what is left is counted as skipped, and if its thread
     * is stuck in a write it is abandoned, so that a stalled terminal can never keep wstap from exiting.
     */
    public void close() {
        if (isClosing) return;
        isClosing = true;
        try {
            if (!isLossy) {
                queue.put(STOP);
                thread.join();
                return;
            }
            long deadline = System.nanoTime() + LOSSY_CLOSE_MILLIS * 1_000_000L;
            while (!queue.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
            List<Object> left = new ArrayList<>();
            queue.drainTo(left);
            for (Object item : left) countDropped(item);
            if (queue.offer(STOP)) thread.join(LOSSY_CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
