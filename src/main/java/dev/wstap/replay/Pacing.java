package dev.wstap.replay;

/** When a replay sends each recorded frame of its side. */
public enum Pacing {
    /** After the peer has sent what it had sent at that point in the recording (counted by opcode, not compared). */
    lockstep,
    /** At the recorded time from the session's start, divided by {@code --speed}. */
    original,
    /** At once, one after the other. */
    asap
}
