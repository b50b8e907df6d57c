package dev.wstap.shell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How {@code wstap connect} sends each line of a piped stdin as one message: as text (the
 * default), as binary, as hex digits for binary, or as one JSON value per line, checked before it
 * goes. A line that does not fit its format is refused with the reason, and nothing is sent.
 */
public enum LineFormat {
    TEXT(Opcode.TEXT),
    BINARY(Opcode.BINARY),
    HEX(Opcode.BINARY),
    JSONL(Opcode.TEXT);

    private static final JsonFactory JSON = new JsonFactory();
    final int opcode;

    LineFormat(int opcode) {
        this.opcode = opcode;
    }

    /** The message's payload for {@code line}; IllegalArgumentException says why a line does not fit. */
    byte[] payload(String line) {
        return switch (this) {
            case TEXT, BINARY -> line.getBytes(StandardCharsets.UTF_8);
            case HEX -> {
                String digits = line.replaceAll("[\\s:]", "");
                if (!digits.matches("[0-9a-fA-F]*")) {
                    throw new IllegalArgumentException("'" + line + "' is not hex: say pairs of hex digits, such as 'de ad be ef'");
                }
                if (digits.length() % 2 != 0) {
                    throw new IllegalArgumentException("'" + line + "' has an odd number of hex digits: each byte takes two");
                }
                yield HexFormat.of().parseHex(digits);
            }
            case JSONL -> {
                checkJson(line);
                yield line.getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static void checkJson(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() == null) throw new IllegalArgumentException("not JSON: the line is empty");
            p.skipChildren();
            JsonToken extra = p.nextToken();
            if (extra != null) throw new IllegalArgumentException("not one JSON value: more follows at column " + p.currentLocation().getColumnNr());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's words, without its parser's location notes; the column is said once, in ours.
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Unexpected end-of-input")) m = "the line ends before the JSON value does";
            m = m.replaceAll("\\s*\\(start marker at \\[.*", "").replaceAll("\\s*at \\[Source.*", "").strip();
            long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new IllegalArgumentException("not JSON" + (column > 0 ? " at column " + column : "") + ": " + m);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }
}
