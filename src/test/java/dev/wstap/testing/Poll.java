package dev.wstap.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, instead of sleeping a fixed time and hoping. */
public final class Poll {
    private static final long INTERVAL_MILLIS = 5;

    private Poll() {}

    /**
     * Returns as soon as {@code condition} holds; fails naming {@code what} after {@code limit},
     * stretched on a busy machine ({@link Waits}).
     */
    public static void until(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        Duration patience = Waits.scaled(limit);
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + patience.toMillis() + " ms waiting for " + what.get() + "; "
                        + ThreadDumps.write("poll-timed-out"));
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }

    public static void until(Duration limit, BooleanSupplier condition, String what) {
        until(limit, condition, () -> what);
    }
}
