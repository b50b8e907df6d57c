package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameListener;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves one direction of a session: reads the source socket, lets the parser look at the bytes,
 * and passes each frame through the direction's decision point ({@link HandlerChain}) to the
 * {@link Writer}. With no handler installed and nothing waiting, bytes are forwarded unchanged
 * as they arrive, a whole read at a time (cut-through); the parser keeps only a preview, so a frame
 * of any size passes in constant memory. When a handler needs a whole frame or message, it is
 * buffered as it arrived, up to {@link #MAX_DECISION_BYTES}, decided, and sent through the
 * {@link Outbox}; frames no handler needs still stream, unless data waits ahead of them. Runs on
 * one thread of its own.
 */
final class Pump {
    /** What an idle pump waits with; see {@link #run}. */
    static final int SMALL_READ_BYTES = 512;
    /** The most of a frame or message that is buffered for a handler to decide on; beyond it, it passes undecided. */
    static final int MAX_DECISION_BYTES = 1024 * 1024;
    static final String OVER_DECISION_CAP = "passed undecided: over the " + (MAX_DECISION_BYTES >> 20) + " MiB a handler may see whole";
    /**
     * Once wstap compresses a direction again (see {@link Outbox}), a compressed message must be
     * seen whole to go at all; it may then be this large on the wire.
     */
    static final int MAX_RECOMPRESSED_BYTES = 16 * 1024 * 1024;
    /** The most of a compressed message kept inflated for a handler, or for compressing it again. */
    static final long MAX_INFLATED_KEPT_BYTES = 64L * 1024 * 1024;

    private final Session session;
    private final Direction dir;
    private final InputStream in;
    private final Writer out;
    private final FrameParser parser;
    private final MessageAssembler assembler;
    private final HandlerChain handlers;
    private final Outbox outbox;
    private final boolean isStrict;

    private Violation strictViolation;
    private long strictCut;
    /** The header of the frame whose payload is passing through; null between frames. */
    private FrameHeader frameInProgress;
    /** Frames that ended in the current read and are written with it. */
    private final List<ParsedFrame> ended = new ArrayList<>();

    /** Where the current frame goes, on the decision path. */
    private enum Route {
        /** Written as it arrives. */
        STREAM,
        /** Kept whole until it ends, then decided (or queued behind what waits). */
        BUFFER,
        /** Not forwarded: wstap's own close went this way. */
        DISCARD
    }

    /** This read goes through the decision path: handlers are installed, or frames wait, or a frame or message is buffered. */
    private boolean isDeciding;
    private Route route = Route.STREAM;
    private FrameHandler.Need frameNeed;
    private ByteArrayOutputStream frameBytes;
    /** The frames of a data message buffered for a handler that needs it whole; null when none. */
    private List<WholeFrame> message;
    private long messageBytes;
    /** Why the current frame (and the rest of its message) passes undecided; null when it was not asked about. */
    private String passNote;
    private boolean isMessagePassedUndecided;
    /** Streamed bytes of the current read, written in one go at its end (or before anything queued goes). */
    private final Staging staging = new Staging();
    private int stagingFrameStart;
    /** Where the staged bytes stop under --strict: nothing of the offending frame goes. */
    private int strictStagingCut = -1;
    /** Why a frame passes although the handlers were asked: one of them failed. */
    private String handlerFailure;
    /** The message the frame being queued ends, to be shown when that frame leaves; null when none. */
    private MessageSeen endedMessage;

    Pump(Session session, Direction dir, InputStream in, Writer out, Outbox outbox, HandlerChain handlers, int maxPreviewBytes,
         int allowedRsv, MessageAssembler assembler, boolean isStrict) {
        this.isStrict = isStrict;
        this.session = session;
        this.dir = dir;
        this.in = in;
        this.out = out;
        this.outbox = outbox;
        this.handlers = handlers;
        this.assembler = assembler;
        this.parser = new FrameParser(dir, maxPreviewBytes, new FrameListener() {
            @Override
            public void onHeader(FrameHeader header) {
                Pump.this.onHeader(header);
            }

            @Override
            public void onPayload(byte[] bytes, int off, int len, long position) {
                Pump.this.onPayload(bytes, off, len, position);
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
     * own; when a read fills it, more is likely waiting, and it borrows a larger buffer (64 KiB,
     * then 256 KiB) for as long as bytes keep coming or a frame is still streaming through. So an
     * idle session costs little memory and a busy one reads in large chunks.
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
                    finishDeciding(false);
                    session.directionEnded(dir, SessionState.Party.senderOf(dir), e, cutFrame());
                    return;
                }
                if (n < 0) break;
                forward(buf, n);
                if (n == buf.length && buf.length < ReadBuffers.BULK_BYTES) {
                    // The read filled its buffer: more is waiting; read it in larger pieces.
                    byte[] larger = ReadBuffers.borrowLarger(buf);
                    if (isBusy) ReadBuffers.giveBack(large);
                    large = larger;
                } else if (isBusy && n < large.length && parser.isBetweenFrames() && in.available() == 0) {
                    ReadBuffers.giveBack(large); // between frames, nothing more waiting: wait with the small one
                    large = null;
                }
            }
            finishDeciding(true);
            session.directionEnded(dir, SessionState.Party.senderOf(dir), null, cutFrame());
        } catch (IOException e) {
            session.directionEnded(dir, SessionState.Party.senderOf(dir.reverse()), e, null);
        } catch (java.io.UncheckedIOException e) {
            session.directionEnded(dir, SessionState.Party.senderOf(dir.reverse()), e.getCause(), null);
        } catch (StrictFailure e) {
            session.failStrictly(dir, e.violation);
        } catch (RuntimeException e) {
            // A bug must cost this session only, with one line, never a stack trace on the console.
            session.directionEnded(dir, SessionState.Party.WSTAP, new IOException("internal error: " + e, e), null);
        } finally {
            if (large != null) ReadBuffers.giveBack(large);
            // The stream ended: no message of it will ever end, so injected messages need not wait.
            out.holdForFrame();
            out.releaseAtBoundary(false);
        }
    }

    private void forward(byte[] buf, int n) throws IOException {
        isDeciding = isDeciding ? !(parser.isBetweenFrames() && message == null && handlers.isIdle(dir) && outbox.isEmpty())
                : !(handlers.isIdle(dir) && outbox.isEmpty());
        if (isDeciding) {
            decideAndForward(buf, n);
        } else {
            forwardCutThrough(buf, n);
        }
    }

    /** The cut-through path: the whole read is written at once, and the frames that ended in it are reported. */
    private void forwardCutThrough(byte[] buf, int n) throws IOException {
        out.holdForFrame();
        // Sealed only while this pump does not hold the writer, so only ever between two frames.
        route = session.closeState().isSealed(dir) ? Route.DISCARD : Route.STREAM;
        long chunkStart = parser.position();
        ended.clear();
        parser.feed(buf, 0, n);
        if (route == Route.DISCARD) {
            if (parser.isBetweenFrames()) out.releaseAtBoundary(false);
            return;
        }
        if (strictViolation != null) {
            // --strict: nothing of the offending frame goes on; what came before it does.
            int keep = (int) Math.max(0, Math.min(n, strictCut - chunkStart));
            out.write(buf, 0, keep);
            out.forwarded(ended);
            throw new StrictFailure(strictViolation);
        }
        out.write(buf, 0, n);
        out.forwarded(ended);
        if (parser.isBetweenFrames()) out.releaseAtBoundary(parser.isInsideMessage());
    }

    /** The decision path: each frame streams, is buffered for the handlers, or waits behind what waits. */
    private void decideAndForward(byte[] buf, int n) throws IOException {
        ended.clear();
        staging.reset();
        stagingFrameStart = 0;
        parser.feed(buf, 0, n);
        if (strictViolation != null && strictStagingCut >= 0) staging.truncate(strictStagingCut);
        flushStaging();
        if (strictViolation != null) throw new StrictFailure(strictViolation);
    }

    private void onHeader(FrameHeader h) {
        frameInProgress = h;
        if (!isDeciding) {
            if (route == Route.DISCARD) return;
            if (assembler != null) assembler.onHeader(h);
            checkHeaderStrictly();
            return;
        }
        stagingFrameStart = staging.size();
        if (session.closeState().isSealed(dir)) {
            route = Route.DISCARD;
            return;
        }
        if (assembler != null) assembler.onHeader(h);
        checkHeaderStrictly();
        boolean isMessageFrame = Opcode.isMessage(h.opcode());
        boolean isPingOrPong = h.isControl() && h.opcode() != Opcode.CLOSE;
        if (message != null && !isPingOrPong && h.opcode() != Opcode.CONTINUATION) {
            // A new message or a close before the buffered message ended (RFC 6455 §5.4 violation, or the
            // sender giving up): what arrived of it is decided now, so that nothing passes it.
            Arrival cut = arrival(message);
            queue(cut, decide(cut));
            message = null;
        }
        if (isMessageFrame) isMessagePassedUndecided = false;
        if (message != null && h.opcode() == Opcode.CONTINUATION) {
            frameNeed = FrameHandler.Need.MESSAGE;
        } else if (isMessagePassedUndecided && h.opcode() == Opcode.CONTINUATION) {
            frameNeed = FrameHandler.Need.NOTHING;
        } else {
            frameNeed = handlers.need(dir, h);
            if (frameNeed == FrameHandler.Need.MESSAGE && !isMessageFrame) frameNeed = FrameHandler.Need.FRAME;
            if (frameNeed == FrameHandler.Need.MESSAGE) {
                message = new ArrayList<>(4);
                messageBytes = 0;
            }
        }
        if (frameNeed == FrameHandler.Need.NOTHING && isMessageFrame && assembler != null && assembler.isCompressed()
                && !outbox.canGoNow(false)) {
            // A compressed message that waits is kept whole, so that wstap can compress it again if a change before it asks.
            frameNeed = FrameHandler.Need.MESSAGE;
            message = new ArrayList<>(4);
            messageBytes = 0;
        }
        passNote = isMessagePassedUndecided && h.opcode() == Opcode.CONTINUATION ? OVER_DECISION_CAP : null;
        boolean canStream = frameNeed == FrameHandler.Need.NOTHING && outbox.canGoNow(isPingOrPong);
        if (canStream && isMessageFrame && (h.rsv() & FrameHeader.RSV1) != 0 && outbox.isRecompressing()) {
            // wstap compresses this way since a change that came after the handlers were asked: it must see this one whole.
            canStream = false;
            frameNeed = FrameHandler.Need.MESSAGE;
            message = new ArrayList<>(4);
            messageBytes = 0;
        }
        if (canStream) {
            route = Route.STREAM;
            stageHeader(h);
        } else {
            route = Route.BUFFER;
            frameBytes = new ByteArrayOutputStream((int) Math.min(Math.max(0, h.payloadLength()) + h.encodedLength(), 64 * 1024));
            byte[] header = new byte[h.encodedLength()];
            FrameEncoder.writeHeader(h, header);
            frameBytes.writeBytes(header);
            if (isMessageFrame && assembler != null) assembler.keepWhole(MAX_INFLATED_KEPT_BYTES);
        }
    }

    private void checkHeaderStrictly() {
        if (isStrict && strictViolation == null && !parser.headerViolations().isEmpty()) {
            strictViolation = parser.headerViolations().get(0);
            strictCut = parser.frameStart();
            strictStagingCut = stagingFrameStart;
        }
    }

    /** The header of a streamed frame, byte for byte as it arrived (the parser keeps its length form and mask key). */
    private void stageHeader(FrameHeader h) {
        byte[] header = new byte[h.encodedLength()];
        FrameEncoder.writeHeader(h, header);
        staging.writeBytes(header);
    }

    private void onPayload(byte[] bytes, int off, int len, long position) {
        if (route == Route.DISCARD) return;
        if (assembler != null) assembler.onPayload(bytes, off, len, position);
        if (!isDeciding) return;
        if (route == Route.BUFFER && frameBytes.size() + messageBytes + len > decisionCap()) passUndecided();
        if (route == Route.STREAM) {
            staging.write(bytes, off, len);
        } else {
            frameBytes.write(bytes, off, len);
        }
    }

    private String overCapNote() {
        if (!outbox.isRecompressing() || assembler == null || !assembler.isCompressed()) return OVER_DECISION_CAP;
        return "passed as the sender compressed it: over the " + (MAX_RECOMPRESSED_BYTES >> 20) + " MiB wstap compresses again;"
                + " the receiver may fail to read it and what follows";
    }

    private int decisionCap() {
        return outbox.isRecompressing() ? MAX_RECOMPRESSED_BYTES : MAX_DECISION_BYTES;
    }

    /**
     * A frame or message grew past what a handler may see whole: what is buffered of it goes as it
     * arrived, once what waits ahead of it has gone, and the rest streams.
     */
    private void passUndecided() {
        try {
            flushStaging();
            outbox.releaseReordered(); // it waits for the next message, which is this one: it must not wait for it here
            outbox.drain();
            outbox.awaitEmpty();
            if (message != null) {
                out.send(message.stream().map(f -> new OutFrame(f.wire(), f.frame(), Fate.FORWARDED, overCapNote())).toList());
                message = null;
                isMessagePassedUndecided = true;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to pass a frame on", e);
        }
        passNote = overCapNote();
        route = Route.STREAM;
        out.holdForFrame();
        stagingFrameStart = staging.size();
        staging.writeBytes(frameBytes.toByteArray());
        frameBytes = null;
    }

    private void onFrame(ParsedFrame frame) {
        frameInProgress = null;
        if (route == Route.DISCARD) {
            session.notSent(dir, frame, Fate.AFTER_CLOSE, null);
            return;
        }
        if (isStrict && strictViolation == null && frame.hasViolations()) {
            strictViolation = frame.violations().get(0);
            strictCut = parser.frameStart();
            strictStagingCut = stagingFrameStart;
        }
        MessageSeen ended = assembler == null ? null : assembler.onFrame(frame);
        if (isStrict && strictViolation == null && ended != null && !ended.violations().isEmpty()) {
            strictViolation = ended.violations().get(0);
            strictCut = parser.frameStart(); // the message's last frame is held back
            strictStagingCut = stagingFrameStart;
        }
        if (strictViolation != null) {
            // --strict: the offending frame and whatever follows it in the same read stay here.
            session.notSent(dir, frame, Fate.DROPPED, "--strict: " + strictViolation.rule().id());
            return;
        }
        // The message event goes with the frame that ends it, when that frame leaves.
        if (route == Route.STREAM) {
            out.forwarding(frame, isDeciding ? passNote : null, ended);
            this.ended.add(frame);
        } else {
            WholeFrame whole = new WholeFrame(frameBytes.toByteArray(), frame);
            frameBytes = null;
            endedMessage = ended;
            if (message != null && !frame.header().isControl()) {
                message.add(whole);
                messageBytes += whole.wire().length;
                if (frame.header().isFinal()) {
                    Arrival m = arrival(message);
                    message = null;
                    queue(m, decide(m));
                }
            } else {
                Arrival one = arrival(List.of(whole));
                queue(one, frameNeed == FrameHandler.Need.NOTHING ? Verdict.PASS : decide(one));
            }
        }
    }

    /**
     * Frames that arrived whole, with the message they are when they are all of one (its first
     * frame starts it and its last ends it); else by themselves.
     */
    private Arrival arrival(List<WholeFrame> frames) {
        FrameHeader first = frames.get(0).header();
        boolean isWholeMessage = Opcode.isMessage(first.opcode()) && frames.get(frames.size() - 1).header().isFinal();
        if (!isWholeMessage || endedMessage == null) return new Arrival(frames, null, null);
        return new Arrival(frames, endedMessage, endedMessage.isCompressed() ? assembler.takeLastWhole() : null);
    }

    private Verdict decide(Arrival arrival) {
        try {
            return handlers.decide(dir, arrival);
        } catch (RuntimeException e) {
            // A handler's bug must not cost the session its frames: they pass, and the note says why.
            handlerFailure = "a frame handler failed (" + e + "); passed unchanged";
            return Verdict.PASS;
        }
    }

    /** Carries out a verdict: the frames go into the outbox (or nowhere), after what was streamed before them. */
    private void queue(Arrival arrival, Verdict verdict) {
        List<WholeFrame> frames = arrival.frames();
        Arrival message = arrival.message() == null ? null : arrival;
        String note = handlerFailure;
        handlerFailure = null;
        MessageSeen ended = endedMessage;
        endedMessage = null;
        List<OutFrame> as = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            WholeFrame f = frames.get(i);
            as.add(new OutFrame(f.wire(), f.frame(), Fate.FORWARDED, note, i == frames.size() - 1 ? ended : null));
        }
        try {
            flushStaging();
            switch (verdict) {
                case Verdict.Pass p -> outbox.add(as, message, 0);
                case Verdict.Drop d -> {
                    outbox.changed(message, d.why() + " dropped a compressed message");
                    for (WholeFrame f : frames) session.notSent(dir, f.frame(), Fate.DROPPED, d.why());
                }
                case Verdict.Replace r -> {
                    // Frames of other content (corrupt's invalid UTF-8 goes uncompressed): the receiver's context changes too.
                    if (message != null && message.isCompressed() && !r.frames().get(0).frame().isCompressed()) {
                        outbox.changed(message, r.why() + " replaced a compressed message");
                    }
                    for (WholeFrame f : frames) session.notSent(dir, f.frame(), Fate.REPLACED, r.why());
                    // Frames a handler made in place of these are edited; pings it put between them stay inserted.
                    List<OutFrame> made = r.frames().stream().map(f -> f.fate() == Fate.INSERTED ? f : f.as(Fate.EDITED, r.why())).toList();
                    if (message != null) outbox.addReshaped(made, message, r.delay().toNanos());
                    else outbox.add(made, null, r.delay().toNanos());
                }
                case Verdict.Edit e -> {
                    if (message == null) {
                        // Not a whole data message (a control frame, or a message cut short): it passes, and says why.
                        outbox.add(as.stream().map(f -> f.as(Fate.FORWARDED, e.why() + ": not a whole data message, passed unchanged")).toList(),
                                null, e.delay().toNanos());
                    } else {
                        for (WholeFrame f : frames) session.notSent(dir, f.frame(), Fate.REPLACED, e.why());
                        outbox.addEdited(as.stream().map(f -> f.as(Fate.EDITED, e.why())).toList(), message, e.payload(), e.delay().toNanos());
                    }
                }
                case Verdict.Reorder r -> {
                    if (message == null) outbox.add(as.stream().map(f -> f.as(Fate.DELAYED, r.why())).toList(), null, 0);
                    else outbox.addAfterNext(as.stream().map(f -> f.as(Fate.DELAYED, r.why())).toList(), message);
                }
                case Verdict.Stall st -> {
                    outbox.stall();
                    for (WholeFrame f : frames) session.held(dir, f.frame(), st.why());
                    outbox.add(as.stream().map(f -> f.as(Fate.FORWARDED, st.why())).toList(), message, 0);
                }
                case Verdict.Delay d -> outbox.add(as.stream().map(f -> f.as(Fate.DELAYED, d.why())).toList(), message, d.delay().toNanos());
                case Verdict.Duplicate d -> {
                    if (message != null && message.isCompressed()) {
                        // Each copy is a message of its own to the receiver's decompressor: wstap compresses each one.
                        outbox.changed(message, d.why() + " duplicated a compressed message");
                        outbox.add(as, message, 0);
                        for (int i = 0; i < d.copies(); i++) outbox.add(as.stream().map(f -> f.as(Fate.DUPLICATED, d.why())).toList(), message, 0);
                    } else {
                        List<OutFrame> all = new ArrayList<>(as);
                        for (int i = 0; i < d.copies(); i++) all.addAll(as.stream().map(f -> f.as(Fate.DUPLICATED, d.why())).toList());
                        outbox.addReshaped(all, message, 0); // the message and its copies, as they arrived: one item
                    }
                }
                case Verdict.Insert ins -> {
                    List<OutFrame> all = new ArrayList<>(ins.before().stream().map(f -> f.as(Fate.INSERTED, ins.why())).toList());
                    all.addAll(as);
                    all.addAll(ins.after().stream().map(f -> f.as(Fate.INSERTED, ins.why())).toList());
                    outbox.add(all, null, 0);
                }
                case Verdict.Hold h -> {
                    List<OutFrame> held = as.stream().map(f -> f.as(Fate.RELEASED, h.why())).toList();
                    Outbox.Item item = outbox.hold(held, message);
                    for (WholeFrame f : frames) session.held(dir, f.frame(), h.why());
                    h.onHeld().accept(new HeldFrames(session, dir, outbox, item, arrival, h.why()));
                }
            }
            outbox.drain();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a frame", e);
        }
    }

    /** Writes what was streamed so far in this read, and reports the frames it ended. */
    private void flushStaging() throws IOException {
        if (staging.size() > 0) {
            out.holdForFrame();
            staging.writeTo(out);
            staging.reset();
            stagingFrameStart = 0;
        }
        out.forwarded(ended);
        ended.clear();
        // The writer stays held only while a frame is streaming through it.
        if (route != Route.STREAM || parser.isBetweenFrames()) out.releaseAtBoundary(route != Route.DISCARD && parser.isInsideMessage());
    }

    /**
     * The sender's stream ended: on the decision path, what waits goes when due (held frames wait
     * for their decision after an orderly end, and are dropped after a failure), and the complete frames of a message that never ended go on as they came, as a
     * byte pipe would have passed them.
     */
    private void finishDeciding(boolean isOrderly) {
        if (message == null && outbox.isEmpty()) return;
        try {
            flushStaging();
            if (message != null && isOrderly) {
                outbox.add(message.stream().map(f -> new OutFrame(f.wire(), f.frame(), Fate.FORWARDED, null)).toList(), null, 0);
            }
            message = null;
            outbox.finish(isOrderly);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The receiver is gone, or wstap is stopping: the session's end says the rest.
        }
    }

    /** The streamed bytes of one read: grows to the largest read, and can drop what follows a point. */
    private static final class Staging {
        private byte[] bytes = new byte[SMALL_READ_BYTES];
        private int size;

        int size() {
            return size;
        }

        void write(byte[] src, int off, int len) {
            if (size + len > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            System.arraycopy(src, off, bytes, size, len);
            size += len;
        }

        void writeBytes(byte[] src) {
            write(src, 0, src.length);
        }

        void truncate(int newSize) {
            size = Math.min(size, newSize);
        }

        void reset() {
            size = 0;
        }

        void writeTo(Writer out) throws IOException {
            out.write(bytes, 0, size);
        }
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
}
