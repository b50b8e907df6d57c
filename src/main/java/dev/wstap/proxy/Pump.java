package dev.wstap.proxy;

import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Violation;
import dev.wstap.tap.Tap;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Moves one direction of a session: reads the source socket, lets the parser look at the bytes,
 * and forwards them unchanged, as they arrive (cut-through). The parser keeps only a preview, so a
 * frame of any size passes in constant memory. Runs on one thread of its own.
 */
final class Pump {
    /** What an idle pump waits with; see {@link #run}. */
    static final int SMALL_READ_BYTES = 512;

    private final Session session;
    private final Direction dir;
    private final InputStream in;
    private final Writer out;
    private final FrameParser parser;
    private final Tap tap;
    private final MessageAssembler assembler;

    private final boolean isStrict;
    private Violation strictViolation;
    private long strictCut;
    /** wstap's own close went this way: what arrives now is shown and logged, not forwarded. */
    private boolean isDropping;
    private volatile long droppedFrames;
    /** The header of the frame whose payload is passing through; null between frames. */
    private FrameHeader frameInProgress;
    private volatile long frames;
    private volatile long messages;
    private volatile long bytes;
    /** Frames wstap injected this way, counted by the injecting thread. */
    private final java.util.concurrent.atomic.LongAdder injectedFrames = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder injectedMessages = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder injectedBytes = new java.util.concurrent.atomic.LongAdder();

    Pump(Session session, Direction dir, InputStream in, Writer out, int maxPreviewBytes, int allowedRsv,
         MessageAssembler assembler, boolean isStrict, Tap tap) {
        this.isStrict = isStrict;
        this.session = session;
        this.dir = dir;
        this.in = in;
        this.out = out;
        this.tap = tap;
        this.assembler = assembler;
        this.parser = new FrameParser(dir, maxPreviewBytes, new FrameListener() {
            @Override
            public void onHeader(FrameHeader header) {
                frameInProgress = header;
                if (isDropping) return;
                if (assembler != null) assembler.onHeader(header);
                if (isStrict && strictViolation == null && !parser.headerViolations().isEmpty()) {
                    strictViolation = parser.headerViolations().get(0);
                    strictCut = parser.frameStart();
                }
            }

            @Override
            public void onPayload(byte[] bytes, int off, int len, long position) {
                if (assembler != null && !isDropping) assembler.onPayload(bytes, off, len, position);
            }

            @Override
            public void onFrame(ParsedFrame frame) {
                Pump.this.onFrame(frame);
            }
        });
        parser.allowRsv(allowedRsv);
    }

