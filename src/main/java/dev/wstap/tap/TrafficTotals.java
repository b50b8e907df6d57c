package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;

/**
 * Running totals over every session since the start, for the shell's {@code stats}: sessions
 * opened, and per direction frames, whole messages (one for each {@link MessageSeen}), bytes on
 * the wire (headers included), injected frames and frames with violations. Fed by the tap on one
 * thread; read from any.
 */
public final class TrafficTotals implements TapSink {
    /** One direction's totals. */
    public record Counts(long frames, long messages, long bytes, long injected, long flagged) {
        Counts plus(ParsedFrame f, boolean isInjected) {
            return new Counts(frames + 1, messages, bytes + f.header().encodedLength() + f.header().payloadLength(),
                    injected + (isInjected ? 1 : 0), flagged + (f.hasViolations() ? 1 : 0));
        }

        Counts plusMessage() {
            return new Counts(frames, messages + 1, bytes, injected, flagged);
        }
    }

    /** A snapshot: how long wstap has run, the sessions opened, and each direction's counts. */
    public record Snapshot(Duration uptime, int opened, Counts c2s, Counts s2c) {
        public Counts counts(Direction dir) {
            return dir == Direction.C2S ? c2s : s2c;
        }
    }

    private static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    private final Instant started = Instant.now();
    private int opened;
    private Counts c2s = NONE;
    private Counts s2c = NONE;

    @Override
    public synchronized void accept(TapEvent event) {
        switch (event) {
            case Opened o -> opened++;
            case Closed c -> { }
            case FrameSeen f when f.isDropped() -> { } // it never crossed
            case FrameSeen f -> {
                if (f.dir() == Direction.C2S) {
                    c2s = c2s.plus(f.frame(), f.isInjected());
                } else {
                    s2c = s2c.plus(f.frame(), f.isInjected());
                }
            }
            case MessageSeen m -> {
                if (m.dir() == Direction.C2S) {
                    c2s = c2s.plusMessage();
                } else {
                    s2c = s2c.plusMessage();
                }
            }
            case HttpSeen h -> { }
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(Duration.between(started, Instant.now()), opened, c2s, s2c);
    }
}
