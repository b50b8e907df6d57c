package dev.wstap.rules;

import dev.wstap.filter.Expr;
import java.util.List;

/**
 * One rule of a rule file: when it applies, how often, and what it does.
 *
 * @param line        where it starts in its file (1-based), or 0 for one added in the shell
 * @param name        its name, or null
 * @param when        the filter expression a frame or message must match, as written
 * @param expr        the same, parsed
 * @param probability the chance that a match is a hit (0-1)
 * @param count       at most this many hits; 0 for no limit
 * @param after       the first this many matches are passed over
 * @param actions     what a hit does: at most one {@link Action.Shape}
 */
public record Rule(int line, String name, String when, Expr expr, double probability, long count, long after, List<Action> actions) {
    public Rule {
        actions = List.copyOf(actions);
    }

    /** {@code "slow server"}, or {@code #2} for a rule without a name at position {@code index} (1-based). */
    public String label(int index) {
        return name != null ? "\"" + name + "\"" : "#" + index;
    }

    /** The rule's shape action, or null when it only replaces, delays or throttles. */
    public Action.Shape shape() {
        for (Action a : actions) {
            if (a instanceof Action.Shape s) return s;
        }
        return null;
    }

    /** Its actions as the hit mark shows them: {@code delay 200 ms, drop}. */
    public String describeActions() {
        return String.join(", ", actions.stream().map(Action::describe).toList());
    }
}
