package dev.wstap.shell;

import dev.wstap.proxy.Injector;
import dev.wstap.proxy.Session;
import dev.wstap.proxy.SessionRegistry;
import dev.wstap.render.ConsoleSink;
import dev.wstap.tap.Tap;
import dev.wstap.tap.TrafficTotals;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;

/**
 * What the commands act on: the open sessions and the one in use, what was seen (for {@code wait}
 * and {@code expect}), the totals, and the console they steer.
 */
final class ShellContext {
    final SessionRegistry sessions;
    final Tap tap;
    final FrameWatch watch;
    final TrafficTotals totals;
    /** The live display; null where there is none to steer. */
    final ConsoleSink console;
    /** Counted down by {@code quit}. */
    final CountDownLatch quit = new CountDownLatch(1);
    private volatile Integer chosen;
    /** {@code wstap connect}: wstap is the client, so nothing can be sent towards one. */
    volatile boolean isClientMode;
    int failedExpectations;
    /** What {@code intercept}, {@code held}, {@code forward}, {@code drop} and {@code edit} act on; null where there is none. */
    volatile dev.wstap.intercept.Intercept intercept;
    /** What {@code rules} and {@code rule} act on; null where there are none. */
    volatile dev.wstap.rules.Rules rules;
    /** How {@code edit} runs the user's editor and asks questions. */
    volatile Editing editing = Editing.SCRIPTED;

    ShellContext(SessionRegistry sessions, Tap tap, FrameWatch watch, TrafficTotals totals, ConsoleSink console) {
        this.sessions = sessions;
        this.tap = tap;
        this.watch = watch;
        this.totals = totals;
        this.console = console;
    }

    /** Act on session {@code id} from now on; null: on the newest open one. */
    void use(Integer id) {
        if (id != null && sessions.get(id) == null) throw new CommandException("no open session #" + id + " (see: sessions)");
        chosen = id;
    }

    /** What the prompt names: {@code #3}, {@code #3 ended} (chosen, and gone), or null for none. */
    String target() {
        Integer id = chosen;
        if (id != null) return sessions.get(id) != null ? "#" + id : "#" + id + " ended";
        Integer newest = current();
        return newest == null ? null : "#" + newest;
    }

    /** The session chosen with {@code use}, else the newest open one. */
    Session session() {
        Integer id = chosen;
        if (id != null) {
            Session s = sessions.get(id);
            if (s == null) throw new CommandException("session #" + id + " has ended (use N for another, or use alone for the newest)");
            return s;
        }
        return sessions.all().stream().max(Comparator.comparingInt(Session::id))
                .orElseThrow(() -> new CommandException("no open session (wait session first)"));
    }

    /** The number of the session commands act on, or null when there is none. */
    Integer current() {
        Integer id = chosen;
        if (id != null) return sessions.get(id) != null ? id : null;
        return sessions.all().stream().map(Session::id).max(Integer::compare).orElse(null);
    }

    Injector injector() {
        return new Injector(session());
    }

    ConsoleSink console() {
        if (console == null) throw new CommandException("there is no live display here");
        return console;
    }
}
