package dev.wstap.tap;

import java.util.Set;

/**
 * What a sink wants of the tap's events ({@link Tap#attach}). Events a sink does not want never
 * reach its queue, so no forwarding thread hands a sink what it would throw away.
 *
 * <p>Example: the JSONL log wants {@code Set.of(SESSIONS, FRAMES, MESSAGES_UNLIKE_FRAMES)}, since a
 * frame record stands for a message that is its single frame; a quiet console {@link #SESSIONS_ONLY}.
 */
public enum Interest {
    /** {@link Opened}, {@link Closed} and {@link HttpSeen}: sessions and the HTTP exchanges that were none. */
    SESSIONS,
    /** Every {@link FrameSeen}. */
    FRAMES,
    /**
     * The {@link MessageSeen}s that differ from their single frame (see {@link MessageSeen#isSameAsFrame}):
     * reassembled from fragments, inflated, or both.
     */
    MESSAGES_UNLIKE_FRAMES,
    /** Every {@link MessageSeen}, those that are the same as their single frame too. */
    MESSAGES;

    /** Everything the tap sends. */
    public static final Set<Interest> EVERYTHING = Set.of(SESSIONS, FRAMES, MESSAGES);
    /** Sessions opening and closing, no traffic ({@code --quiet}). */
    public static final Set<Interest> SESSIONS_ONLY = Set.of(SESSIONS);
}
