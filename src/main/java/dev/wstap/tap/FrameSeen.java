package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;

/**
 * A frame crossed wstap, forwarded or injected; or arrived and was not forwarded.
 *
 * @param roundTrip for a pong that answered a ping with the same payload, the time since that ping; else null
 * @param isDropped the frame came after wstap's own close frame had gone the same way, so it was
 *                  not forwarded (an endpoint sends nothing after its close, RFC 6455 §5.5.1)
 */
public record FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected, Duration roundTrip,
                        boolean isDropped) implements TapEvent {

    public FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected) {
        this(time, conn, dir, frame, isInjected, null, false);
    }

    public FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected, Duration roundTrip) {
        this(time, conn, dir, frame, isInjected, roundTrip, false);
    }
}
