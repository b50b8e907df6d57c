package dev.wstap.intercept;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Utf8Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A held message's payload as a file for {@code $EDITOR}, and the payload read back from it: text
 * as text, JSON pretty-printed, anything else (binary, or text that is not UTF-8) as an editable
 * hex dump. A file saved unchanged stands for the original bytes, exactly; an emptied file asks
 * whether to drop the message. Pure: the caller writes and reads the file.
 *
 * @param kind     how the payload is shown
 * @param original the payload as it arrived
 * @param content  the file as written for the editor
 */
public record EditorDocument(Kind kind, byte[] original, String content) {

    /** How a payload is shown in the editor, and the file name suffix that tells the editor so. */
    public enum Kind {
        TEXT(".txt"), JSON(".json"), HEX(".hex");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** What the edited file says. */
    public sealed interface Outcome {
        /** Saved as written: the original bytes go. */
        record Unchanged() implements Outcome {}

        /** Nothing left in it: ask whether to drop the message. */
        record Emptied() implements Outcome {}

        /** A new payload. */
        record Changed(byte[] payload) implements Outcome {}
    }

    private static final int HEX_BYTES_PER_LINE = 16;
    private static final String HEX_HEADER = """
            # wstap: the payload as hex, %d bytes. Edit the hex bytes; the offsets before ':' and the
            # |text| column are ignored, and so are lines that start with #. Save unchanged to forward the
            # original; empty the file to drop the message.
            """;

    /** The document for a payload of a message with {@code opcode}. */
    public static EditorDocument of(int opcode, byte[] payload) {
        if (opcode == Opcode.TEXT && Utf8Validator.isValidUtf8(payload, 0, payload.length)) {
            String text = new String(payload, StandardCharsets.UTF_8);
            String pretty = prettyJson(payload);
            if (pretty != null) return new EditorDocument(Kind.JSON, payload, pretty + "\n");
            return new EditorDocument(Kind.TEXT, payload, text);
        }
        return new EditorDocument(Kind.HEX, payload, hexDump(payload));
    }

    /** Reads back what the editor saved. */
    public Outcome read(String saved) {
        if (saved.equals(content)) return new Outcome.Unchanged();
        return switch (kind) {
            case TEXT -> {
                // Editors end a file with a newline; a payload that had none does not get one.
                String text = !content.endsWith("\n") && saved.endsWith("\n") ? saved.substring(0, saved.length() - 1) : saved;
                if (text.equals(content)) yield new Outcome.Unchanged();
                yield text.isEmpty() ? new Outcome.Emptied() : new Outcome.Changed(text.getBytes(StandardCharsets.UTF_8));
            }
            case JSON -> {
                if (saved.isBlank()) yield new Outcome.Emptied();
                if (saved.strip().equals(content.strip())) yield new Outcome.Unchanged();
                yield new Outcome.Changed(json(saved));
            }
            case HEX -> {
                byte[] bytes = parseHex(saved);
                if (Arrays.equals(bytes, original)) yield new Outcome.Unchanged();
                yield bytes.length == 0 ? new Outcome.Emptied() : new Outcome.Changed(bytes);
            }
        };
    }

    /**
     * JSON the user wrote: valid JSON goes compact, as messages usually are (whatever the original's
     * spacing was, it is gone from the editor's copy); what does not parse goes as typed, since
     * sending malformed JSON on purpose is a fair test.
     */
    private static byte[] json(String saved) {
        try {
            JsonNode node = PayloadEdit.JSON.readTree(saved);
            if (node != null && !node.isMissingNode()) return PayloadEdit.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            // Not JSON: as typed.
        }
        String text = saved.endsWith("\n") ? saved.substring(0, saved.length() - 1) : saved;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Pretty JSON for an object or array payload, else null. */
    static String prettyJson(byte[] payload) {
        int i = 0;
        while (i < payload.length && Character.isWhitespace(payload[i])) i++;
        if (i == payload.length || (payload[i] != '{' && payload[i] != '[')) return null;
        try {
            JsonNode node = PayloadEdit.JSON.readTree(payload);
            return node == null ? null : PayloadEdit.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code 00000010: 48 65 6c 6c 6f 20 77 6f  72 6c 64  |Hello world|}, after a comment that says how to edit. */
    static String hexDump(byte[] bytes) {
        StringBuilder out = new StringBuilder(String.format(HEX_HEADER, bytes.length));
        HexFormat hex = HexFormat.of();
        for (int line = 0; line < bytes.length; line += HEX_BYTES_PER_LINE) {
            int n = Math.min(HEX_BYTES_PER_LINE, bytes.length - line);
            out.append(String.format("%08x:", line));
            StringBuilder ascii = new StringBuilder(n);
            for (int i = 0; i < HEX_BYTES_PER_LINE; i++) {
                if (i == 8) out.append(' ');
                if (i < n) {
                    int b = bytes[line + i] & 0xFF;
                    out.append(' ').append(hex.toHexDigits((byte) b));
                    ascii.append(b >= 0x20 && b < 0x7F && b != '|' ? (char) b : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append("  |").append(ascii).append("|\n");
        }
        return out.toString();
    }

    /** The bytes of an edited hex dump; a line that is not hex says where. */
    static byte[] parseHex(String dump) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String[] lines = dump.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.strip().startsWith("#")) continue;
            int bar = line.indexOf('|');
            if (bar >= 0) line = line.substring(0, bar);
            int colon = line.indexOf(':');
            if (colon >= 0) line = line.substring(colon + 1);
            for (String token : line.trim().split("\\s+")) {
                if (token.isEmpty()) continue;
                if (!token.matches("(?i)([0-9a-f]{2})+")) {
                    throw new IllegalArgumentException("line " + (n + 1) + " of the hex dump: '" + token
                            + "' is not hex bytes (pairs of 0-9, a-f)");
                }
                out.writeBytes(HexFormat.of().parseHex(token));
            }
        }
        return out.toByteArray();
    }
}
