package dev.wstap.intercept;

import dev.wstap.filter.Expr;
import dev.wstap.proxy.Arrival;
import dev.wstap.proxy.FrameHandler;
import dev.wstap.proxy.HeldFrames;
import dev.wstap.proxy.HoldRules;
import dev.wstap.proxy.Injector;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionSetup;
import dev.wstap.proxy.Verdict;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the live messages that match a filter expression until the user forwards, edits or drops
 * them (docs/intercept.md). Installed on every session as it opens ({@link SessionSetup}), one
 * handler per direction: while no expression is set they ask to see nothing, and frames stream
 * cut-through; with one, every data message is seen whole and held when the expression matches
 * the message or any of its frames. Only its own direction waits behind a held message; pings and
 * pongs pass it unless {@link Settings#isControlHeld}. Thread safe: the shell sets it while the
 * pumps consult it.
 */
public final class Intercept implements SessionSetup {
    /** What happens to a message held longer than {@link Settings#holdTimeout}. */
    public enum OnTimeout {
        /** It goes on as it arrived. */
        RELEASE,
        /** It is dropped. */
        DROP,
        /** It is dropped and wstap closes the session both ways with 1001. */
        CLOSE
    }

    /**
     * What is held, and the rules of holding.
     *
     * @param expr          what to hold; null: nothing (intercept is off)
     * @param isControlHeld pings, pongs and closes that match are held too, and control frames
     *                      wait behind held messages instead of passing them ({@code --hold-control})
     * @param holdTimeout   how long a message may stay held; null for as long as it takes
     * @param onTimeout     what happens then
     * @param holdMaxBytes  bytes that may wait per direction before the oldest held messages go ({@code --hold-max})
     */
    public record Settings(Expr expr, boolean isControlHeld, Duration holdTimeout, OnTimeout onTimeout, long holdMaxBytes,
                           java.util.Set<Direction> directions) {
        public static final Settings OFF = new Settings(null, false, null, OnTimeout.RELEASE, HoldRules.DEFAULT_MAX_WAITING_BYTES);

        public Settings(Expr expr, boolean isControlHeld, Duration holdTimeout, OnTimeout onTimeout, long holdMaxBytes) {
            this(expr, isControlHeld, holdTimeout, onTimeout, holdMaxBytes,
                    expr == null ? java.util.Set.of() : Expr.directions(expr));
        }

        public Settings {
            if (onTimeout == null) onTimeout = OnTimeout.RELEASE;
            if (holdTimeout != null && (holdTimeout.isNegative() || holdTimeout.isZero())) {
                throw new IllegalArgumentException("--hold-timeout " + holdTimeout.toMillis() / 1000.0 + " s must be more than 0");
            }
            if (holdMaxBytes < 1) throw new IllegalArgumentException("--hold-max " + holdMaxBytes + " must be at least 1 byte");
        }

        public boolean isOn() {
            return expr != null;
        }

        /** Whether the expression can hold anything going this way. */
        boolean canHold(Direction dir) {
            return expr != null && directions.contains(dir);
        }

        HoldRules rules() {
            return new HoldRules(isControlHeld, holdMaxBytes);
        }
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("wstap-hold-timer").unstarted(r));

    private final HeldMessages held = new HeldMessages();
    private volatile Settings settings = Settings.OFF;
    private volatile HoldRules rules = Settings.OFF.rules();

    public Settings settings() {
        return settings;
    }

    /** Holds from now on what {@code s} says; what is held already stays held. */
    public void set(Settings s) {
        rules = s.rules();
        settings = s;
    }

    /** Holds nothing more; what is held stays held until it is decided. */
    public void off() {
        set(new Settings(null, settings.isControlHeld(), settings.holdTimeout(), settings.onTimeout(), settings.holdMaxBytes()));
    }

    public HeldMessages held() {
        return held;
    }

    /**
     * {@code intercept: holding dir:c2s body~/secret/ (control frames pass; no hold timeout; at
     * most 16777216 bytes wait per direction); 2 held}, or {@code intercept is off (...)}.
     */
    public String describe() {
        Settings s = settings;
        int n = held.all().size();
        String rules = (s.isControlHeld() ? "control frames held in order" : "control frames pass")
                + "; " + (s.holdTimeout() == null ? "no hold timeout" : "after " + seconds(s.holdTimeout()) + " "
                        + s.onTimeout().name().toLowerCase(java.util.Locale.ROOT))
                + "; at most " + s.holdMaxBytes() + " bytes wait per direction";
        return (s.isOn() ? "intercept: holding " + s.expr().text() : "intercept is off") + " (" + rules + ")"
                + (n == 0 ? "" : "; " + n + " held");
    }

    @Override
    public void setUp(Session session) {
        session.holdRules(() -> rules);
        for (Direction dir : Direction.values()) session.handlers(dir).add(new Handler(session));
    }

    /** One session's decision point, both directions. */
    private final class Handler implements FrameHandler {
        private final Session session;

        Handler(Session session) {
            this.session = session;
        }

        @Override
        public boolean isIdle(Direction dir) {
            return !settings.canHold(dir);
        }

        @Override
        public Need need(Direction dir, FrameHeader h) {
            Settings s = settings;
            if (!s.canHold(dir)) return Need.NOTHING;
            if (Opcode.isMessage(h.opcode()) || h.opcode() == Opcode.CONTINUATION) return Need.MESSAGE;
            return s.isControlHeld() && h.isControl() ? Need.FRAME : Need.NOTHING;
        }

        @Override
        public Verdict decide(Direction dir, Arrival arrival) {
            Settings s = settings;
            if (!s.isOn() || !arrival.matches(s.expr(), session.id(), dir, session.opened())) return Verdict.PASS;
            int id = held.nextId();
            return new Verdict.Hold(frames -> onHeld(id, frames, s), "#" + id);
        }
    }

    private void onHeld(int id, HeldFrames frames, Settings s) {
        held.add(new HeldMessages.Held(id, frames));
        if (s.holdTimeout() != null) {
            // Weakly: a message decided long before its timeout is not kept alive by the timer.
            java.lang.ref.WeakReference<HeldFrames> ref = new java.lang.ref.WeakReference<>(frames);
            TIMER.schedule(() -> {
                HeldFrames f = ref.get();
                if (f != null && f.isHeld()) Thread.ofVirtual().name("wstap-hold-timeout-" + id).start(() -> timedOut(id, f, s));
            }, s.holdTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void timedOut(int id, HeldFrames frames, Settings s) {
        if (!frames.isHeld()) return;
        String why = "#" + id + " held past --hold-timeout " + seconds(s.holdTimeout());
        try {
            switch (s.onTimeout()) {
                case RELEASE -> frames.release(why);
                case DROP -> frames.drop(why);
                case CLOSE -> {
                    if (frames.drop(why + "; wstap closes the session")) {
                        new Injector(frames.session()).closeBothWays(CloseCode.GOING_AWAY, "held past the hold timeout",
                                Injector.MESSAGE_WAIT);
                    }
                }
            }
        } catch (IOException e) {
            // The receiver is gone: the session's end says so.
        }
    }

    public static String seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s";
    }
}
