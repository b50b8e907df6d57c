package dev.wstap.tap;

import java.time.Instant;

/**
 * A request that did not become a WebSocket session: plain HTTP relayed, an upgrade the upstream
 * refused, or one wstap answered itself (400, 431, 502...).
 *
 * @param isUpgrade true when the request asked for a WebSocket upgrade, false for plain HTTP and
 *                  for input that was no request at all
 * @param status the status the client got, or 0 when it got none
 * @param reason the reason phrase of that status, for display
 * @param error  why wstap answered it itself, else null
 */
public record HttpSeen(Instant time, int conn, String client, String method, String url, boolean isUpgrade, int status,
                       String reason, String error) implements TapEvent {}
