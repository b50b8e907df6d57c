package dev.wstap.tap;

/**
 * What crossed one direction of a session.
 *
 * @param frames   complete frames
 * @param messages complete data messages (a fragmented one counts once)
 * @param bytes    bytes forwarded, frame headers included
 * @param dropped  complete frames that arrived after wstap's own close had gone that way, and so
 *                 were not forwarded (nor counted in the other three)
 */
public record Traffic(long frames, long messages, long bytes, long dropped) {

    public Traffic(long frames, long messages, long bytes) {
        this(frames, messages, bytes, 0);
    }
}
