package dev.wstap.tap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one way wstap reads a payload as a JSON tree (intercept edits, replay's captures and
 * comparisons): numbers keep their exact decimals, so that {@code 1.10} is written back as it was
 * and {@code 1.0} and {@code 1.00} compare equal by value, not by text.
 */
public final class JsonTrees {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private JsonTrees() {}

    /** {@code utf8} as a JSON tree, or null when it is not one JSON value. */
    public static JsonNode parseOrNull(byte[] utf8) {
        try {
            return MAPPER.readTree(utf8);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
