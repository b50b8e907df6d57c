package dev.wstap.tls;

/** The CA cannot be used: missing, unreadable, or its key readable by others. The message says how to fix it. */
public final class CaException extends RuntimeException {
    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
