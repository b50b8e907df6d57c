package dev.wstap.proxy;

/**
 * The threads a session's two pumps run on.
 *
 * <p>{@link #VIRTUAL} by default: an idle session costs a few kilobytes, and many busy sessions
 * share the carrier threads with few context switches, which gives the most throughput. But a
 * read that was waiting wakes in two hand-offs (the poller, then a carrier), which adds tens of
 * microseconds to each frame's trip. {@link #PLATFORM} ({@code --low-latency}, and {@code wstap
 * connect}'s single session) wakes the pump's own thread straight from the kernel: about half the
 * added round trip, at the cost of throughput when many sessions are busy at once
 * (docs/performance.md).
 */
enum PumpThreads {
    VIRTUAL,
    PLATFORM;

    /** Pumps keep shallow stacks; the default 1 MiB per platform thread is reserved for nothing. */
    private static final long PLATFORM_STACK_BYTES = 256 * 1024;

    Thread start(String name, Runnable task) {
        Thread.Builder builder = this == PLATFORM
                ? Thread.ofPlatform().daemon().stackSize(PLATFORM_STACK_BYTES)
                : Thread.ofVirtual();
        return builder.name(name).start(task);
    }
}
