package dev.wstap.view;

import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which records of a log {@code wstap view} shows. Each part is optional: sessions, a direction,
 * opcodes, a regular expression found in the text of a frame or a whole (reassembled, inflated)
 * message, a time range, and only what broke a rule. Sessions opening and closing are shown for
 * the sessions and times chosen, unless a frame-level part (direction, opcode, regex, violations)
 * asks for frames only.
 *
 * <p>Example: {@code new LogFilter(Set.of(3), Direction.S2C, Set.of(), Pattern.compile("error"), null, null, false)}.
 */
public record LogFilter(Set<Integer> sessions, Direction dir, Set<Integer> opcodes, Pattern grep, Instant since, Instant until,
                        boolean isViolationsOnly) implements Predicate<TapEvent> {

    @Override
    public boolean test(TapEvent event) {
        if (since != null && event.time().isBefore(since)) return false;
        if (until != null && event.time().isAfter(until)) return false;
        if (!sessions.isEmpty() && !sessions.contains(event.conn())) return false;
        return switch (event) {
            case FrameSeen f -> isShown(f.dir(), f.frame().header().opcode(), f.frame().text(), f.frame().hasViolations());
            case MessageSeen m -> isShown(m.dir(), m.opcode(), m.text(), !m.violations().isEmpty());
            case Opened o -> !isFrameFiltered();
            case Closed c -> !isFrameFiltered();
            case HttpSeen h -> !isFrameFiltered() || (isViolationsOnly && h.error() != null && dir == null && opcodes.isEmpty() && grep == null);
        };
    }

    private boolean isFrameFiltered() {
        return dir != null || !opcodes.isEmpty() || grep != null || isViolationsOnly;
    }

    private boolean isShown(Direction d, int opcode, String text, boolean hasViolations) {
        return (dir == null || dir == d)
                && (opcodes.isEmpty() || opcodes.contains(opcode))
                && (grep == null || (text != null && grep.matcher(text).find()))
                && (!isViolationsOnly || hasViolations);
    }
}
