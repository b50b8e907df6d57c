package dev.wstap.replay;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.proxy.LocalEnd;
import dev.wstap.proxy.Session;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Interest;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.TapSink;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Replayer} against a live session: it is a tap sink, so the replayer hears of the
 * peer's frames and messages in the order the session saw them, and of the session's end after
 * all of them; what the replayer sends goes in through the session's {@link LocalEnd}.
 */
public final class ReplayDriver implements TapSink {
    /** What it wants of the tap: the session's records, every frame and every message. */
    public static final Set<Interest> INTERESTS = EnumSet.of(Interest.SESSIONS, Interest.FRAMES, Interest.MESSAGES);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockingQueue<TapEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void accept(TapEvent event) {
        events.add(event);
    }

    /**
     * Plays the replay to its end, then ends wstap's side: after a replay that completed, by ending
     * the stream (the close handshake is the recording's); after one that stopped short, with a
     * close frame first unless one went already: the answer to the peer's close, or 1000. Waits up to {@code grace} for the session
     * to end, then drops the connection.
     */
    public void run(Replayer replayer, Side side, Session session, LocalEnd end, Duration sendLimit, Duration grace)
            throws InterruptedException {
        replayer.start(System.nanoTime(), session.opened(), DeflateParameters.fromResponse(session.opened().extensions()));
        ExecutorService sender = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("wstap-replay-send").unstarted(r));
        try {
            if (play(replayer, side, session, end, sender, sendLimit, grace)) return;
        } finally {
            sender.shutdownNow();
        }
    }

    /** The replay, then the end of wstap's side; true when the session's end was seen already. */
    private boolean play(Replayer replayer, Side side, Session session, LocalEnd end, ExecutorService sender, Duration sendLimit,
                         Duration grace) throws InterruptedException {
        boolean isClosed = false;
        while (true) {
            TapEvent e;
            while ((e = events.poll()) != null) isClosed |= take(replayer, e);
            Replayer.Action action = replayer.next(System.nanoTime());
            if (action instanceof Replayer.Action.Done) break;
            if (action instanceof Replayer.Action.Send send) {
                // On a thread of its own, so that a peer that stops reading cannot stop the replay's clock.
                Future<?> sending = sender.submit(() -> {
                    end.send(send.bytes());
                    return null;
                });
                try {
                    sending.get(sendLimit.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException gone) {
                    // The session is ending: its close event tells the replayer.
                } catch (TimeoutException stuck) {
                    replayer.failed(System.nanoTime(), "the " + side.peer() + " read nothing for " + sendLimit.toMillis() / 1000.0
                            + " s while a frame of the " + side + "'s was being sent; wstap drops the connection");
                    session.abort("the " + side.peer() + " stopped reading");
                }
            } else if (action instanceof Replayer.Action.Wait wait) {
                long left = wait.untilNanos() - System.nanoTime();
                e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e != null) isClosed |= take(replayer, e);
            }
        }
        if (isClosed) return true;
        if (!replayer.isCompleted() && !session.hasSentClose(side.sends())) {
            // A peer's close is answered as an endpoint answers it (RFC 6455 §5.5.1: its code echoed); else wstap closes with 1000.
            ClosePayload peer = replayer.peerClose();
            ClosePayload answer = peer == null ? new ClosePayload(CloseCode.NORMAL, "wstap replay stopped") : peer.echo();
            byte[] close = answer.encode();
            try {
                end.send(FrameEncoder.frame(true, Opcode.CLOSE, side == Side.client ? RANDOM.nextInt() : null, close));
            } catch (IOException gone) {
                // Ended already.
            }
        }
        end.finish();
        long deadline = System.nanoTime() + grace.toNanos();
        while (!isClosed) {
            long left = deadline - System.nanoTime();
            TapEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                session.abort("the " + side.peer() + " did not end the connection within " + grace.toSeconds() + " s of the replay's end");
                return false;
            }
            isClosed |= take(replayer, e);
        }
        return true;
    }

    private static boolean take(Replayer replayer, TapEvent e) {
        replayer.received(e, System.nanoTime());
        return e instanceof Closed;
    }
}
