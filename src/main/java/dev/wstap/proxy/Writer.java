package dev.wstap.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes going to one peer. Whoever writes holds the lock for at least one whole frame (a
 * forwarding pump may hold it across several reads while a large frame streams through), so that
 * an injected frame can never land inside a forwarded one. The pump also says, at each frame
 * boundary, whether a forwarded message is still open, so that an injected data message waits
 * for its end (RFC 6455 §5.4: data frames of two messages must not interleave). A
 * {@link ReentrantLock}, not {@code synchronized}, so virtual threads never pin while they wait.
 */
public final class Writer {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition messageEnded = lock.newCondition();
    private boolean isForwardedMessageOpen;
    /** wstap's own close frame went this way: nothing more is forwarded (guarded by the lock). */
    private boolean isSealed;
    /** wstap's close, sealed in and not written yet (guarded by the lock). */
    private byte[] pendingClose;
    private Consumer<byte[]> pendingCloseSending;

    Writer(OutputStream out) {
        this.out = out;
    }

    /** Takes the lock unless this thread already holds it (a frame spanning reads). */
    void holdForFrame() {
        if (!lock.isHeldByCurrentThread()) lock.lock();
    }

    /**
     * Releases the lock at a frame boundary; {@code isMessageOpen} says whether the forwarded
     * stream is inside a fragmented message there.
     */
    void releaseAtBoundary(boolean isMessageOpen) {
        if (!lock.isHeldByCurrentThread()) return;
        isForwardedMessageOpen = isMessageOpen;
        if (!isMessageOpen) messageEnded.signalAll();
        lock.unlock();
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
    }

    /** Writes one whole frame under the lock: a control frame may go between any two frames. */
    public void writeFrame(byte[] frame) throws IOException {
        writeFrame(frame, f -> { });
    }

    /**
     * As above; {@code sending} is told of the frame under the lock just before it goes, so that
     * it is shown before anything the peer answers to it.
     */
    void writeFrame(byte[] frame, Consumer<byte[]> sending) throws IOException {
        lock.lock();
        try {
            sending.accept(frame);
            out.write(frame);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forwards nothing more this way from now on, as an endpoint sends nothing after its close (RFC
     * 6455 §5.5.1), and holds wstap's {@code close} frame to write. Frames injected later still go:
     * the user asked for them. Waits for a frame streaming through to end. The close goes out with
     * {@link #flushPendingClose}, by the closer, or by the pump of this direction before it passes
     * its sender's end of stream on, so that the end never overtakes the close. Sealing both ways
     * before either close goes is what {@link Injector#closeBothWays} needs.
     *
     * @param sending told of the close under the lock just before it goes, as in {@link #writeFrame(byte[], Consumer)}
     */
    void sealWithClose(byte[] close, Consumer<byte[]> sending) {
        lock.lock();
        try {
            isSealed = true;
            pendingClose = close;
            pendingCloseSending = sending;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the close that {@link #sealWithClose} holds, unless it went already. */
    void flushPendingClose() throws IOException {
        lock.lock();
        try {
            byte[] close = pendingClose;
            if (close == null) return;
            pendingClose = null;
            pendingCloseSending.accept(close);
            out.write(close);
        } finally {
            lock.unlock();
        }
    }

    /** Whether wstap's own close went this way; asked by the forwarding pump while it holds the lock. */
    boolean isSealed() {
        return isSealed;
    }

    /**
     * Writes the frames of one data message, after the forwarded message in flight (if any) has
     * ended, and without letting forwarded frames in between them: while they go out (with
     * {@code delayMillis} between them) the forwarding pump of this direction waits, and so does
     * its peer, through TCP.
     *
     * @return false when the forwarded message did not end within {@code waitMillis}
     */
    boolean writeMessage(List<byte[]> frames, long delayMillis, long waitMillis, Consumer<byte[]> sending)
            throws IOException, InterruptedException {
        if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) return false;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (isForwardedMessageOpen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                messageEnded.awaitNanos(left);
            }
            for (int i = 0; i < frames.size(); i++) {
                if (i > 0 && delayMillis > 0) Thread.sleep(delayMillis);
                sending.accept(frames.get(i));
                out.write(frames.get(i));
                out.flush();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Seals and writes wstap's close at once ({@link #sealWithClose}, {@link #flushPendingClose}),
     * giving up when the lock is not free within {@code waitMillis} (another frame is still
     * streaming through).
     */
    boolean tryWriteClose(byte[] frame, long waitMillis) throws IOException, InterruptedException {
        if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) return false;
        try {
            isSealed = true;
            out.write(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
