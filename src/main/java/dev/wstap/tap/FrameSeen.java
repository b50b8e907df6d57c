package dev.wstap.tap;

import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.time.Duration;
import java.time.Instant;

/**
 * A frame crossed wstap, forwarded or injected or changed on its way; or arrived and was not sent.
 *
 * @param fate      what happened to it
 * @param roundTrip for a pong that answered a ping with the same payload, the time since that ping; else null
 * @param note      why its fate is not the default one, when something said why (a handler's reason); else null
 */
public record FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, Fate fate, Duration roundTrip, String note)
        implements TapEvent {

    public FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected) {
        this(time, conn, dir, frame, isInjected ? Fate.INJECTED : Fate.FORWARDED, null, null);
    }

    public FrameSeen(Instant time, int conn, Direction dir, ParsedFrame frame, boolean isInjected, Duration roundTrip) {
        this(time, conn, dir, frame, isInjected ? Fate.INJECTED : Fate.FORWARDED, roundTrip, null);
    }

    /** wstap's own frame. */
    public boolean isInjected() {
        return fate == Fate.INJECTED;
    }

    /** The frame arrived and did not leave (yet): it is not traffic. */
    public boolean isDropped() {
        return !fate.isSent();
    }
}
