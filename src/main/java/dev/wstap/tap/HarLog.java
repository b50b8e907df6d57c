package dev.wstap.tap;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes WebSocket sessions as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the way
 * Chrome's DevTools export them: one entry per session with its upgrade request (its URL as the
 * client asked for it; the upstream's in {@code _wstapUpstream}) and {@code 101}
 * response, and its data messages in {@code _webSocketMessages} ({@code type} send or receive,
 * {@code time} in seconds since the epoch, {@code opcode}, {@code data}: text as it is, binary in
 * base64). The messages are the session's {@link MessageSeen} events, whole: fragments joined,
 * compressed ones inflated. Control frames and reserved opcodes are not messages and are left
 * out, as Chrome does.
 *
 * <p>An entry is written when its session closes (sessions still open are written at the end),
 * so a HAR holds only finished entries until {@link #close} completes the document. Memory is
 * bounded: each message keeps at most {@link #MAX_MESSAGE_BYTES}, and each session at most
 * {@link #MAX_MESSAGES} messages; what is left out is counted in {@code _wstapLeftOut}.
 */
public final class HarLog implements TapSink {
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final int MAX_MESSAGES = 10_000;
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What is kept of one session until it closes. */
    private static final class Session {
        final Opened opened;
        final List<Message> messages = new ArrayList<>();
        /** When the last frame that ended a message crossed, each way, forwarded and injected apart. */
        final Map<Way, Instant> lastMessageEnd = new HashMap<>();
        long leftOut;
        Instant last;

        Session(Opened opened) {
            this.opened = opened;
            this.last = opened.time();
        }
    }

    /** A direction, and whether wstap injected: each has its frames and messages in order. */
    private record Way(Direction dir, boolean isInjected) {}

    private record Message(Direction dir, Instant time, int opcode, byte[] data) {}

    static final String REDACTED_COMMENT = "redacted by wstap --redact: credentials in headers and token-like query "
            + "parameters read ***; messages are as they were";

    private final JsonGenerator json;
    private final Map<Integer, Session> open = new LinkedHashMap<>();
    private boolean isClosed;

    public HarLog(OutputStream out, String version) {
        this(out, version, false);
    }

    /** {@code isRedacted}: the events come redacted ({@code --redact}), which the log's {@code comment} says. */
    public HarLog(OutputStream out, String version, boolean isRedacted) {
        try {
            json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeObjectFieldStart("log");
            json.writeStringField("version", "1.2");
            json.writeObjectFieldStart("creator");
            json.writeStringField("name", "wstap");
            json.writeStringField("version", version);
            json.writeEndObject();
            if (isRedacted) json.writeStringField("comment", REDACTED_COMMENT);
            json.writeArrayFieldStart("pages");
            json.writeEndArray();
            json.writeArrayFieldStart("entries");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HAR: " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(TapEvent event) {
        switch (event) {
            case Opened o -> open.put(o.conn(), new Session(o));
            case FrameSeen f -> frame(f);
            case MessageSeen m -> message(m);
            case Closed c -> {
                Session s = open.remove(c.conn());
                if (s != null) write(s, c.time());
            }
            case HttpSeen h -> { }
        }
    }

    /** Leaves the open session {@code conn} out of the HAR (none of its records was chosen). */
    public void forget(int conn) {
        open.remove(conn);
    }

    private void frame(FrameSeen f) {
        Session s = open.get(f.conn());
        if (s == null || f.isDropped()) return; // a HAR holds what crossed
        s.last = f.time();
        if (f.frame().endsMessage()) s.lastMessageEnd.put(new Way(f.dir(), f.isInjected()), f.time());
    }

    private void message(MessageSeen m) {
        Session s = open.get(m.conn());
        if (s == null) return;
        // A message that is its frame comes right after it and has the frame's time, as a log read
        // back gives it; the others have a time of their own in the log.
        Instant time = m.isSameAsFrame() ? s.lastMessageEnd.getOrDefault(new Way(m.dir(), m.isInjected()), m.time()) : m.time();
        s.last = time;
        if (s.messages.size() >= MAX_MESSAGES) {
            s.leftOut++;
            return;
        }
        byte[] data = m.preview();
        s.messages.add(new Message(m.dir(), time, m.opcode(), data.length > MAX_MESSAGE_BYTES ? Arrays.copyOf(data, MAX_MESSAGE_BYTES) : data));
    }

    private void write(Session s, Instant end) {
        Opened o = s.opened;
        try {
            json.writeStartObject();
            json.writeStringField("startedDateTime", ISO_MILLIS.format(o.time()));
            // Times to the microsecond, as the log keeps them: a HAR made from the log is the same.
            Duration time = Duration.between(o.time().truncatedTo(ChronoUnit.MICROS), end.truncatedTo(ChronoUnit.MICROS));
            json.writeNumberField("time", time.toNanos() / 1e6);
            json.writeObjectFieldStart("request");
            json.writeStringField("method", o.request().method());
            json.writeStringField("url", clientUrl(o));
            json.writeStringField("httpVersion", o.request().version());
            json.writeArrayFieldStart("cookies");
            json.writeEndArray();
            headers(o.request().headers());
            queryString(clientUrl(o));
            json.writeNumberField("headersSize", -1);
            json.writeNumberField("bodySize", 0);
            json.writeEndObject();
            json.writeObjectFieldStart("response");
            json.writeNumberField("status", o.response().status());
            json.writeStringField("statusText", o.response().reason());
            json.writeStringField("httpVersion", o.response().version());
            json.writeArrayFieldStart("cookies");
            json.writeEndArray();
            headers(o.response().headers());
            json.writeObjectFieldStart("content");
            json.writeNumberField("size", 0);
            json.writeStringField("mimeType", "x-unknown");
            json.writeEndObject();
            json.writeStringField("redirectURL", "");
            json.writeNumberField("headersSize", -1);
            json.writeNumberField("bodySize", 0);
            json.writeEndObject();
            json.writeObjectFieldStart("cache");
            json.writeEndObject();
            json.writeObjectFieldStart("timings");
            json.writeNumberField("send", 0);
            json.writeNumberField("wait", 0);
            json.writeNumberField("receive", 0);
            json.writeEndObject();
            json.writeStringField("_resourceType", "websocket");
            json.writeStringField("_wstapUpstream", o.url());
            json.writeArrayFieldStart("_webSocketMessages");
            for (Message m : s.messages) {
                json.writeStartObject();
                json.writeStringField("type", m.dir() == Direction.C2S ? "send" : "receive");
                json.writeNumberField("time", m.time().getEpochSecond() + m.time().getNano() / 1000 / 1e6);
                json.writeNumberField("opcode", m.opcode());
                json.writeStringField("data", m.opcode() == Opcode.TEXT ? new String(m.data(), StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(m.data()));
                json.writeEndObject();
            }
            json.writeEndArray();
            if (s.leftOut > 0) json.writeNumberField("_wstapLeftOut", s.leftOut);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HAR: " + e.getMessage(), e);
        }
    }

    /** The URL as the client asked for it (its Host and target), as a browser's HAR has it; the upstream's goes in _wstapUpstream. */
    private static String clientUrl(Opened o) {
        String host = o.request().headers().get("Host");
        String target = o.request().target();
        if (host == null || !target.startsWith("/")) return o.url();
        return (o.clientTls() != null ? "wss://" : "ws://") + host + target;
    }

    private void headers(Headers headers) throws IOException {
        json.writeArrayFieldStart("headers");
        for (Header h : headers.list()) {
            json.writeStartObject();
            json.writeStringField("name", h.name());
            json.writeStringField("value", h.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void queryString(String url) throws IOException {
        json.writeArrayFieldStart("queryString");
        String query;
        try {
            query = URI.create(url).getRawQuery();
        } catch (IllegalArgumentException e) {
            query = null;
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                json.writeStartObject();
                json.writeStringField("name", URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
                json.writeStringField("value", eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                json.writeEndObject();
            }
        }
        json.writeEndArray();
    }

    @Override
    public void flush() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HAR: " + e.getMessage(), e);
        }
    }

    /** Writes the sessions still open, as far as they went, and completes the document. */
    @Override
    public void close() {
        if (isClosed) return;
        isClosed = true;
        try {
            for (Session s : open.values()) write(s, s.last);
            open.clear();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
            json.close();
        } catch (IOException e) {
            System.err.println("wstap: cannot finish the HAR: " + e.getMessage());
        }
    }
}
