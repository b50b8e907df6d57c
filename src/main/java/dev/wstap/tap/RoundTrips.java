package dev.wstap.tap;

import java.time.Duration;

/**
 * Ping/pong round trips of a session: pongs that answered a ping with the same payload.
 *
 * @param count how many were measured; min, avg and max are null when none was
 */
public record RoundTrips(int count, Duration min, Duration avg, Duration max) {
    public static final RoundTrips NONE = new RoundTrips(0, null, null, null);
}
