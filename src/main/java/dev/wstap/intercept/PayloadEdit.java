package dev.wstap.intercept;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The changes {@code edit ID} makes to a held message's payload from the command line, without an
 * editor: each one turns a payload into a new one, or says in one sentence why it cannot. Text
 * payloads are read and written as UTF-8; a regular expression on a binary payload sees each byte
 * as one character (ISO-8859-1), so bytes it does not touch stay as they were.
 *
 * <p>Example: {@code PayloadEdit.replace("/secret/redacted/").apply(utf8("a secret"), true)} gives
 * {@code "a redacted"}.
 */
public sealed interface PayloadEdit {

    /** The new payload; {@code isText} says whether the message is a text message. */
    byte[] apply(byte[] payload, boolean isText);

    /** What it does, for the log and the console ({@code --replace /secret/redacted/}). */
    String describe();

    /** The whole payload becomes {@code text} (UTF-8). */
    record SetText(String text) implements PayloadEdit {
        @Override
        public byte[] apply(byte[] payload, boolean isText) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String describe() {
            return "--text";
        }
    }

    /** The whole payload becomes these bytes. */
    record SetBytes(byte[] bytes) implements PayloadEdit {
        @Override
        public byte[] apply(byte[] payload, boolean isText) {
            return bytes.clone();
        }

        @Override
        public String describe() {
            return "--hex";
        }
    }

    /** The JSON value at {@code pointer} becomes {@code value}; the payload is written back compact. */
    record JsonSet(JsonPointer pointer, JsonNode value) implements PayloadEdit {
        @Override
        public byte[] apply(byte[] payload, boolean isText) {
            JsonNode root;
            try {
                root = JSON.readTree(payload);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--json-set " + pointer + ": the payload is not JSON (it begins "
                        + begins(payload) + "); use --replace or --text for other payloads");
            }
            if (root == null || root.isMissingNode()) throw new IllegalArgumentException("--json-set " + pointer + ": the payload is empty, not JSON");
            if (pointer.matches()) {
                root = value;
            } else {
                JsonNode parent = root.at(pointer.head());
                String last = pointer.last().getMatchingProperty();
                if (parent instanceof ObjectNode object) {
                    object.set(last, value);
                } else if (parent instanceof ArrayNode array) {
                    if (last.equals("-")) {
                        array.add(value);
                    } else if (pointer.last().getMatchingIndex() >= 0 && pointer.last().getMatchingIndex() <= array.size()) {
                        int index = pointer.last().getMatchingIndex();
                        if (index == array.size()) array.add(value);
                        else array.set(index, value);
                    } else {
                        throw new IllegalArgumentException("--json-set " + pointer + ": the array at " + pointer.head() + " has "
                                + array.size() + " elements; give an index from 0 to " + array.size() + ", or - to append");
                    }
                } else {
                    throw new IllegalArgumentException("--json-set " + pointer + ": there is " + (parent.isMissingNode() ? "nothing"
                            : "a " + parent.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + " at " + pointer.head()
                            + ", not an object or array to set " + last + " in");
                }
            }
            try {
                return JSON.writeValueAsBytes(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("writing JSON back failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String describe() {
            return "--json-set " + pointer + "=" + value;
        }
    }

    /** Every match of {@code pattern} is replaced with {@code replacement} ({@code $1} for groups). */
    record Replace(Pattern pattern, String replacement, String spec) implements PayloadEdit {
        @Override
        public byte[] apply(byte[] payload, boolean isText) {
            var charset = isText ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            String s = new String(payload, charset);
            Matcher m = pattern.matcher(s);
            if (!m.find()) throw new IllegalArgumentException("--replace " + spec + ": no match in the payload; nothing was changed");
            try {
                return m.replaceAll(replacement).getBytes(charset);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("--replace " + spec + ": the replacement is wrong: " + e.getMessage()
                        + " (write \\$ for a plain $)");
            }
        }

        @Override
        public String describe() {
            return "--replace " + spec;
        }
    }

    ObjectMapper JSON = dev.wstap.tap.JsonTrees.MAPPER;

    /** The payload after every change in order. */
    static byte[] applyAll(List<PayloadEdit> edits, byte[] payload, boolean isText) {
        byte[] out = payload;
        for (PayloadEdit e : edits) out = e.apply(out, isText);
        return out;
    }

    /** {@code --hex}: pairs of hex digits, spaces and colons between them allowed. */
    static PayloadEdit hex(String hex) {
        String digits = hex.replaceAll("[\\s:]", "");
        String problem = !digits.matches("[0-9a-fA-F]*") ? "'" + digits.replaceAll("[0-9a-fA-F]", "").charAt(0) + "' is not a hex digit"
                : digits.length() % 2 != 0 ? "an odd number of hex digits (" + digits.length() + ")" : null;
        if (problem != null) throw new IllegalArgumentException("--hex " + hex + ": " + problem + "; give pairs of hex digits, e.g. 48 65 6c 6c 6f");
        return new SetBytes(HexFormat.of().parseHex(digits));
    }

    /** {@code --json-set /pointer=VALUE}: VALUE is JSON, or else a string. */
    static PayloadEdit jsonSet(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("--json-set " + spec + ": say /pointer=VALUE, e.g. /channel=\"test\" or /count=3");
        String pointer = spec.substring(0, eq);
        String value = spec.substring(eq + 1);
        JsonPointer p;
        try {
            p = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--json-set " + spec + ": '" + pointer + "' is no JSON Pointer (RFC 6901): it starts with /, e.g. /user/name");
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
            if (node == null || node.isMissingNode()) node = TextNode.valueOf(value);
        } catch (java.io.IOException e) {
            node = TextNode.valueOf(value); // a bare word is a string: /channel=test
        }
        return new JsonSet(p, node);
    }

    /**
     * {@code --replace /REGEX/REPLACEMENT/[i]}: any punctuation may stand for the slashes
     * ({@code |a/b|c|}); a backslash before it makes it part of the pattern or replacement.
     */
    static PayloadEdit replace(String spec) {
        if (spec.length() < 3 || Character.isLetterOrDigit(spec.charAt(0)) || Character.isWhitespace(spec.charAt(0))) {
            throw new IllegalArgumentException("--replace " + spec + ": say /REGEX/REPLACEMENT/, e.g. /secret/redacted/");
        }
        char delimiter = spec.charAt(0);
        String[] parts = new String[3];
        StringBuilder part = new StringBuilder();
        int n = 0;
        for (int i = 1; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '\\' && i + 1 < spec.length() && spec.charAt(i + 1) == delimiter) {
                part.append(delimiter);
                i++;
            } else if (c == delimiter && n < 2) {
                parts[n++] = part.toString();
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (n < 2) throw new IllegalArgumentException("--replace " + spec + ": say " + delimiter + "REGEX" + delimiter + "REPLACEMENT"
                + delimiter + " (the closing " + delimiter + " is missing)");
        String flags = part.toString();
        if (!flags.matches("i?")) throw new IllegalArgumentException("--replace " + spec + ": unknown flags '" + flags + "' (i: ignore case)");
        try {
            Pattern pattern = Pattern.compile(parts[0], flags.isEmpty() ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            return new Replace(pattern, parts[1], spec);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--replace " + spec + ": bad regular expression: " + e.getDescription());
        }
    }

    /** The payload's first characters, quoted, control characters escaped: for messages. */
    private static String begins(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 20), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        return out.append(payload.length > 20 ? "...'" : "'").toString();
    }
}
