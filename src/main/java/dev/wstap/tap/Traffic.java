package dev.wstap.tap;

/**
 * What crossed one direction of a session.
 *
 * @param frames   complete frames
 * @param messages complete data messages (a fragmented one counts once)
 * @param bytes    bytes forwarded, frame headers included
 */
public record Traffic(long frames, long messages, long bytes) {}
