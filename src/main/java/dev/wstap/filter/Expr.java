package dev.wstap.filter;

import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import java.util.List;

/**
 * A compiled filter expression: a predicate over one tap event, given the {@link Opened} record of
 * the event's session when it is known (null when not). Every event kind is tested against the
 * whole expression; a term about something an event does not have (an opcode, for a session's
 * open record) is false for it. Pure and thread safe.
 */
public sealed interface Expr permits Expr.All, Expr.Any, Expr.Not, Term {

    boolean matches(TapEvent event, Opened session);

    /** The expression written back in the filter language, as short as it reads unambiguously. */
    String text();

    /** Relative cost of evaluating it: header fields 1, session lookups 2, payload text 10, JSON 30. */
    int cost();

    /** Whether any term looks at the session's open record ({@code url}, {@code host}, ...). */
    boolean needsSession();

    /**
     * The directions of the frames and messages it can match, read from its {@code dir:} terms
     * alone (so an intercept asks to see nothing of a direction it cannot hold): both unless a
     * {@code dir:} term that must hold says otherwise.
     */
    static java.util.Set<dev.wstap.wire.Direction> directions(Expr e) {
        java.util.Set<dev.wstap.wire.Direction> all = java.util.EnumSet.allOf(dev.wstap.wire.Direction.class);
        return switch (e) {
            case All a -> {
                java.util.Set<dev.wstap.wire.Direction> out = java.util.EnumSet.copyOf(all);
                for (Expr part : a.parts()) out.retainAll(directions(part));
                yield out;
            }
            case Any a -> {
                java.util.Set<dev.wstap.wire.Direction> out = java.util.EnumSet.noneOf(dev.wstap.wire.Direction.class);
                for (Expr part : a.parts()) out.addAll(directions(part));
                yield out;
            }
            case Terms.Dir d -> java.util.EnumSet.copyOf(d.dirs());
            default -> all;
        };
    }

    /** Terms side by side, or joined with {@code and}: every one matches. Cheaper ones are tried first. */
    record All(List<Expr> parts, List<Expr> byCost) implements Expr {
        public All(List<Expr> parts) {
            this(List.copyOf(parts), parts.stream().sorted(java.util.Comparator.comparingInt(Expr::cost)).toList());
        }

        @Override
        public boolean matches(TapEvent event, Opened session) {
            for (int i = 0; i < byCost.size(); i++) {
                if (!byCost.get(i).matches(event, session)) return false;
            }
            return true;
        }

        @Override
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Expr p : parts) {
                if (!b.isEmpty()) b.append(' ');
                b.append(p instanceof Any ? "(" + p.text() + ")" : p.text());
            }
            return b.toString();
        }

        @Override
        public int cost() {
            return parts.stream().mapToInt(Expr::cost).sum();
        }

        @Override
        public boolean needsSession() {
            return parts.stream().anyMatch(Expr::needsSession);
        }
    }

    /** Alternatives joined with {@code or}: one of them matches. */
    record Any(List<Expr> parts, List<Expr> byCost) implements Expr {
        public Any(List<Expr> parts) {
            this(List.copyOf(parts), parts.stream().sorted(java.util.Comparator.comparingInt(Expr::cost)).toList());
        }

        @Override
        public boolean matches(TapEvent event, Opened session) {
            for (int i = 0; i < byCost.size(); i++) {
                if (byCost.get(i).matches(event, session)) return true;
            }
            return false;
        }

        @Override
        public String text() {
            return String.join(" or ", parts.stream().map(Expr::text).toList());
        }

        @Override
        public int cost() {
            return parts.stream().mapToInt(Expr::cost).sum();
        }

        @Override
        public boolean needsSession() {
            return parts.stream().anyMatch(Expr::needsSession);
        }
    }

    /** {@code not X} or {@code -X}: X does not match. */
    record Not(Expr inner) implements Expr {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            return !inner.matches(event, session);
        }

        @Override
        public String text() {
            return inner instanceof Term ? "-" + inner.text() : "not (" + inner.text() + ")";
        }

        @Override
        public int cost() {
            return inner.cost();
        }

        @Override
        public boolean needsSession() {
            return inner.needsSession();
        }
    }
}
