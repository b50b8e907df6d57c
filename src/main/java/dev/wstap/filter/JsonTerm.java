package dev.wstap.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code json:/type=="subscribe"}, {@code json:/price>100}, {@code json:/user/id}: the payload's
 * text read as JSON, the value a JSON Pointer (RFC 6901) names in it, compared with a JSON
 * scalar, or only required to exist. Read as a stream, without building a tree; a payload that is
 * not JSON, or was cut by the preview limit, matches nothing.
 *
 * @param op    null when the value only has to exist
 * @param value the scalar compared with: a String, a BigDecimal, a Boolean, or {@link #NULL}
 */
public record JsonTerm(JsonPointer pointer, Op op, Object value, String valueText) implements Term {
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final JsonFactory JSON = new JsonFactory();

    /** How the value is compared: equality for every scalar, order for numbers and strings. */
    public enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    @Override
    public boolean matches(TapEvent event, Opened session) {
        String text = Payloads.text(event);
        if (text == null || text.isEmpty()) return false;
        try (JsonParser p = new FilteringParserDelegate(JSON.createParser(text), new JsonPointerBasedFilter(pointer),
                TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false)) {
            JsonToken t = p.nextToken();
            if (t == null) return false;
            if (op == null) return true;
            Object found = switch (t) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> NULL;
                default -> null; // an object or array: no scalar to compare
            };
            if (found == null) return false;
            return compare(found);
        } catch (IOException e) {
            return false; // not JSON, or cut short
        }
    }

    private boolean compare(Object found) {
        int order;
        if (found instanceof BigDecimal a && value instanceof BigDecimal b) {
            order = a.compareTo(b);
        } else if (found instanceof String a && value instanceof String b) {
            order = a.compareTo(b);
        } else {
            boolean isSame = found == value || found.equals(value);
            return switch (op) {
                case EQ -> isSame;
                case NE -> !isSame;
                default -> false;
            };
        }
        return switch (op) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }

    @Override
    public String text() {
        return "json:" + pointer + (op == null ? "" : op.symbol + valueText);
    }

    @Override
    public String describe() {
        String at = pointer.toString().isEmpty() ? "the whole JSON payload" : "the JSON value at " + pointer;
        if (op == null) return "frames and messages whose payload is JSON with a value at " + pointer;
        return "frames and messages where " + at + " " + switch (op) {
            case EQ -> "equals";
            case NE -> "exists and differs from";
            case LT -> "is less than";
            case LE -> "is at most";
            case GT -> "is greater than";
            case GE -> "is at least";
        } + " " + valueText;
    }

    @Override
    public int cost() {
        return Terms.JSON;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonTerm j && j.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
