package dev.wstap.tap;

import java.time.Instant;

/**
 * Something a session did that observers may want: the console, the log, later the shell. A
 * sealed family, so that a new kind of event makes the compiler list every sink that must handle it.
 */
public sealed interface TapEvent permits Opened, FrameSeen, MessageSeen, Closed, HttpSeen {
    Instant time();

    /** The session (connection) number, counted from 1 for each accepted connection. */
    int conn();
}
