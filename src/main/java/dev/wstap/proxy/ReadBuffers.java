package dev.wstap.proxy;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Large read buffers lent to pumps while bytes flow, so that an idle session holds only a small
 * buffer of its own. At most {@link #KEPT} are kept for reuse; beyond that a returned buffer is
 * left to the garbage collector. Thread safe.
 */
final class ReadBuffers {
    static final int LARGE_BYTES = 64 * 1024;
    /** Enough for every pump that is busy at once on a small machine. */
    static final int KEPT = 64;

    private static final ArrayBlockingQueue<byte[]> FREE = new ArrayBlockingQueue<>(KEPT);

    private ReadBuffers() {}

    static byte[] borrow() {
        byte[] b = FREE.poll();
        return b != null ? b : new byte[LARGE_BYTES];
    }

    static void giveBack(byte[] b) {
        FREE.offer(b);
    }
}
