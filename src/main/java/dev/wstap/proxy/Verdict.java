package dev.wstap.proxy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link FrameHandler} decided for a frame or message. In a chain of handlers the first
 * verdict that is not {@link Pass} is the one that counts. Every verdict but {@link Pass} is
 * marked on the console and in the log (the frame record's {@code fate}, with {@code note}).
 */
public sealed interface Verdict {
    /** Send it on as it arrived: the default. */
    Pass PASS = new Pass();

    record Pass() implements Verdict {}

    /** Send nothing; it is shown and logged as dropped, with {@code why}. */
    record Drop(String why) implements Verdict {}

    /**
     * Send {@code frames} in its place (frames of wstap's own encoding, {@link OutFrame#encode});
     * the original is logged as replaced.
     */
    record Replace(List<OutFrame> frames, Duration delay, String why) implements Verdict {
        public Replace {
            frames = List.copyOf(frames);
        }

        public Replace(List<OutFrame> frames, String why) {
            this(frames, Duration.ZERO, why);
        }
    }

    /**
     * Send the data message with {@code payload} (as the application sees it) instead, after
     * {@code delay}: framed and masked by wstap in the original's fragments where they fit, and
     * compressed when the original was (the direction is compressed again by wstap from here on
     * where the sender keeps its context). The original is logged as replaced.
     */
    record Edit(byte[] payload, Duration delay, String why) implements Verdict {}

    /** Send it after the next data message this way. */
    record Reorder(String why) implements Verdict {}

    /** Forward nothing more this way, this frame or message included, without closing: until the session ends. */
    record Stall(String why) implements Verdict {}

    /** Send it unchanged after {@code delay}; later frames this way wait behind it (control frames may pass data). */
    record Delay(Duration delay, String why) implements Verdict {}

    /** Send it, then {@code copies} more copies of it. */
    record Duplicate(int copies, String why) implements Verdict {
        public Duplicate {
            if (copies < 1) throw new IllegalArgumentException("copies " + copies + " must be at least 1");
        }
    }

    /** Send {@code before}, then it unchanged, then {@code after}. */
    record Insert(List<OutFrame> before, List<OutFrame> after, String why) implements Verdict {
        public Insert {
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    /**
     * Keep it until the {@link HeldFrames} given to {@code onHeld} releases, replaces or drops it.
     * Later data this way waits behind it, so order is kept; control frames keep flowing.
     */
    record Hold(Consumer<HeldFrames> onHeld, String why) implements Verdict {}
}
