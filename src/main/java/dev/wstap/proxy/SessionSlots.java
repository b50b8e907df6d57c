package dev.wstap.proxy;

import java.util.concurrent.Semaphore;

/**
 * How many more WebSocket sessions may open ({@code --max-sessions}): an upgrade takes a slot
 * before wstap asks the upstream, and its session gives it back when it ends (or the upgrade when it
 * fails). Taking never waits: a client beyond the limit gets a 503 at once. Thread safe.
 */
final class SessionSlots {
    private final int max;
    /** Null when there is no limit. */
    private final Semaphore free;

    /** {@code max}: the most sessions open at once; {@link ProxyConfig#UNLIMITED_SESSIONS} for no limit. */
    SessionSlots(int max) {
        this.max = max;
        this.free = max == ProxyConfig.UNLIMITED_SESSIONS ? null : new Semaphore(max);
    }

    /** Takes a slot if one is free. */
    boolean tryTake() {
        return free == null || free.tryAcquire();
    }

    /** Gives back a slot that {@link #tryTake} gave. */
    void give() {
        if (free != null) free.release();
    }

    int max() {
        return max;
    }
}
