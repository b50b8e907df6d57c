package dev.wstap.proxy;

import dev.wstap.tap.Fate;
import dev.wstap.tap.MessageSeen;
import dev.wstap.wire.Direction;
import dev.wstap.wire.ParsedFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes going to one peer, and the one place that reports what went: every frame written is
 * told to the session twice, under the lock, just before its bytes go (so that it is shown before
 * anything the peer answers to it) and once they went (so that counts, close tracking and round
 * trips describe what left wstap).
 *
 * <p>Whoever writes holds the lock for at least one whole frame (a forwarding pump may hold it
 * across several reads while a large frame streams through), so that an injected frame can never
 * land inside a forwarded one. The pump also says, at each frame boundary, whether a forwarded
 * message is still open, so that an injected data message waits for its end (RFC 6455 §5.4: data
 * frames of two messages must not interleave). A {@link ReentrantLock}, not {@code synchronized},
 * so virtual threads never pin while they wait.
 */
public final class Writer {
    private final OutputStream out;
    private final Session session;
    private final Direction dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition messageEnded = lock.newCondition();
    private boolean isForwardedMessageOpen;
    /** wstap's close, sealed in and not written yet (guarded by the lock). */
    private OutFrame pendingClose;

    Writer(OutputStream out, Session session, Direction dir) {
        this.out = out;
        this.session = session;
        this.dir = dir;
    }

    /** Takes the lock unless this thread already holds it (a frame spanning reads). */
    void holdForFrame() {
        if (!lock.isHeldByCurrentThread()) lock.lock();
    }

    /**
     * Releases the lock at a frame boundary; {@code isMessageOpen} says whether the forwarded
     * stream is inside a fragmented message there.
     */
    void releaseAtBoundary(boolean isMessageOpen) {
        if (!lock.isHeldByCurrentThread()) return;
        isForwardedMessageOpen = isMessageOpen;
        if (!isMessageOpen) messageEnded.signalAll();
        lock.unlock();
    }

    /** Forwarded bytes, cut-through, under the lock: the frames they end are reported with {@link #forwarded}. */
    void write(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        session.wrote(dir, len);
    }

    /**
     * A forwarded frame is about to go out (its last bytes are still to be written): shows it, and
     * the message it ends, if any.
     */
    void forwarding(ParsedFrame frame, String note, MessageSeen message) {
        session.leaving(dir, frame, Fate.FORWARDED, note, message);
    }

    /** The last bytes of these forwarded frames went out. */
    void forwarded(List<ParsedFrame> frames) {
        for (ParsedFrame f : frames) session.left(dir, f, Fate.FORWARDED);
    }

    /**
     * Writes whole frames in order under the lock, each shown just before it goes and reported once
     * it went; data frames keep {@link #writeMessage}'s view of whether a message is open. Nothing
     * but wstap's own frames goes after wstap's close (RFC 6455 §5.5.1): the rest is reported as
     * not sent.
     */
    void send(List<OutFrame> frames) throws IOException {
        lock.lock();
        try {
            for (OutFrame f : frames) {
                if (f.fate() != Fate.INJECTED && session.closeState().isSealed(dir)) {
                    session.notSent(dir, f.frame(), Fate.AFTER_CLOSE, null);
                    continue;
                }
                sendOne(f);
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** One frame under the lock: shown, written, counted; a data frame says whether a message is still open. */
    private void sendOne(OutFrame f) throws IOException {
        session.leaving(dir, f.frame(), f.fate(), f.note(), f.message());
        out.write(f.wire());
        session.wrote(dir, f.wire().length);
        if (!f.isControl()) {
            isForwardedMessageOpen = !f.frame().header().isFinal();
            if (!isForwardedMessageOpen) messageEnded.signalAll();
        }
        session.left(dir, f.frame(), f.fate());
    }

    /** One whole frame of wstap's own, under the lock: a control frame may go between any two frames. */
    void sendNow(OutFrame frame) throws IOException {
        lock.lock();
        try {
            sendOne(frame);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes exactly as given, under the lock, for {@code raw}: {@code frames} are what they say, reported as injected. */
    void writeRaw(byte[] bytes, List<ParsedFrame> frames) throws IOException {
        lock.lock();
        try {
            for (ParsedFrame f : frames) session.leaving(dir, f, Fate.INJECTED, null, null);
            out.write(bytes);
            out.flush();
            session.wrote(dir, bytes.length);
            for (ParsedFrame f : frames) session.left(dir, f, Fate.INJECTED);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forwards nothing more this way from now on, as an endpoint sends nothing after its close (RFC
     * 6455 §5.5.1), and holds wstap's {@code close} frame to write. Frames injected later still go:
     * the user asked for them. Waits for a frame streaming through to end. The close goes out with
     * {@link #flushPendingClose}, by the closer, or by the pump of this direction before it passes
     * its sender's end of stream on, so that the end never overtakes the close. Sealing both ways
     * before either close goes is what {@link Injector#closeBothWays} needs.
     */
    void sealWithClose(OutFrame close) {
        lock.lock();
        try {
            session.closeState().sealed(dir);
            pendingClose = close;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the close that {@link #sealWithClose} holds, unless it went already. */
    void flushPendingClose() throws IOException {
        lock.lock();
        try {
            OutFrame close = pendingClose;
            if (close == null) return;
            pendingClose = null;
            sendNow(close);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the frames of one data message, after the forwarded message in flight (if any) has
     * ended, and without letting forwarded frames in between them: while they go out (with
     * {@code delayMillis} between them) the forwarding pump of this direction waits, and so does
     * its peer, through TCP.
     *
     * @return false when the forwarded message did not end within {@code waitMillis}
     */
    boolean writeMessage(List<OutFrame> frames, long delayMillis, long waitMillis) throws IOException, InterruptedException {
        if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) return false;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (isForwardedMessageOpen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                messageEnded.awaitNanos(left);
            }
            for (int i = 0; i < frames.size(); i++) {
                if (i > 0 && delayMillis > 0) Thread.sleep(delayMillis);
                sendOne(frames.get(i));
                out.flush();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Seals and writes wstap's close at once ({@link #sealWithClose}, {@link #flushPendingClose}),
     * giving up when the lock is not free within {@code waitMillis} (another frame is still
     * streaming through).
     */
    boolean tryWriteClose(OutFrame close, long waitMillis) throws IOException, InterruptedException {
        if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) return false;
        try {
            session.closeState().sealed(dir);
            sendNow(close);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
