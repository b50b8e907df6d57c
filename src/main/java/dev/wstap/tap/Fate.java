package dev.wstap.tap;

import java.util.Locale;

/**
 * What happened to a frame at wstap: whether it left, and if so as it arrived or changed. Every
 * frame record carries one ({@code "fate"} in the log), so counts, the console and the log say what
 * left wstap, not only what arrived.
 */
public enum Fate {
    /** Left exactly as it arrived: the default. */
    FORWARDED(true),
    /** wstap's own frame, from the shell, a script or {@code --strict}. */
    INJECTED(true),
    /** Left as it arrived, after a handler delayed it. */
    DELAYED(true),
    /** Left as it arrived, after it was held and then released. */
    RELEASED(true),
    /** Sent in place of a frame that was changed; the original has the fate {@link #REPLACED}. */
    EDITED(true),
    /**
     * The same message as it arrived, compressed again by wstap: after a change to an earlier
     * compressed message, on a direction whose sender keeps its compression context, the
     * receiver's context follows wstap's compressor (docs/intercept.md).
     */
    RECOMPRESSED(true),
    /** A copy of a forwarded frame, sent again by a handler. */
    DUPLICATED(true),
    /** A frame a handler put before or after another. */
    INSERTED(true),
    /** Arrived and waits for a decision (released, edited or dropped later); not sent yet. */
    HELD(false),
    /** Arrived and was not sent: a handler dropped it. */
    DROPPED(false),
    /** Arrived and was not sent as it was: frames with the fate {@link #EDITED} went in its place. */
    REPLACED(false),
    /**
     * Arrived after wstap's own close had gone the same way, and was not forwarded: an endpoint
     * sends nothing after its close (RFC 6455 §5.5.1).
     */
    AFTER_CLOSE(false);

    private final boolean isSent;

    Fate(boolean isSent) {
        this.isSent = isSent;
    }

    /** Whether the frame left wstap: only those count as traffic. */
    public boolean isSent() {
        return isSent;
    }

    /** {@code forwarded}, {@code after-close}, ...: as the log writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The fate a log names, for reading a log back. */
    public static Fate parse(String label) {
        for (Fate f : values()) {
            if (f.label().equals(label)) return f;
        }
        throw new IllegalArgumentException("unknown fate '" + label + "'");
    }
}