    /**
     * Forwards until the source ends or fails. A pump waits for bytes with a small buffer of its
     * own; when a read fills it, more is likely waiting, and it borrows a large buffer for as
     * long as bytes keep coming or a frame is still streaming through. So an idle session costs
     * little memory and a busy one reads in large chunks.
     */
    void run() {
        byte[] small = new byte[SMALL_READ_BYTES];
        byte[] large = null;
        try {
            while (true) {
                boolean isBusy = large != null;
                byte[] buf = isBusy ? large : small;
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    session.directionEnded(dir, dir.sender(), e, cutFrame());
                    return;
                }
                if (n < 0) break;
                forward(buf, n);
                if (!isBusy && n == small.length) {
                    large = ReadBuffers.borrow();
                } else if (isBusy && n < large.length && parser.isBetweenFrames() && in.available() == 0) {
                    ReadBuffers.giveBack(large); // between frames, nothing more waiting: wait with the small one
                    large = null;
                }
            }
            session.directionEnded(dir, dir.sender(), null, cutFrame());
        } catch (IOException e) {
            session.directionEnded(dir, dir.receiver(), e, null);
        } catch (StrictFailure e) {
            session.failStrictly(dir, e.violation);
        } catch (RuntimeException e) {
            // A bug must cost this session only, with one line, never a stack trace on the console.
            session.directionEnded(dir, "wstap", new IOException("internal error: " + e, e), null);
        } finally {
            if (large != null) ReadBuffers.giveBack(large);
            // The stream ended: no message of it will ever end, so injected messages need not wait.
            out.holdForFrame();
            out.releaseAtBoundary(false);
        }
    }

    private void forward(byte[] buf, int n) throws IOException {
        out.holdForFrame();
        // The writer is sealed only while this pump does not hold it, so only ever between two frames.
        isDropping = out.isSealed();
        long chunkStart = parser.position();
        parser.feed(buf, 0, n);
        if (isDropping) {
            if (parser.isBetweenFrames()) out.releaseAtBoundary(false);
            return;
        }
        if (strictViolation != null) {
            // --strict: nothing of the offending frame goes on; what came before it does.
            int keep = (int) Math.max(0, Math.min(n, strictCut - chunkStart));
            out.write(buf, 0, keep);
            bytes += keep;
            throw new StrictFailure(strictViolation);
        }
        out.write(buf, 0, n);
        bytes += n;
        if (parser.isBetweenFrames()) out.releaseAtBoundary(parser.isInsideMessage());
    }

    /** Ends a pump in --strict mode when its peer broke a rule. */
    static final class StrictFailure extends RuntimeException {
        final Violation violation;

        StrictFailure(Violation violation) {
            super(violation.message(), null, false, false);
            this.violation = violation;
        }
    }

    /**
     * Where the stream stopped when it stopped inside a frame, for the session's close record (that
     * frame never gets a record of its own); null at a frame boundary.
     */
    private String cutFrame() {
        if (parser.isBetweenFrames()) return null;
        if (frameInProgress == null) return "in the middle of a frame header";
        long payloadCrossed = parser.position() - parser.frameStart() - frameInProgress.encodedLength();
        return "in the middle of a frame, after " + payloadCrossed + " of its " + frameInProgress.lengthText() + " payload bytes";
    }

    private void onFrame(ParsedFrame frame) {
        frameInProgress = null;
        if (isDropping) {
            droppedFrames++;
            Duration roundTrip = session.frameSeen(dir, frame, false, true);
            if (tap.isObserved()) tap.emit(new FrameSeen(Instant.now(), session.id(), dir, frame, false, roundTrip, true));
            return;
        }
        if (isStrict && strictViolation == null && frame.hasViolations()) {
            strictViolation = frame.violations().get(0);
            strictCut = parser.frameStart();
        }
        frames++;
        if (endsMessage(frame.header())) messages++;
        Duration roundTrip = session.frameSeen(dir, frame);
        if (tap.isObserved()) tap.emit(new FrameSeen(Instant.now(), session.id(), dir, frame, false, roundTrip));
        if (assembler != null) {
            MessageSeen message = assembler.onFrame(frame);
            if (message == null) return;
            tap.emit(message);
            if (isStrict && strictViolation == null && !message.violations().isEmpty()) {
                strictViolation = message.violations().get(0);
                strictCut = parser.frameStart(); // the message's last frame is held back
            }
        }
    }

    /**
     * {@link ParsedFrame#endsMessage} as far as a header can tell: a final continuation is taken to
     * end a message, since only its parsed frame knows whether it continues one.
     */
    private static boolean endsMessage(FrameHeader h) {
        return h.isFinal() && (Opcode.isMessage(h.opcode()) || h.opcode() == Opcode.CONTINUATION);
    }

    /** An injected frame went this way: it counts as traffic like a forwarded one. */
    void injected(FrameHeader h) {
        injectedFrames.increment();
        if (endsMessage(h)) injectedMessages.increment();
        injectedBytes.add(h.encodedLength() + h.payloadLength());
    }

    /** Forwarded and injected frames together, and the frames not forwarded. */
    Traffic traffic() {
        return new Traffic(frames + injectedFrames.sum(), messages + injectedMessages.sum(), bytes + injectedBytes.sum(),
                droppedFrames);
    }
}
