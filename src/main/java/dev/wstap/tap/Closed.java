package dev.wstap.tap;

import java.time.Duration;
import java.time.Instant;

/**
 * A session ended.
 *
 * @param closedBy {@code client} or {@code server}: who sent the first close frame or, when there was
 *                 none, whose side of the connection ended first; {@code wstap} when wstap ended the
 *                 session itself (then {@code error} says why); null when unknown
 * @param code     the status code of the first close frame, -1 when it had none or there was none
 * @param reason   its reason, empty when none
 * @param isClean  true when close frames went both ways before the connection ended
 * @param error    what went wrong when the end was abnormal (a reset, a timeout), else null
 * @param closeAnswer from the first close frame until the close handshake was complete (every peer that was
 *                    sent a close had answered it: usually the other side's answer); null when it never was
 * @param pings       the ping/pong round trips measured during the session
 */
public record Closed(Instant time, int conn, String closedBy, int code, String reason, boolean isClean, String error,
                     Duration duration, Traffic c2s, Traffic s2c, Duration closeAnswer, RoundTrips pings) implements TapEvent {}
