package dev.wstap.render;

import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which events the console shows (the shell's {@code filter}): a session, a direction, an opcode
 * and a regular expression found in a frame's or message's text, each optional. Sessions opening
 * and closing are shown unless another session was chosen; the log is never filtered.
 *
 * <p>Example: {@code new DisplayFilter(3, Direction.S2C, Opcode.TEXT, Pattern.compile("error"))}
 * shows session 3's text frames from the server that mention "error".
 */
public record DisplayFilter(Integer session, Direction dir, Integer opcode, Pattern regex) implements Predicate<TapEvent> {
    public static final DisplayFilter ALL = new DisplayFilter(null, null, null, null);

    @Override
    public boolean test(TapEvent event) {
        return switch (event) {
            case FrameSeen f -> isShown(f.conn(), f.dir(), f.frame().header().opcode(), f.frame().text());
            case MessageSeen m -> isShown(m.conn(), m.dir(), m.opcode(), m.text());
            case Opened o -> session == null || session == o.conn();
            case Closed c -> session == null || session == c.conn();
            case HttpSeen h -> session == null || session == h.conn();
        };
    }

    private boolean isShown(int conn, Direction d, int op, String text) {
        return (session == null || session == conn)
                && (dir == null || dir == d)
                && (opcode == null || opcode == op)
                && (regex == null || (text != null && regex.matcher(text).find()));
    }

    /** {@code session 3, s2c, text, /error/}, or {@code everything}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (session != null) parts.add("session " + session);
        if (dir != null) parts.add(dir.label());
        if (opcode != null) parts.add(Opcode.name(opcode));
        if (regex != null) parts.add("/" + regex + "/");
        return parts.isEmpty() ? "everything" : String.join(", ", parts);
    }
}
