package dev.wstap.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines with jackson-core's streaming parser into plain maps and lists, so that tests
 * can assert on fields. Integers become {@link Long} (or {@link java.math.BigInteger}), so that
 * {@code assertEquals(5L, record.get("len"))} compares exactly; a present {@code null} is a key
 * mapped to null, an absent field is no key at all.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** One JSON object; fails when the text is anything else or has something after the object. */
    public static Map<String, Object> object(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) throw new AssertionError("not a JSON object: " + text);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) value(p, first);
            if (p.nextToken() != null) throw new AssertionError("text after the JSON object: " + text);
            return result;
        } catch (IOException e) {
            throw new AssertionError("not valid JSON (" + e.getMessage() + "): " + text, e);
        }
    }

    /** Every line of a JSON Lines file, each of which must be one valid object. */
    public static List<Map<String, Object>> lines(Path file) throws IOException {
        String all = Files.readString(file, StandardCharsets.UTF_8);
        if (!all.isEmpty() && !all.endsWith("\n")) throw new AssertionError("log does not end with a newline: " + file);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : all.split("\n", -1)) {
            if (line.isEmpty()) continue;
            out.add(object(line));
        }
        return out;
    }

    /** The complete lines written so far, for a log that a running process is still appending to. */
    public static List<Map<String, Object>> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        String all = Files.readString(file, StandardCharsets.UTF_8);
        int end = all.lastIndexOf('\n');
        List<Map<String, Object>> out = new ArrayList<>();
        if (end < 0) return out;
        for (String line : all.substring(0, end).split("\n")) {
            if (!line.isEmpty()) out.add(object(line));
        }
        return out;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken next = p.nextToken(); next != JsonToken.END_OBJECT; next = p.nextToken()) {
                    String name = p.currentName();
                    if (map.containsKey(name)) throw new AssertionError("duplicate field '" + name + "'");
                    map.put(name, value(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) list.add(value(p, next));
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new AssertionError("unexpected JSON token " + t);
        };
    }
}
