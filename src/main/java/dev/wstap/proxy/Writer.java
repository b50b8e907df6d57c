package dev.wstap.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes going to one peer. Whoever writes holds the lock for at least one whole frame (a
 * forwarding pump may hold it across several reads while a large frame streams through), so that
 * an injected frame can never land inside a forwarded one. A {@link ReentrantLock}, not
 * {@code synchronized}, so virtual threads never pin while they wait.
 */
public final class Writer {
    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();

    Writer(OutputStream out) {
        this.out = out;
    }

    /** Takes the lock unless this thread already holds it (a frame spanning reads). */
    void holdForFrame() {
        if (!lock.isHeldByCurrentThread()) lock.lock();
    }

    /** Releases the lock at a frame boundary. */
    void releaseAtBoundary() {
        if (lock.isHeldByCurrentThread()) lock.unlock();
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
    }

    /**
     * Writes one whole frame when the lock comes free within {@code waitMillis}; false when it did
     * not (another frame is still streaming through).
     */
    boolean tryWriteFrame(byte[] frame, long waitMillis) throws IOException, InterruptedException {
        if (!lock.tryLock(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) return false;
        try {
            out.write(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Writes one whole frame under the lock. */
    public void writeFrame(byte[] frame) throws IOException {
        lock.lock();
        try {
            out.write(frame);
        } finally {
            lock.unlock();
        }
    }
}
