package dev.wstap.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a session's two pumps run on, and which kind a new session gets.
 *
 * <p>A read on a {@link #PLATFORM} thread wakes straight from the kernel. A read on a
 * {@link #VIRTUAL} thread wakes in two hand-offs (the poller, then a carrier), which adds about
 * a hundred microseconds to a round trip here and costs CPU per read when a session's frames come
 * a few at a time; but many busy sessions share the carriers with few context switches, and an
 * idle one costs a few kilobytes (docs/performance.md). So by default ({@link Choice#mixed}) the
 * first {@link #PLATFORM_SESSIONS} sessions open at once get platform threads and the rest virtual
 * ones; {@code --low-latency} gives every session platform threads, and {@code wstap connect}'s
 * single session has them too.
 */
enum PumpThreads {
    VIRTUAL,
    PLATFORM;

    /**
     * Sessions that get platform threads while they are open, by default: one per core. More cost
     * the virtual sessions beside them throughput (8 of 50 on two cores: 15-30 % at 4 KiB).
     */
    static final int PLATFORM_SESSIONS = Runtime.getRuntime().availableProcessors();

    /** Pumps keep shallow stacks; the default 1 MiB per platform thread is reserved for nothing. */
    private static final long PLATFORM_STACK_BYTES = 256 * 1024;

    Thread start(String name, Runnable task) {
        Thread.Builder builder = this == PLATFORM
                ? Thread.ofPlatform().daemon().stackSize(PLATFORM_STACK_BYTES)
                : Thread.ofVirtual();
        return builder.name(name).start(task);
    }

    /** Which threads each new session gets; thread safe. */
    static final class Choice {
        private final int platformSessions;
        private final AtomicInteger onPlatform = new AtomicInteger();

        private Choice(int platformSessions) {
            this.platformSessions = platformSessions;
        }

        /** Platform threads for the first {@link #PLATFORM_SESSIONS} sessions open at once, virtual ones beyond. */
        static Choice mixed() {
            return new Choice(PLATFORM_SESSIONS);
        }

        /** Platform threads for every session ({@code --low-latency}). */
        static Choice allPlatform() {
            return new Choice(Integer.MAX_VALUE);
        }

        /** The threads for a session that starts now; give them back with {@link #ended} when it ends. */
        PumpThreads take() {
            while (true) {
                int n = onPlatform.get();
                if (n >= platformSessions) return VIRTUAL;
                if (onPlatform.compareAndSet(n, n + 1)) return PLATFORM;
            }
        }

        void ended(PumpThreads threads) {
            if (threads == PLATFORM) onPlatform.decrementAndGet();
        }
    }
}
