package dev.wstap.replay;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wstap.filter.Expr;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import dev.wstap.tap.JsonTrees;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import java.util.regex.Pattern;

/**
 * {@code --capture NAME=/json/pointer[@EXPR]}: the value at the pointer in the first message of
 * the peer's that has it (and that EXPR matches, when given). A string is taken as its text, any
 * other value as its JSON.
 */
public record Capture(String name, JsonPointer pointer, Expr when) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    /** Parses {@code NAME=/pointer[@EXPR]}; the message says what is wrong and how it should look. */
    public static Capture parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("'" + text + "': say NAME=/json/pointer, e.g. token=/session/id");
        String name = text.substring(0, eq).strip();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a capture name: letters, digits, _ . - (not first)");
        }
        String rest = text.substring(eq + 1);
        int at = rest.indexOf('@');
        String pointer = at < 0 ? rest : rest.substring(0, at);
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("'" + pointer + "' is not a JSON pointer (RFC 6901): it starts with /, e.g. /session/id");
        }
        Expr when = null;
        if (at >= 0) {
            try {
                when = FilterParser.parse(rest.substring(at + 1));
            } catch (FilterSyntaxException e) {
                throw new IllegalArgumentException("--capture " + name + "=...@EXPR:\n" + e.pointing());
            }
        }
        return new Capture(name, JsonPointer.compile(pointer), when);
    }

    /** The value {@code event} (a peer's message with {@code payload}) gives, or null when it gives none. */
    public String valueIn(TapEvent event, byte[] payload, boolean isText, Opened session) {
        if (!isText) return null;
        if (when != null && !when.matches(event, session)) return null;
        JsonNode tree = JsonTrees.parseOrNull(payload);
        if (tree == null) return null;
        JsonNode value = tree.at(pointer);
        if (value.isMissingNode()) return null;
        return value.isTextual() ? value.textValue() : value.toString();
    }

    /** {@code {{NAME}}}: what a sent message may hold to have the value put in. */
    public String placeholder() {
        return "{{" + name + "}}";
    }
}
