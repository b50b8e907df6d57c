package dev.wstap.proxy;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;

/**
 * One step of a direction's decision point, between the parser and the writer (DESIGN.md, data
 * flow): it says, from a frame's header, whether it needs to see the whole frame or the whole data
 * message before it can decide, and then decides its {@link Verdict}. A frame no handler needs
 * passes cut-through, byte for byte. Handlers run on the forwarding thread of their direction and
 * must not block; holding is a verdict, not a wait.
 *
 * <p>Example, a handler that drops every pong towards the client:
 * <pre>{@code
 * new FrameHandler() {
 *     public Need need(Direction dir, FrameHeader h) {
 *         return dir == Direction.S2C && h.opcode() == Opcode.PONG ? Need.FRAME : Need.NOTHING;
 *     }
 *     public Verdict decide(Direction dir, Arrival arrival) {
 *         return new Verdict.Drop("no pongs");
 *     }
 * }
 * }</pre>
 */
public interface FrameHandler {

    /** What a handler must see before it decides. */
    enum Need {
        /** Nothing: the frame is none of its business. */
        NOTHING,
        /** The whole frame. */
        FRAME,
        /**
         * The whole data message, all its fragments: asked of the first frame of a text or binary
         * message, and holds for the rest of it; control frames between the fragments are asked on
         * their own.
         */
        MESSAGE
    }

    /**
     * Whether it wants to see nothing at all of direction {@code dir} right now (an intercept with
     * no expression set, or one for the other direction): while every handler of a direction is
     * idle, its frames stream cut-through, as with none.
     */
    default boolean isIdle(Direction dir) {
        return false;
    }

    /** Called when a frame's header is complete, before any of its payload moves. */
    Need need(Direction dir, FrameHeader header);

    /**
     * The fate of a whole frame (the arrival has one frame), or of a whole message (its frames in
     * order), buffered as they arrived.
     */
    Verdict decide(Direction dir, Arrival arrival);
}
