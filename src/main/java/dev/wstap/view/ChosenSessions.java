package dev.wstap.view;

import dev.wstap.tap.Closed;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What {@code view --stats} and {@code view --to-har} are given under a filter: the sessions that
 * have at least one record the filter matches, each with its open and close records (so that a
 * row or an entry says where the session went and how it ended) and with just the frames and
 * messages the filter matches. A session none of whose records was chosen is forgotten when it
 * closes, or by {@link #finish} when the log ends before it did.
 */
public final class ChosenSessions implements Consumer<TapEvent> {
    /** Where chosen records go, and where a session is dropped. */
    public interface Sink {
        void accept(TapEvent event);

        void forget(int conn);

        /** A sink of two method references: {@code Sink.of(summary::add, summary::forget)}. */
        static Sink of(Consumer<TapEvent> accept, java.util.function.IntConsumer forget) {
            return new Sink() {
                @Override
                public void accept(TapEvent event) {
                    accept.accept(event);
                }

                @Override
                public void forget(int conn) {
                    forget.accept(conn);
                }
            };
        }
    }

    private final Predicate<TapEvent> filter;
    private final Sink sink;
    /** Open sessions, and whether one of their records was chosen so far. */
    private final Map<Integer, Boolean> open = new HashMap<>();

    public ChosenSessions(Predicate<TapEvent> filter, Sink sink) {
        this.filter = filter;
        this.sink = sink;
    }

    @Override
    public void accept(TapEvent event) {
        boolean isChosen = filter.test(event);
        switch (event) {
            case Opened o -> {
                open.put(o.conn(), isChosen);
                sink.accept(o);
            }
            case Closed c -> {
                Boolean wasChosen = open.remove(c.conn());
                if (isChosen || Boolean.TRUE.equals(wasChosen)) {
                    sink.accept(c);
                } else {
                    sink.forget(c.conn());
                }
            }
            case HttpSeen h -> {
                if (isChosen) sink.accept(h);
            }
            default -> {
                if (!isChosen) return;
                open.replace(event.conn(), true);
                sink.accept(event);
            }
        }
    }

    /** The log ended: sessions still open with nothing chosen are forgotten. */
    public void finish() {
        open.forEach((conn, isChosen) -> {
            if (!isChosen) sink.forget(conn);
        });
        open.clear();
    }
}
