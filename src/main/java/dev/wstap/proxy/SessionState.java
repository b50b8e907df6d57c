package dev.wstap.proxy;

import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * How one session closes and ends, sans I/O: events in (a close frame left wstap or arrived and was
 * not forwarded, wstap sealed a direction with its own close, a direction's stream ended, wstap
 * failed the session under {@code --strict} or dropped it), facts out (the phase, whether a way is
 * sealed, who closed, with what code, how long the answer took, and the outcome). The pumps, the
 * writers and the injector feed it; the session's close record is read from it. It follows the
 * close handshake on both sides of wstap (RFC 6455 §7.1.2): each peer is sent a close and sends one.
 *
 * <p>Example: {@code state.closeWritten(C2S, Origin.PEER, new ClosePayload(1000, ""), t0);
 * state.closeWritten(S2C, Origin.PEER, ..., t1)} makes {@link #phase()} {@code CLOSED} and the
 * ending clean, answered in {@code t1 - t0}. Thread safe: both pumps of a session feed it.
 */
public final class SessionState {

    /** Who did something: one of the peers, or wstap itself. */
    public enum Party {
        CLIENT, SERVER, WSTAP;

        /** {@code client}, {@code server} or {@code wstap}, as the close record writes it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The peer that sends frames in {@code dir}. */
        public static Party senderOf(Direction dir) {
            return dir == Direction.C2S ? CLIENT : SERVER;
        }
    }

    /** Where a close frame that left wstap came from. */
    public enum Origin { PEER, WSTAP }

    /** Where the session is: no close yet, a close on its way, or a close each way and an answer each way. */
    public enum Phase { OPEN, CLOSING, CLOSED }

    /** How a session ended, for the close record and the shell. */
    public enum Outcome {
        /** Each peer was sent a close and sent one. */
        CLEAN,
        /** A close went to a peer that never answered it. */
        UNANSWERED,
        /** The connection ended without a close frame either way. */
        NO_CLOSE,
        /** A socket failed (reset, broken pipe) before the close handshake was complete. */
        FAILED,
        /** wstap dropped both connections (a shutdown without answers, a timeout). */
        ABORTED,
        /** {@code --strict}: wstap closed both peers because one broke the protocol. */
        STRICT
    }

    /** What ended a direction's stream abnormally. */
    public enum FailureKind {
        /** The connection was already closed on wstap's side (wstap dropped it, or TLS ended without close_notify). */
        CONNECTION_CLOSED,
        RESET,
        /** The receiver had gone while bytes were still being written to it. */
        BROKEN_PIPE,
        OTHER
    }

    /** A stream that ended abnormally: its kind and, for {@link FailureKind#OTHER}, the system's words. */
    public record Failure(FailureKind kind, String detail) {}

    /**
     * The facts of the end.
     *
     * @param closedBy    who sent the first close frame; when there was none, whose stream ended first; null when unknown
     * @param code        the first close frame's status code, -1 when it had none or there was none
     * @param closeAnswer from the first close until the close handshake was complete; null when it never was
     * @param error       what went wrong, as a sentence, or null
     */
    public record Ending(Party closedBy, int code, String reason, boolean isClean, String error, Duration closeAnswer,
                         Outcome outcome) {}

    private final boolean isClientLocal;
    private Direction firstCloseDir;
    private ClosePayload firstClose;
    private boolean isFirstCloseWstaps;
    private long firstCloseNanos;
    /** Directions in which a close frame went on to the receiver, forwarded or wstap's own. */
    private final EnumSet<Direction> closeTowards = EnumSet.noneOf(Direction.class);
    /** Directions whose sender sent a close frame, whether wstap forwarded it or not. */
    private final EnumSet<Direction> closeFrom = EnumSet.noneOf(Direction.class);
    /** Directions wstap sealed with a close of its own: nothing more is forwarded that way. */
    private final EnumSet<Direction> sealed = EnumSet.noneOf(Direction.class);
    private Duration closeAnswer;
    private Party endedFirstBy;
    private String streamError;
    private boolean isStreamErrorConnectionClosed;
    private String abortReason;
    private ClosePayload strictClose;

    /**
     * {@code isClientLocal}: the client end is wstap itself ({@code wstap connect}), so the close
     * frames wstap sends the server are the client's own.
     */
    public SessionState(boolean isClientLocal) {
        this.isClientLocal = isClientLocal;
    }

    /** A close frame left wstap in {@code dir}: a peer's, forwarded, or wstap's own. */
    public synchronized void closeWritten(Direction dir, Origin origin, ClosePayload payload, long nanos) {
        firstClose(dir, origin == Origin.WSTAP, payload, nanos);
        closeTowards.add(dir);
        if (origin == Origin.PEER || (isClientLocal && dir == Direction.C2S)) closeFrom.add(dir);
        answeredAt(nanos);
    }

    /** A peer's close frame arrived in {@code dir} after wstap had sealed it, and so was not forwarded: it still answers. */
    public synchronized void closeNotForwarded(Direction dir, ClosePayload payload, long nanos) {
        firstClose(dir, false, payload, nanos);
        closeFrom.add(dir);
        answeredAt(nanos);
    }

    private void firstClose(Direction dir, boolean isWstaps, ClosePayload payload, long nanos) {
        if (firstCloseDir != null) return;
        firstCloseDir = dir;
        firstClose = payload;
        isFirstCloseWstaps = isWstaps;
        firstCloseNanos = nanos;
    }

    private void answeredAt(long nanos) {
        if (closeAnswer == null && isCloseComplete()) closeAnswer = Duration.ofNanos(nanos - firstCloseNanos);
    }

    /**
     * wstap's own close is committed to go in {@code dir}: from now on nothing the sender sends that
     * way is forwarded, as an endpoint sends nothing after its close (RFC 6455 §5.5.1).
     */
    public synchronized void sealed(Direction dir) {
        sealed.add(dir);
    }

    /** Whether frames arriving in {@code dir} are still forwarded. */
    public synchronized boolean isSealed(Direction dir) {
        return sealed.contains(dir);
    }

    /** Whether a close frame has gone towards the receiver of {@code dir}, forwarded or wstap's. */
    public synchronized boolean hasSentClose(Direction dir) {
        return closeTowards.contains(dir);
    }

    /**
     * The stream of {@code dir} ended: {@code side} is whose socket ended or failed, {@code failure}
     * null for an orderly end of stream, {@code cutFrame} where the sender's stream stopped when that
     * was inside a frame, else null.
     */
    public synchronized void directionEnded(Direction dir, Party side, Failure failure, String cutFrame) {
        if (endedFirstBy == null) endedFirstBy = side;
        // Once both peers have closed, how TCP ends is no fault: a TLS client that resets its
        // connection right after the close handshake still closed cleanly.
        if (streamError != null || (isCloseComplete() && cutFrame == null)) return;
        if (failure != null) {
            streamError = describe(side, failure) + (cutFrame == null ? "" : " " + cutFrame);
            isStreamErrorConnectionClosed = failure.kind() == FailureKind.CONNECTION_CLOSED && cutFrame == null;
        } else if (cutFrame != null) {
            streamError = side.label() + " closed the connection " + cutFrame;
        }
    }

    /** {@code --strict}: wstap closed the sender of {@code dir} with {@code code} for breaking {@code rule}; {@code why} says all. */
    public synchronized void strictFailure(int code, String rule, String why) {
        if (strictClose == null) strictClose = new ClosePayload(code, rule);
        aborted(why);
    }

    /** wstap dropped both connections; {@code why} is said unless the close handshake was complete. */
    public synchronized void aborted(String why) {
        if (abortReason == null) abortReason = why;
    }

    /** Each peer has been sent a close frame and has sent one. */
    private boolean isCloseComplete() {
        return closeTowards.size() == 2 && closeFrom.size() == 2;
    }

    public synchronized Phase phase() {
        if (firstCloseDir == null) return Phase.OPEN;
        return isCloseComplete() ? Phase.CLOSED : Phase.CLOSING;
    }

    /** Who sent the first close frame, or null while there was none. */
    public synchronized Party firstCloser() {
        if (firstCloseDir == null) return null;
        return isFirstCloseWstaps ? Party.WSTAP : Party.senderOf(firstCloseDir);
    }

    /** The facts of the end, once both directions have ended. */
    public synchronized Ending ending() {
        if (strictClose != null) {
            // wstap ended it on purpose; whatever the peers answered to wstap's closes changes nothing.
            return new Ending(Party.WSTAP, strictClose.code(), strictClose.reason(), false, abortReason, null, Outcome.STRICT);
        }
        boolean isClean = isCloseComplete();
        Party endedFirst = endedFirstBy;
        String error = streamError;
        boolean isAborted = abortReason != null && !isClean;
        if (isAborted) {
            endedFirst = Party.WSTAP;
            error = abortReason;
        } else if (isClean && isStreamErrorConnectionClosed) {
            error = null;
        }
        Party closedBy = firstCloseDir == null ? endedFirst : firstCloser();
        int code = firstClose == null ? -1 : firstClose.code();
        String reason = firstClose == null ? "" : firstClose.reason();
        if (error == null && firstCloseDir == null && endedFirst != null) {
            error = endedFirst.label() + " closed the connection without a close frame";
        }
        String silent = firstCloseDir == null || isClean ? null : silentPeers();
        if (silent != null) error = error == null ? silent : error + "; " + silent;
        Outcome outcome = isClean ? Outcome.CLEAN
                : isAborted ? Outcome.ABORTED
                : streamError != null && !isStreamErrorConnectionClosed ? Outcome.FAILED
                : silent != null ? Outcome.UNANSWERED
                : Outcome.NO_CLOSE;
        return new Ending(closedBy, code, reason, isClean, error, closeAnswer, outcome);
    }

    /** Who was sent a close frame and never sent one, as the close record says it; null when nobody. */
    private String silentPeers() {
        List<String> silent = new ArrayList<>(2);
        for (Direction dir : Direction.values()) {
            if (closeTowards.contains(dir) && !closeFrom.contains(dir.reverse())) silent.add("the " + dir.receiver());
        }
        return silent.isEmpty() ? null : String.join(" and ", silent) + " did not answer the close";
    }

    private static String describe(Party side, Failure failure) {
        return switch (failure.kind()) {
            case CONNECTION_CLOSED -> "connection closed";
            case RESET -> side.label() + " reset the connection";
            case BROKEN_PIPE -> side.label() + " closed the connection while data was still being sent to it";
            case OTHER -> side.label() + ": " + failure.detail();
        };
    }

    /** {@code open}, or {@code closing} / {@code closed} with who sent the first close frame, for the shell's list. */
    public synchronized String describeState() {
        if (firstCloseDir == null) return "open";
        String by = isFirstCloseWstaps ? "wstap" : "the " + firstCloseDir.sender();
        return (isCloseComplete() ? "closed by " : "closing: close sent by ") + by;
    }
}
