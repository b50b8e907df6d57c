package dev.wstap.tap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tls.TlsInfo;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSONL log (schema v1, docs/log-format.md) back into the tap events it was written from,
 * so that {@code wstap view} shows a log as the console showed the live traffic. One reader per
 * log: it follows each session's agreed extensions and messages in flight, which frame records
 * alone do not repeat. A message that is the same as its single frame has no record of its own
 * ({@link JsonlLog}): its event comes right after its frame's, as it did live
 * ({@link ParsedFrame#isWholeMessage}). Records of a type it does not know (a newer writer's) are
 * skipped, as the schema asks. Not thread safe.
 *
 * <p>What the log does not keep comes back as its most likely value: HTTP versions as HTTP/1.1,
 * and in a log from before {@code len_enc} the length encoding as the minimal one unless the frame
 * was flagged {@code non-minimal-length}.
 */
public final class LogReader {
    /** A line that is not a log record: cut short, or not JSON, or missing a field; the message says which. */
    public static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final int COMPRESSED = 0x100;
    private final Map<Integer, String> extensions = new HashMap<>();
    /** The message each connection and direction is inside: its opcode, with {@link #COMPRESSED} when it is compressed. */
    private final Map<String, Integer> messageOpcodes = new HashMap<>();

    /**
     * The events one line holds: one; two for the frame of a message that is that frame alone (the
     * frame, then the message); none for a record of a type this reader does not know.
     */
    public List<TapEvent> parse(String line) throws BadRecord {
        Map<String, Object> r;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new BadRecord("not a JSON object");
            r = object(p);
            if (p.nextToken() != null) throw new BadRecord("more than one JSON value on the line");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new BadRecord(m.contains("end-of-input") ? "the line is cut short" : "not JSON: " + m.lines().findFirst().orElse(m));
        }
        try {
            return switch (String.valueOf(r.get("type"))) {
                case "open" -> List.of(opened(r));
                case "frame" -> {
                    FrameSeen f = frame(r);
                    // Live, nothing follows a frame not forwarded: no message is made of it.
                    yield f.frame().isWholeMessage() && !f.isDropped() ? List.of(f, MessageSeen.ofFrame(f)) : List.of(f);
                }
                case "message" -> List.of(message(r));
                case "close" -> List.of(closed(r));
                case "http" -> List.of(http(r));
                default -> List.of();
            };
        } catch (RuntimeException e) {
            throw new BadRecord("a " + r.get("type") + " record without what it needs: " + e.getMessage());
        }
    }

    private Opened opened(Map<String, Object> r) {
        int conn = integer(r, "conn");
        Map<String, Object> req = map(r, "request");
        Map<String, Object> res = map(r, "response");
        Map<String, Object> tls = r.get("tls") instanceof Map<?, ?> ? map(r, "tls") : Map.of();
        String ext = (String) r.get("extensions");
        if (ext != null) extensions.put(conn, ext);
        return new Opened(time(r), conn, string(r, "client"), string(r, "url"),
                new HttpRequest(string(req, "method"), string(req, "target"), "HTTP/1.1", headers(req)),
                new HttpResponse("HTTP/1.1", integer(res, "status"), string(res, "reason"), headers(res)),
                tls(tls.get("client")), tls(tls.get("upstream")));
    }

    private FrameSeen frame(Map<String, Object> r) {
        int conn = integer(r, "conn");
        Direction dir = Direction.parse(string(r, "dir"));
        int opcode = integer(r, "opcode");
        boolean isFinal = bool(r, "fin");
        int rsv = integer(r, "rsv");
        String mask = (String) r.get("mask");
        long length = new BigInteger(r.get("len").toString()).longValue();
        List<Violation> violations = violations(r);
        LengthEncoding encoding = lengthEncoding(r.get("len_enc"), length, violations);
        FrameHeader header = new FrameHeader(isFinal, rsv, opcode, bool(r, "masked"),
                mask == null ? 0 : (int) Long.parseLong(mask, 16), length, encoding);
        // Which message a frame belongs to, as the parser followed it live: continuations take the
        // opcode of the text or binary frame that began it; control frames and reserved opcodes in
        // between leave that message alone.
        // A message is compressed when its first frame has RSV1 under permessage-deflate; its
        // continuations are too, though their RSV1 is clear (RFC 7692 §6.1), as the parser says live.
        String key = conn + ":" + dir.label();
        String ext = extensions.get(conn);
        boolean isDeflate = ext != null && ext.toLowerCase(java.util.Locale.ROOT).contains("permessage-deflate");
        int messageOpcode = opcode;
        boolean isCompressed = (rsv & FrameHeader.RSV1) != 0 && !Opcode.isControl(opcode) && isDeflate;
        if (opcode == Opcode.CONTINUATION) {
            int started = messageOpcodes.getOrDefault(key, r.containsKey("text") ? Opcode.TEXT : -1);
            messageOpcode = started & 0xF;
            if (started == -1) messageOpcode = -1;
            isCompressed = started != -1 && (started & COMPRESSED) != 0;
            if (isFinal) messageOpcodes.remove(key);
        } else if (Opcode.isMessage(opcode)) {
            if (isFinal) messageOpcodes.remove(key);
            else messageOpcodes.put(key, opcode | (isCompressed ? COMPRESSED : 0));
        }
        ParsedFrame frame = new ParsedFrame(header, bytes(r), messageOpcode, isCompressed, violations);
        Object rtt = r.get("rtt_ms");
        return new FrameSeen(time(r), conn, dir, frame, fate(r), rtt == null ? null : millis(rtt), (String) r.get("note"));
    }

    /**
     * The length form: {@code len_enc} when the log says it (it does when the form was not the
     * shortest); before that field, a {@code non-minimal-length} frame is taken as the 64-bit form.
     */
    private static LengthEncoding lengthEncoding(Object lenEnc, long length, List<Violation> violations) {
        if (lenEnc instanceof Number bits) {
            return switch (bits.intValue()) {
                case 7 -> LengthEncoding.BITS_7;
                case 16 -> LengthEncoding.BITS_16;
                case 64 -> LengthEncoding.BITS_64;
                default -> throw new IllegalArgumentException("\"len_enc\" is " + bits + ", not 7, 16 or 64");
            };
        }
        boolean isNonMinimal = violations.stream().anyMatch(v -> v.rule() == Violation.Rule.NON_MINIMAL_LENGTH);
        return isNonMinimal ? LengthEncoding.BITS_64 : LengthEncoding.minimalFor(length);
    }

    /** Logs older than fates say only {@code injected} and {@code dropped} (after wstap's own close). */
    private static Fate fate(Map<String, Object> r) {
        if (r.get("fate") instanceof String label) return Fate.parse(label);
        if (bool(r, "injected")) return Fate.INJECTED;
        return bool(r, "dropped") ? Fate.AFTER_CLOSE : Fate.FORWARDED;
    }

    private static MessageSeen message(Map<String, Object> r) {
        return new MessageSeen(time(r), integer(r, "conn"), Direction.parse(string(r, "dir")), integer(r, "opcode"),
                integer(r, "fragments"), number(r, "wire_len").longValue(), number(r, "len").longValue(), bool(r, "compressed"),
                bytes(r), violations(r), bool(r, "injected"));
    }

    private Closed closed(Map<String, Object> r) {
        int conn = integer(r, "conn");
        extensions.remove(conn);
        messageOpcodes.keySet().removeIf(k -> k.startsWith(conn + ":"));
        Map<String, Object> stats = map(r, "stats");
        Map<String, Object> rtt = map(stats, "ping_rtt_ms");
        int count = integer(rtt, "count");
        RoundTrips pings = count == 0 ? RoundTrips.NONE
                : new RoundTrips(count, millis(rtt.get("min")), millis(rtt.get("avg")), millis(rtt.get("max")));
        Object code = r.get("code");
        Object answer = r.get("close_answer_ms");
        return new Closed(time(r), conn, (String) r.get("closed_by"), code == null ? -1 : ((Number) code).intValue(),
                string(r, "reason"), bool(r, "clean"), (String) r.get("error"), millis(r.get("duration_ms")),
                traffic(map(stats, "c2s")), traffic(map(stats, "s2c")), answer == null ? null : millis(answer), pings);
    }

    private static HttpSeen http(Map<String, Object> r) {
        return new HttpSeen(time(r), integer(r, "conn"), string(r, "client"), string(r, "method"), string(r, "url"),
                bool(r, "upgrade"), integer(r, "status"), string(r, "reason"), (String) r.get("error"));
    }

    private static Traffic traffic(Map<String, Object> t) {
        Object dropped = t.get("dropped");
        return new Traffic(number(t, "frames").longValue(), number(t, "messages").longValue(), number(t, "bytes").longValue(),
                dropped instanceof Number n ? n.longValue() : 0);
    }

    private static List<Violation> violations(Map<String, Object> r) {
        List<?> names = (List<?>) r.getOrDefault("violations", List.of());
        List<?> details = (List<?>) r.getOrDefault("violation_details", List.of());
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Violation.Rule rule = rule(String.valueOf(names.get(i)));
            if (rule == null) continue; // a rule from a newer writer
            String detail = i < details.size() ? String.valueOf(details.get(i)) : rule.id();
            String suffix = " (" + rule.section() + ")";
            out.add(new Violation(rule, detail.endsWith(suffix) ? detail.substring(0, detail.length() - suffix.length()) : detail));
        }
        return out;
    }

    private static Violation.Rule rule(String id) {
        for (Violation.Rule rule : Violation.Rule.values()) {
            if (rule.id().equals(id)) return rule;
        }
        return null;
    }

    private static Headers headers(Map<String, Object> m) {
        List<Header> out = new ArrayList<>();
        for (Object pair : (List<?>) m.getOrDefault("headers", List.of())) {
            List<?> p = (List<?>) pair;
            out.add(new Header(String.valueOf(p.get(0)), String.valueOf(p.get(1))));
        }
        return new Headers(out);
    }

    private static TlsInfo tls(Object o) {
        if (!(o instanceof Map<?, ?> m)) return null;
        return new TlsInfo((String) m.get("protocol"), (String) m.get("cipher"), (String) m.get("sni"), (String) m.get("alpn"),
                (String) m.get("subject"), (String) m.get("client_cert"));
    }

    private static byte[] bytes(Map<String, Object> r) {
        Object b64 = r.get("payload_b64");
        return b64 == null ? new byte[0] : Base64.getDecoder().decode((String) b64);
    }

    private static Instant time(Map<String, Object> r) {
        return Instant.parse(string(r, "ts"));
    }

    private static Duration millis(Object ms) {
        return Duration.ofNanos(Math.round(((Number) ms).doubleValue() * 1e6));
    }

    private static String string(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (!(v instanceof String s)) throw new IllegalArgumentException("\"" + field + "\" is missing or not a string");
        return s;
    }

    private static Number number(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("\"" + field + "\" is missing or not a number");
        return n;
    }

    private static int integer(Map<String, Object> r, String field) {
        return number(r, field).intValue();
    }

    private static boolean bool(Map<String, Object> r, String field) {
        return Boolean.TRUE.equals(r.get(field));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (!(v instanceof Map<?, ?>)) throw new IllegalArgumentException("\"" + field + "\" is missing or not an object");
        return (Map<String, Object>) v;
    }

    /** The object the parser stands at the start of, as maps, lists, strings, numbers, booleans and nulls. */
    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, value(p));
        }
        return out;
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) list.add(value(p));
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + p.currentToken());
        };
    }
}
