package dev.wstap.proxy;

import dev.wstap.tap.RoundTrips;
import dev.wstap.wire.Direction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Matches pongs to the pings they answer (RFC 6455 §5.5.3: same payload, opposite direction) and
 * keeps round-trip statistics. Bounded: only the latest pings per direction wait for an answer.
 * Thread safe: both pumps of a session call it.
 */
final class PingTracker {
    private static final int MAX_PENDING = 16;

    private record Pending(byte[] payload, long nanos) {}

    private final Deque<Pending> fromClient = new ArrayDeque<>();
    private final Deque<Pending> fromServer = new ArrayDeque<>();
    private int count;
    private long totalNanos;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos;

    synchronized void ping(Direction dir, byte[] payload, long nanos) {
        Deque<Pending> pending = dir == Direction.C2S ? fromClient : fromServer;
        if (pending.size() == MAX_PENDING) pending.removeFirst();
        pending.addLast(new Pending(payload, nanos));
    }

    /** The round trip when this pong answers a ping sent the other way, else null. */
    synchronized Duration pong(Direction dir, byte[] payload, long nanos) {
        Deque<Pending> pending = dir == Direction.C2S ? fromServer : fromClient;
        for (var it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (Arrays.equals(p.payload(), payload)) {
                it.remove();
                long rtt = nanos - p.nanos();
                count++;
                totalNanos += rtt;
                minNanos = Math.min(minNanos, rtt);
                maxNanos = Math.max(maxNanos, rtt);
                return Duration.ofNanos(rtt);
            }
        }
        return null;
    }

    synchronized RoundTrips stats() {
        if (count == 0) return RoundTrips.NONE;
        return new RoundTrips(count, Duration.ofNanos(minNanos), Duration.ofNanos(totalNanos / count), Duration.ofNanos(maxNanos));
    }
}
