package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import java.io.IOException;
import java.time.Instant;

/**
 * A message or frame that a {@link Verdict.Hold} keeps back, and the ways to end the wait:
 * {@link #release()} sends it as it arrived, {@link #edit} sends a new payload in its place
 * (framed, masked and compressed by wstap; the original is logged as replaced), {@link #drop}
 * sends nothing. Each is shown and logged with the hold's label. Later data in its direction waits
 * behind it; control frames pass unless the {@link HoldRules} keep them in order. Thread safe: any
 * thread may decide, once; later calls do nothing and return false.
 */
public final class HeldFrames {
    private final Session session;
    private final Direction dir;
    private final Outbox outbox;
    private final Outbox.Item item;
    private final Arrival arrival;
    private final String label;
    private final Instant heldAt = Instant.now();

    HeldFrames(Session session, Direction dir, Outbox outbox, Outbox.Item item, Arrival arrival, String label) {
        this.session = session;
        this.dir = dir;
        this.outbox = outbox;
        this.item = item;
        this.arrival = arrival;
        this.label = label;
    }

    public Session session() {
        return session;
    }

    public Direction dir() {
        return dir;
    }

    /** The held frames as they arrived, and the message they make. */
    public Arrival arrival() {
        return arrival;
    }

    /** What its records are marked with ({@code #3}): the hold's reason. */
    public String label() {
        return label;
    }

    public Instant heldAt() {
        return heldAt;
    }

    /** Whether it still waits for a decision: false once decided, released over the cap, or dropped with its connection. */
    public boolean isHeld() {
        return outbox.isHeld(item);
    }

    /** Whether it is a whole data message, so that {@link #edit} may change it. */
    public boolean isEditable() {
        return arrival.message() != null;
    }

    /** Sends it as it arrived. */
    public boolean release() throws IOException {
        return release(null);
    }

    /** Sends it as it arrived, its records marked {@code note} instead of the label (null: the label). */
    public boolean release(String note) throws IOException {
        return outbox.release(item, note);
    }

    /**
     * Sends {@code payload} (as the application sees it: text or binary, uncompressed) in its place,
     * marked {@code note}; false when it was no longer held.
     *
     * @throws IllegalStateException when it is not a whole data message ({@link #isEditable})
     */
    public boolean edit(byte[] payload, String note) throws IOException {
        if (!isEditable()) throw new IllegalStateException(label + " is a " + dev.wstap.wire.Opcode.name(arrival.opcode())
                + " frame, not a whole data message: it can be forwarded or dropped, not edited");
        if (!isHeld()) return false;
        if (!outbox.edit(item, payload, note)) return false;
        for (WholeFrame f : arrival.frames()) session.notSent(dir, f.frame(), Fate.REPLACED, note);
        outbox.drain();
        return true;
    }

    /** Sends nothing. */
    public boolean drop(String note) throws IOException {
        if (!outbox.drop(item, note)) return false;
        for (WholeFrame f : arrival.frames()) session.notSent(dir, f.frame(), Fate.DROPPED, note);
        outbox.drain(); // what waited behind it may go now
        return true;
    }
}
