package dev.wstap.cli;

/** A failure the user can act on: one line of text and the exit code to leave with. */
public final class WstapException extends RuntimeException {
    private final int exitCode;

    public WstapException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public WstapException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
