package dev.wstap.wire;

import java.util.Arrays;

/**
 * How a message of another length is cut like one that came in given fragments: what wstap does
 * when it sends a changed message in the place of one (intercept, rules) or a recorded message
 * again (replay).
 */
public final class Fragmentation {
    private Fragmentation() {}

    /**
     * The payload sizes of the frames for {@code length} bytes standing for a message that came in
     * frames of {@code template} bytes: the same sizes with the last one taking the rest, when the
     * sizes before the last fit into {@code length}; else one frame of {@code length}.
     * Example: template {@code [4, 4, 3]} and 10 bytes give {@code [4, 4, 2]}; 7 bytes give {@code [7]}.
     */
    public static long[] sizesLike(long[] template, long length) {
        if (template.length <= 1) return new long[] {length};
        long before = 0;
        for (int i = 0; i < template.length - 1; i++) before += template[i];
        if (before > length) return new long[] {length};
        long[] sizes = Arrays.copyOf(template, template.length);
        sizes[sizes.length - 1] = length - before;
        return sizes;
    }

    /**
     * The length form for a new payload of {@code length} bytes in the place of a frame that used
     * {@code was} for {@code wasLength}: a minimal form stays minimal; a longer one (a sender's
     * choice, or a deliberate fault) stays where the new length still fits in it.
     */
    public static LengthEncoding lengthFormLike(LengthEncoding was, long wasLength, long length) {
        boolean wasMinimal = was == LengthEncoding.minimalFor(wasLength);
        boolean fits = was.ordinal() >= LengthEncoding.minimalFor(length).ordinal();
        return wasMinimal || !fits ? LengthEncoding.minimalFor(length) : was;
    }
}
