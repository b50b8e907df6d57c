package dev.wstap.filter;

import dev.wstap.wire.Direction;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options that came before the filter language ({@code --session}, {@code --dir},
 * {@code --opcode}, {@code --grep}, {@code --violations-only}), as the terms they stand for, so that
 * {@code view --session 3 --grep error} and {@code view --filter 'sess:3 body~/error/'} are one filter.
 */
public final class Shorthands {
    private Shorthands() {}

    /** {@code --session 1,4}: {@code sess:1,4}; null for none. */
    public static Expr sessions(List<Integer> sessions) {
        if (sessions.isEmpty()) return null;
        int[] ids = sessions.stream().mapToInt(Integer::intValue).toArray();
        return new Terms.Sessions(ids, ids.clone());
    }

    /** {@code --dir s2c}: {@code dir:s2c}; null for none. */
    public static Expr direction(Direction dir) {
        return dir == null ? null : new Terms.Dir(java.util.EnumSet.of(dir));
    }

    /** {@code --opcode text,ping}: {@code op:text,ping}; null for none. */
    public static Expr opcodes(List<String> opcodes) {
        if (opcodes.isEmpty()) return null;
        try {
            return FilterParser.parse("op:" + String.join(",", opcodes));
        } catch (FilterSyntaxException e) {
            throw new IllegalArgumentException(e.problem());
        }
    }

    /** {@code --grep REGEX}: {@code body~/REGEX/}; null for none. */
    public static Expr grep(String regex) {
        if (regex == null) return null;
        try {
            return new Terms.BodyRegex(Pattern.compile(regex), "");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex '" + regex + "': " + e.getDescription());
        }
    }

    /** {@code --violations-only}: {@code viol}; null when not given. */
    public static Expr violationsOnly(boolean isGiven) {
        return isGiven ? new Terms.Viol(null, null) : null;
    }
}
