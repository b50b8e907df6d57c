package dev.wstap.filter;

import dev.wstap.tap.Closed;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A filter expression applied to a stream of events, in order: the console's ({@code --filter},
 * the shell's {@code filter}), {@code view}'s, a script's waits. It remembers each open session's
 * {@link Opened} record for the terms that ask about the session ({@code url}, {@code host},
 * {@code sub}, {@code client}) and forgets it when the session's {@link Closed} record has passed,
 * so it holds no more than the sessions open at once. {@code view --since/--until} add a time
 * window. Thread safe; one instance per stream, since it follows that stream's sessions.
 *
 * <p>Example: {@code EventFilter.of("dir:s2c op:text body~/token-[0-9]+/").test(event)}.
 */
public final class EventFilter implements Predicate<TapEvent> {
    /** Everything. */
    public static final EventFilter ALL = new EventFilter(null, null, null);

    private final Expr expr;
    private final Instant since;
    private final Instant until;
    private final Map<Integer, Opened> sessions;

    private EventFilter(Expr expr, Instant since, Instant until) {
        this.expr = expr;
        this.since = since;
        this.until = until;
        this.sessions = expr != null && expr.needsSession() ? new ConcurrentHashMap<>() : null;
    }

    /** The filter an expression stands for; a blank one is everything. */
    public static EventFilter of(String expression) {
        return of(FilterParser.parse(expression));
    }

    /** The filter of a compiled expression; null is everything. */
    public static EventFilter of(Expr expr) {
        return expr == null ? ALL : new EventFilter(expr, null, null);
    }

    /** Every one of {@code exprs} (nulls left out), within an optional time window. */
    public static EventFilter allOf(List<Expr> exprs, Instant since, Instant until) {
        List<Expr> parts = new ArrayList<>();
        for (Expr e : exprs) {
            if (e instanceof Expr.All all) {
                parts.addAll(all.parts());
            } else if (e != null) {
                parts.add(e);
            }
        }
        Expr expr = parts.isEmpty() ? null : parts.size() == 1 ? parts.get(0) : new Expr.All(parts);
        return expr == null && since == null && until == null ? ALL : new EventFilter(expr, since, until);
    }

    /** The same expression, knowing the sessions open now (for a filter set while traffic flows). */
    public EventFilter knowing(Collection<Opened> open) {
        EventFilter f = new EventFilter(expr, since, until);
        if (f.sessions != null) {
            for (Opened o : open) f.sessions.put(o.conn(), o);
        }
        return f;
    }

    @Override
    public boolean test(TapEvent event) {
        Opened session = null;
        if (sessions != null) {
            if (event instanceof Opened o) sessions.put(o.conn(), o);
            session = sessions.get(event.conn());
        }
        boolean isShown = (since == null || !event.time().isBefore(since)) && (until == null || !event.time().isAfter(until))
                && (expr == null || expr.matches(event, session));
        if (sessions != null && event instanceof Closed) sessions.remove(event.conn());
        return isShown;
    }

    /** The expression, or null for everything. */
    public Expr expr() {
        return expr;
    }

    /** The expression as the language writes it, or {@code everything}. */
    public String describe() {
        String what = expr == null ? "everything" : expr.text();
        if (since != null) what += " since " + since;
        if (until != null) what += " until " + until;
        return what;
    }
}
