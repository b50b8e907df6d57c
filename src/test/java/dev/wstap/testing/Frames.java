package dev.wstap.testing;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.util.ArrayList;
import java.util.List;

/** Splits a recorded byte stream into frames, to say in a test what a stream held. */
public final class Frames {
    private Frames() {}

    /**
     * One line per frame in {@code stream}: {@code "binary fin=1 masked len=307200"}. Fails when the
     * stream stops inside a frame, so that a cut-off stream cannot pass for a shorter one.
     */
    public static List<String> summary(byte[] stream, Direction dir) {
        List<String> out = new ArrayList<>();
        FrameParser parser = new FrameParser(dir, 0, f -> out.add(describe(f)));
        parser.feed(stream, 0, stream.length);
        if (!parser.isBetweenFrames()) throw new AssertionError("stream ends inside a frame after " + out);
        return out;
    }

    private static String describe(ParsedFrame f) {
        return Opcode.name(f.header().opcode()) + " fin=" + (f.header().isFinal() ? 1 : 0)
                + (f.header().isMasked() ? " masked" : " unmasked") + " len=" + f.header().lengthText();
    }
}
