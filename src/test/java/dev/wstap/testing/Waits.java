package dev.wstap.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How long a test waits for something that takes milliseconds on an idle machine. The limits the
 * tests name are for a machine with a core to spare; when the machine is busier than that (a
 * benchmark, a parallel build, a CI host starting up), every wait stretches by how many runnable
 * tasks there are per core, up to {@link #MAX_FACTOR} times. A wait that ends early costs nothing, so
 * stretching only ever turns a false failure into a pass.
 */
public final class Waits {
    /** The most a wait is stretched: past it, something is stuck rather than slow. */
    static final double MAX_FACTOR = 6;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private Waits() {}

    /** {@code limit}, stretched by the machine's load at this moment. */
    public static Duration scaled(Duration limit) {
        return Duration.ofNanos((long) (limit.toNanos() * factor()));
    }

    public static long scaledMillis(long millis) {
        return (long) (millis * factor());
    }

    /** Runnable tasks per core over the last minute, at least 1 and at most {@link #MAX_FACTOR}. */
    static double factor() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load < 0) return 2; // the system does not say: assume a busy machine
        return Math.max(1, Math.min(MAX_FACTOR, load / CORES));
    }
}
