package dev.wstap.replay;

/** A replay that cannot start: the log, the session or the options do not allow it. The message says what to do. */
public final class ReplayException extends Exception {
    public ReplayException(String message) {
        super(message);
    }
}
