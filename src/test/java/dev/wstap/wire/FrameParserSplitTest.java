package dev.wstap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes arrive from a socket in arbitrary pieces. Whatever the pieces, the parser must report the
 * same headers and frames (previews and violations included) as when the stream comes whole.
 */
class FrameParserSplitTest {
    /** A preview limit that cuts the larger vectors, off the 4-byte rhythm of the mask key. */
    private static final int SHORT_PREVIEW = 201;
    /** Vectors up to this size are also run with the whole payload kept; bigger ones would make the test slow. */
    private static final int WHOLE_PREVIEW_UP_TO_BYTES = 4096;

    static List<Vectors.Vector> vectors() {
        return Vectors.all();
    }

    private static List<Integer> previewLimits(Vectors.Vector v) {
        return v.bytes().length <= WHOLE_PREVIEW_UP_TO_BYTES
                ? List.of(SHORT_PREVIEW, FrameRecorder.LARGE_PREVIEW)
                : List.of(SHORT_PREVIEW);
    }

    private static FrameParser parser(Vectors.Vector v, int maxPreview, FrameRecorder r) {
        FrameParser parser = new FrameParser(v.direction(), maxPreview, r);
        parser.allowRsv(v.allowedRsv());
        return parser;
    }

    private static List<Object> whole(Vectors.Vector v, int maxPreview) {
        FrameRecorder r = new FrameRecorder();
        parser(v, maxPreview, r).feed(v.bytes(), 0, v.bytes().length);
        assertTrue(r.frameCount() > 0, "a vector should hold at least one whole frame");
        return r.events();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void splitInTwoAtEveryPositionGivesTheSameFrames(Vectors.Vector v) {
        byte[] bytes = v.bytes();
        for (int maxPreview : previewLimits(v)) {
            List<Object> expected = whole(v, maxPreview);
            for (int split = 0; split <= bytes.length; split++) {
                FrameRecorder r = new FrameRecorder();
                FrameParser parser = parser(v, maxPreview, r);
                parser.feed(bytes, 0, split);
                parser.feed(bytes, split, bytes.length - split);
                assertEquals(expected, r.events(), "split at " + split + ", preview " + maxPreview);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void oneByteAtATimeGivesTheSameFrames(Vectors.Vector v) {
        byte[] bytes = v.bytes();
        for (int maxPreview : List.of(SHORT_PREVIEW, FrameRecorder.LARGE_PREVIEW)) {
            List<Object> expected = whole(v, maxPreview);
            FrameRecorder r = new FrameRecorder();
            FrameParser parser = parser(v, maxPreview, r);
            for (int i = 0; i < bytes.length; i++) {
                parser.feed(bytes, i, 1);
                parser.feed(bytes, i + 1, 0); // an empty read changes nothing
            }
            assertEquals(expected, r.events(), "preview " + maxPreview);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void frameBoundariesAreSeenAfterTheLastByteOfEachFrame(Vectors.Vector v) {
        // Fed one byte at a time, the parser is between frames exactly when a frame has just ended.
        byte[] bytes = v.bytes();
        FrameRecorder r = new FrameRecorder();
        FrameParser parser = parser(v, SHORT_PREVIEW, r);
        assertTrue(parser.isBetweenFrames());
        int frames = 0;
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
            boolean frameEnded = r.frameCount() > frames;
            frames = r.frameCount();
            // A frame whose length has its top bit set is reported at once but never ends.
            boolean isEndless = frameEnded && r.next().header().payloadLength() < 0;
            assertEquals(frameEnded && !isEndless, parser.isBetweenFrames(), "after byte " + i);
        }
    }
}
