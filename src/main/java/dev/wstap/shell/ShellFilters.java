package dev.wstap.shell;

import dev.wstap.filter.EventFilter;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import dev.wstap.filter.Shorthands;
import dev.wstap.wire.Direction;
import java.util.Arrays;
import java.util.List;

/** The filter a shell command was given: its expression words and the shorthand options, joined with and. */
final class ShellFilters {
    private ShellFilters() {}

    /**
     * The words of the expression are joined with single spaces (CommandRunner keeps double quotes
     * in them for these commands); a mistake is a {@link CommandException} with a caret under it.
     */
    static EventFilter compile(List<String> words, List<Integer> sessions, String dir, List<String> opcodes, String grep) {
        String text = String.join(" ", words);
        try {
            return EventFilter.allOf(Arrays.asList(Shorthands.sessions(sessions == null ? List.of() : sessions),
                    Shorthands.direction(dir == null ? null : Direction.parse(dir)), Shorthands.opcodes(opcodes), Shorthands.grep(grep),
                    FilterParser.parse(text)), null, null);
        } catch (FilterSyntaxException e) {
            throw new CommandException("bad filter: " + e.pointing());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }
}
