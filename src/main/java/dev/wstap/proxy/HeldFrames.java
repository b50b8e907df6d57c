package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import java.io.IOException;
import java.util.List;

/**
 * A frame or message that a {@link Verdict.Hold} keeps back, and the three ways to end the wait:
 * {@link #release()} sends it as it arrived, {@link #replace} sends other frames in its place (the
 * original is logged as replaced), {@link #drop} sends nothing. Each is shown and logged. Later
 * data in its direction waits behind it; control frames pass. Thread safe: any thread may decide,
 * once; later calls do nothing and return false.
 */
public final class HeldFrames {
    private final Session session;
    private final Direction dir;
    private final Outbox outbox;
    private final Outbox.Item item;
    private final List<WholeFrame> frames;

    HeldFrames(Session session, Direction dir, Outbox outbox, Outbox.Item item, List<WholeFrame> frames) {
        this.session = session;
        this.dir = dir;
        this.outbox = outbox;
        this.item = item;
        this.frames = List.copyOf(frames);
    }

    public Session session() {
        return session;
    }

    public Direction dir() {
        return dir;
    }

    /** The held frames as they arrived. */
    public List<WholeFrame> frames() {
        return frames;
    }

    public boolean isHeld() {
        return outbox.isHeld(item);
    }

    /** Sends it as it arrived. */
    public boolean release() throws IOException {
        if (!isHeld()) return false;
        outbox.release(item, null);
        return true;
    }

    /** Sends {@code replacement} (frames of wstap's own encoding) in its place. */
    public boolean replace(List<OutFrame> replacement, String why) throws IOException {
        if (!isHeld()) return false;
        List<OutFrame> edited = replacement.stream().map(f -> f.as(Fate.EDITED, why)).toList();
        for (WholeFrame f : frames) session.notSent(dir, f.frame(), Fate.REPLACED, why);
        outbox.release(item, edited);
        return true;
    }

    /** Sends nothing. */
    public boolean drop(String why) throws IOException {
        if (!outbox.drop(item)) return false;
        for (WholeFrame f : frames) session.notSent(dir, f.frame(), Fate.DROPPED, why);
        outbox.drain(); // what waited behind it may go now
        return true;
    }
}
