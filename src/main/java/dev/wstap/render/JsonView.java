package dev.wstap.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/** JSON pretty-printed and coloured, token by token with jackson-core's streaming parser. */
final class JsonView {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String STEP = "  ";

    private final JsonParser parser;
    private final String indent;
    private final List<AttributedString> lines = new ArrayList<>();
    private AttributedStringBuilder line;
    private int depth;

    private JsonView(JsonParser parser, String indent) {
        this.parser = parser;
        this.indent = indent;
        this.line = new AttributedStringBuilder().append(indent);
    }

    /** True when {@code text} looks like a JSON object or array, worth trying to parse in auto view. */
    static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') return true;
            if (!Character.isWhitespace(c)) return false;
        }
        return false;
    }

    /** The lines of {@code text} pretty-printed, or null when it is not one complete JSON value. */
    static List<AttributedString> lines(String text, String indent) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) return null;
            JsonView view = new JsonView(p, indent);
            view.value(first);
            if (p.nextToken() != null) return null;
            view.lines.add(view.line.toAttributedString());
            return view.lines;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void value(JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> container(JsonToken.END_OBJECT, "{", "}");
            case START_ARRAY -> container(JsonToken.END_ARRAY, "[", "]");
            case VALUE_STRING -> line.styled(Palette.JSON_STRING, quote(parser.getText()));
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> line.styled(Palette.JSON_NUMBER, parser.getText());
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> line.styled(Palette.JSON_LITERAL, parser.getText());
            default -> throw new IOException("unexpected " + token);
        }
    }

    private void container(JsonToken end, String open, String close) throws IOException {
        JsonToken next = parser.nextToken();
        if (next == end) {
            punct(open + close);
            return;
        }
        punct(open);
        depth++;
        boolean isFirst = true;
        while (next != end) {
            if (next == null) throw new IOException("unexpected end of input");
            if (!isFirst) punct(",");
            newLine();
            if (next == JsonToken.FIELD_NAME) {
                line.styled(Palette.JSON_KEY, quote(parser.currentName()));
                punct(": ");
                next = parser.nextToken();
            }
            value(next);
            isFirst = false;
            next = parser.nextToken();
        }
        depth--;
        newLine();
        punct(close);
    }

    private void punct(String s) {
        line.styled(Palette.JSON_PUNCT, s);
    }

    private void newLine() {
        lines.add(line.toAttributedString());
        line = new AttributedStringBuilder().append(indent).append(STEP.repeat(depth));
    }

    /** A JSON string literal; C1 controls escaped too, so no payload can drive the terminal. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        for (int i = 1; i < out.length(); i++) {
            char c = out.charAt(i);
            if (TextView.isHidden(c)) {
                out.replace(i, i + 1, String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
