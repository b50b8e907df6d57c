package dev.wstap.shell;

import dev.wstap.filter.EventFilter;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import dev.wstap.filter.Shorthands;
import dev.wstap.wire.Direction;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that stand for filter terms in the shell's {@code filter}, {@code wait} and
 * {@code expect} (a picocli mixin), and how they and a command's expression words become one filter.
 */
final class FilterOptions {
    @Option(names = "--dir", paramLabel = "c2s|s2c", completionCandidates = Candidates.Directions.class,
            description = "Only frames going this way (dir:c2s).")
    String dir;

    @Option(names = "--opcode", paramLabel = "NAME", split = ",", completionCandidates = Candidates.OpcodeNames.class,
            description = "Only frames (or messages) with these opcodes (op:NAME).")
    List<String> opcodes = List.of();

    @Option(names = "--grep", paramLabel = "REGEX", description = "Only frames and messages whose text contains a match (body~/REGEX/).")
    String grep;

    boolean isGiven() {
        return dir != null || !opcodes.isEmpty() || grep != null;
    }

    /** These options and {@code sessions} ({@code --session}), then the expression's words, joined with and. */
    EventFilter compile(List<String> words, List<Integer> sessions) {
        try {
            return EventFilter.allOf(Arrays.asList(Shorthands.sessions(sessions), Shorthands.direction(dir == null ? null : Direction.parse(dir)),
                    Shorthands.opcodes(opcodes), Shorthands.grep(grep), expression(words)), null, null);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /**
     * The words of an expression, joined with single spaces (CommandRunner keeps double quotes in
     * them for these commands); a mistake is a {@link CommandException} with a caret under it.
     */
    static dev.wstap.filter.Expr expression(List<String> words) {
        try {
            return FilterParser.parse(String.join(" ", words));
        } catch (FilterSyntaxException e) {
            throw new CommandException("bad filter: " + e.pointing());
        }
    }
}
