package dev.wstap.proxy;

/**
 * How held messages share a direction with the rest of its traffic (docs/intercept.md, "Rules of
 * holding"): whether pings and pongs keep flowing past held data, and how many bytes may wait in
 * one direction before the oldest held messages are released so that memory stays bounded.
 *
 * @param isControlInOrder   pings and pongs wait behind held data too ({@code --hold-control}); by
 *                           default they pass it, as RFC 6455 §5.4 lets control frames go between
 *                           any two frames
 * @param maxWaitingBytes    bytes that may wait in one direction (held, and what waits behind held
 *                           messages) before held messages are released oldest first ({@code --hold-max})
 */
public record HoldRules(boolean isControlInOrder, long maxWaitingBytes) {
    public static final long DEFAULT_MAX_WAITING_BYTES = 16L * 1024 * 1024;
    public static final HoldRules DEFAULT = new HoldRules(false, DEFAULT_MAX_WAITING_BYTES);

    public HoldRules {
        if (maxWaitingBytes < 1) throw new IllegalArgumentException("the hold cap " + maxWaitingBytes + " must be at least one byte");
    }
}
