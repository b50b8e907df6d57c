package dev.wstap.proxy;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Read buffers lent to pumps while bytes flow, so that an idle session holds only a small buffer
 * of its own: a large one for a busy pump, and a bulk one for a pump whose reads fill even that
 * (a frame of megabytes streaming through: a quarter of the system calls). At most
 * {@link #KEPT} of each size are kept for reuse; beyond that a returned buffer is left to the
 * garbage collector. Thread safe.
 */
final class ReadBuffers {
    static final int LARGE_BYTES = 64 * 1024;
    static final int BULK_BYTES = 256 * 1024;
    /** Enough for every pump that is busy at once on a small machine. */
    static final int KEPT = 64;

    private static final ArrayBlockingQueue<byte[]> FREE_LARGE = new ArrayBlockingQueue<>(KEPT);
    private static final ArrayBlockingQueue<byte[]> FREE_BULK = new ArrayBlockingQueue<>(KEPT);

    private ReadBuffers() {}

    /** A buffer of the next size up from {@code current} (a small one, or a large one that a read filled). */
    static byte[] borrowLarger(byte[] current) {
        boolean isBulk = current.length >= LARGE_BYTES;
        byte[] b = (isBulk ? FREE_BULK : FREE_LARGE).poll();
        return b != null ? b : new byte[isBulk ? BULK_BYTES : LARGE_BYTES];
    }

    static void giveBack(byte[] b) {
        if (b.length == LARGE_BYTES) FREE_LARGE.offer(b);
        if (b.length == BULK_BYTES) FREE_BULK.offer(b);
    }
}
