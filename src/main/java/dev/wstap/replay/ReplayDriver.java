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
     * close frame (1000) first unless one went already. Waits up to {@code grace} for the session
     * to end, then drops the connection.
     */
    public void run(Replayer replayer, Side side, Session session, LocalEnd end, Duration grace) throws InterruptedException {
        replayer.start(System.nanoTime(), session.opened(), DeflateParameters.fromResponse(session.opened().extensions()));
        boolean isClosed = false;
        while (true) {
            TapEvent e;
            while ((e = events.poll()) != null) isClosed |= take(replayer, e);
            Replayer.Action action = replayer.next(System.nanoTime());
            if (action instanceof Replayer.Action.Done) break;
            if (action instanceof Replayer.Action.Send send) {
                try {
                    end.send(send.bytes());
                } catch (IOException gone) {
                    // The session is ending: its close event tells the replayer.
                }
            } else if (action instanceof Replayer.Action.Wait wait) {
                long left = wait.untilNanos() - System.nanoTime();
                e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e != null) isClosed |= take(replayer, e);
            }
        }
        if (isClosed) return;
        if (!replayer.isCompleted() && !session.hasSentClose(side.sends())) {
            byte[] close = new ClosePayload(CloseCode.NORMAL, "wstap replay stopped").encode();
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
                return;
            }
            isClosed |= take(replayer, e);
        }
    }

    private static boolean take(Replayer replayer, TapEvent e) {
        replayer.received(e, System.nanoTime());
        return e instanceof Closed;
    }
}
