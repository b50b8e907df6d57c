package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;

/**
 * A frame crossed wstap, forwarded or injected.
 *
 * @param roundTrip for a pong that answered a ping with the same payload, the time since that ping; else null
 */
public record FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected, Duration roundTrip)
        implements TapEvent {

    public FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected) {
        this(time, conn, dir, frame, isInjected, null);
    }
}
