package dev.wstap.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a session's pumps run on. The first {@link #PLATFORM_SESSIONS} sessions open at a
 * time get platform threads: a read that was waiting then wakes its own thread straight from the
 * kernel, where a virtual thread waits for a poller and then for a carrier, two hand-offs that
 * add tens of microseconds to every frame (docs/performance.md). Sessions beyond those get
 * virtual threads, which cost a few kilobytes each when idle, so that ten thousand sessions stay
 * small. Thread safe.
 */
final class PumpThreads {
    /** Enough for any debugging session; 2 threads each. */
    static final int PLATFORM_SESSIONS = 64;
    /** Pumps keep shallow stacks; the default 1 MiB per thread is reserved for nothing. */
    private static final long PLATFORM_STACK_BYTES = 256 * 1024;

    private static final AtomicInteger platformInUse = new AtomicInteger();

    private final boolean isPlatform;

    private PumpThreads(boolean isPlatform) {
        this.isPlatform = isPlatform;
    }

    /** Threads for one session; {@link #release} when it has ended. */
    static PumpThreads take() {
        while (true) {
            int n = platformInUse.get();
            if (n >= PLATFORM_SESSIONS) return new PumpThreads(false);
            if (platformInUse.compareAndSet(n, n + 1)) return new PumpThreads(true);
        }
    }

    Thread start(String name, Runnable task) {
        Thread.Builder builder = isPlatform
                ? Thread.ofPlatform().daemon().stackSize(PLATFORM_STACK_BYTES)
                : Thread.ofVirtual();
        return builder.name(name).start(task);
    }

    void release() {
        if (isPlatform) platformInUse.decrementAndGet();
    }
}
