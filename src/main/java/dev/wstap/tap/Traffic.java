package dev.wstap.tap;

/** What crossed one direction of a session: frames and bytes on the wire, headers included. */
public record Traffic(long frames, long bytes) {}
