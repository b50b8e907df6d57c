package dev.wstap.tap;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.tls.TlsInfo;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Writes tap events as JSON Lines, schema v1 (docs/log-format.md): one object a line, each with
 * {@code "v":1} and a {@code type}. Runs on its {@link AsyncSink} thread; buffered, flushed at
 * least every 200 ms and at close, so after a clean exit every line parses. A message that is the
 * same as its single frame has no record: the frame's record says it all, and a {@link LogReader}
 * makes its event again from it.
 */
public final class JsonlLog implements TapSink {
    public static final int SCHEMA_VERSION = 1;
    /** What the log writes: sessions, frames, and the messages that differ from their frame. */
    public static final Set<Interest> INTERESTS = Set.of(Interest.SESSIONS, Interest.FRAMES, Interest.MESSAGES_UNLIKE_FRAMES);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonGenerator json;
    private final boolean isRedacted;

    public JsonlLog(OutputStream out) {
        this(out, false);
    }

    /** {@code isRedacted}: the events come redacted ({@code --redact}), which {@code open} and {@code http} records say. */
    public JsonlLog(OutputStream out, boolean isRedacted) {
        this.isRedacted = isRedacted;
        try {
            this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null);
    }

    public static String timestamp(Instant time) {
        return TIMESTAMP.format(time);
    }

    /** The second the last timestamp fell in, and its text up to the dot: most records share it. */
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] stamp = new byte[27]; // 2026-12-07T01:02:03.456789Z

    /** {@link #timestamp} as UTF-8, formatted only when the second changes: the rest is six digits. */
    private void writeTimestamp(Instant time) throws IOException {
        if (time.getEpochSecond() != cachedSecond) {
            cachedSecond = time.getEpochSecond();
            byte[] full = TIMESTAMP.format(time).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(full, 0, stamp, 0, 20);
            stamp[26] = 'Z';
        }
        int micros = time.getNano() / 1000;
        for (int i = 25; i >= 20; i--) {
            stamp[i] = (byte) ('0' + micros % 10);
            micros /= 10;
        }
        json.writeFieldName("ts");
        json.writeRawUTF8String(stamp, 0, stamp.length);
    }

    @Override
    public void accept(TapEvent event) {
        if (event instanceof MessageSeen m && m.isSameAsFrame()) return;
        try {
            json.writeStartObject();
            json.writeNumberField("v", SCHEMA_VERSION);
            switch (event) {
                case Opened e -> writeOpened(e);
                case FrameSeen e -> writeFrame(e);
                case MessageSeen e -> writeMessage(e);
                case Closed e -> writeClosed(e);
                case HttpSeen e -> writeHttp(e);
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log: " + e.getMessage(), e);
        }
    }

    private void start(String type, TapEvent e) throws IOException {
        json.writeStringField("type", type);
        writeTimestamp(e.time());
        json.writeNumberField("conn", e.conn());
    }

    private void writeOpened(Opened e) throws IOException {
        start("open", e);
        if (isRedacted) json.writeBooleanField("redacted", true);
        json.writeStringField("client", e.client());
        json.writeStringField("url", e.url());
        json.writeObjectFieldStart("request");
        json.writeStringField("method", e.request().method());
        json.writeStringField("target", e.request().target());
        writeHeaders(e.request().headers());
        json.writeEndObject();
        json.writeObjectFieldStart("response");
        json.writeNumberField("status", e.response().status());
        json.writeStringField("reason", e.response().reason());
        writeHeaders(e.response().headers());
        json.writeEndObject();
        json.writeStringField("subprotocol", e.subprotocol());
        json.writeStringField("extensions", e.extensions());
        if (e.clientTls() != null || e.upstreamTls() != null) {
            json.writeObjectFieldStart("tls");
            writeTls("client", e.clientTls());
            writeTls("upstream", e.upstreamTls());
            json.writeEndObject();
        }
    }

    private void writeTls(String side, TlsInfo tls) throws IOException {
        if (tls == null) {
            json.writeNullField(side);
            return;
        }
        json.writeObjectFieldStart(side);
        json.writeStringField("protocol", tls.protocol());
        json.writeStringField("cipher", tls.cipher());
        json.writeStringField("sni", tls.sni());
        json.writeStringField("alpn", tls.alpn());
        if (side.equals("upstream")) json.writeStringField("subject", tls.peerSubject());
        // Additive: only when the server asked for a client certificate ("" when wstap had none for it).
        if (tls.clientCertificate() != null) json.writeStringField("client_cert", tls.clientCertificate());
        json.writeEndObject();
    }

    private void writeHeaders(Headers headers) throws IOException {
        json.writeArrayFieldStart("headers");
        for (Header h : headers.list()) {
            json.writeStartArray();
            json.writeString(h.name());
            json.writeString(h.value());
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private void writeFrame(FrameSeen e) throws IOException {
        start("frame", e);
        ParsedFrame f = e.frame();
        json.writeStringField("dir", e.dir().label());
        json.writeBooleanField("fin", f.header().isFinal());
        json.writeNumberField("rsv", f.header().rsv());
        json.writeNumberField("opcode", f.header().opcode());
        json.writeBooleanField("masked", f.header().isMasked());
        json.writeStringField("mask", f.header().maskHex());
        if (f.header().payloadLength() >= 0) {
            json.writeNumberField("len", f.header().payloadLength());
        } else {
            json.writeFieldName("len");
            json.writeNumber(new java.math.BigInteger(f.header().lengthText()));
        }
        // The form the sender wrote the length in, when it was not the shortest: what a replay must write again.
        if (f.header().lengthEncoding() != dev.wstap.wire.LengthEncoding.minimalFor(f.header().payloadLength())) {
            json.writeNumberField("len_enc", switch (f.header().lengthEncoding()) {
                case BITS_7 -> 7;
                case BITS_16 -> 16;
                case BITS_64 -> 64;
            });
        }
        json.writeBinaryField("payload_b64", f.preview());
        json.writeBooleanField("truncated", f.isTruncated());
        int textLength = f.textLength();
        if (textLength >= 0) {
            // Straight from the payload's UTF-8: no String is made, only escaping is added.
            json.writeFieldName("text");
            json.writeUTF8String(f.preview(), 0, textLength);
        }
        json.writeBooleanField("injected", e.isInjected());
        json.writeStringField("fate", e.fate().label());
        if (e.isDropped()) json.writeBooleanField("dropped", true);
        if (e.note() != null) json.writeStringField("note", e.note());
        String rule = RuleHits.firstRule(e.note());
        if (rule != null) json.writeStringField("rule", rule);
        writeViolations(f.violations());
        if (e.roundTrip() != null) json.writeNumberField("rtt_ms", millis(e.roundTrip()));
    }

    private static double millis(java.time.Duration d) {
        return d.toNanos() / 1e6;
    }

    private void writeMessage(MessageSeen e) throws IOException {
        start("message", e);
        json.writeStringField("dir", e.dir().label());
        json.writeNumberField("opcode", e.opcode());
        json.writeNumberField("fragments", e.fragments());
        json.writeBooleanField("compressed", e.isCompressed());
        json.writeNumberField("wire_len", e.wireLength());
        json.writeNumberField("len", e.length());
        json.writeBinaryField("payload_b64", e.preview());
        json.writeBooleanField("truncated", e.isTruncated());
        String text = e.text();
        if (text != null) json.writeStringField("text", text);
        json.writeBooleanField("injected", e.isInjected());
        writeViolations(e.violations());
    }

    private void writeViolations(java.util.List<Violation> violations) throws IOException {
        json.writeArrayFieldStart("violations");
        for (Violation v : violations) json.writeString(v.rule().id());
        json.writeEndArray();
        if (!violations.isEmpty()) {
            json.writeArrayFieldStart("violation_details");
            for (Violation v : violations) json.writeString(v.message());
            json.writeEndArray();
        }
    }

    private void writeClosed(Closed e) throws IOException {
        start("close", e);
        if (e.code() >= 0) json.writeNumberField("code", e.code());
        else json.writeNullField("code");
        json.writeStringField("reason", e.reason());
        json.writeStringField("closed_by", e.closedBy());
        json.writeBooleanField("clean", e.isClean());
        json.writeStringField("error", e.error());
        json.writeNumberField("duration_ms", millis(e.duration()));
        if (e.closeAnswer() != null) json.writeNumberField("close_answer_ms", millis(e.closeAnswer()));
        else json.writeNullField("close_answer_ms");
        json.writeObjectFieldStart("stats");
        writeTraffic("c2s", e.c2s());
        writeTraffic("s2c", e.s2c());
        RoundTrips pings = e.pings();
        json.writeObjectFieldStart("ping_rtt_ms");
        json.writeNumberField("count", pings.count());
        if (pings.count() > 0) {
            json.writeNumberField("min", millis(pings.min()));
            json.writeNumberField("avg", millis(pings.avg()));
            json.writeNumberField("max", millis(pings.max()));
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeTraffic(String name, Traffic t) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("frames", t.frames());
        json.writeNumberField("messages", t.messages());
        json.writeNumberField("bytes", t.bytes());
        if (t.dropped() > 0) json.writeNumberField("dropped", t.dropped());
        json.writeEndObject();
    }

    private void writeHttp(HttpSeen e) throws IOException {
        start("http", e);
        if (isRedacted) json.writeBooleanField("redacted", true);
        json.writeStringField("client", e.client());
        json.writeStringField("method", e.method());
        json.writeStringField("url", e.url());
        json.writeBooleanField("upgrade", e.isUpgrade());
        json.writeNumberField("status", e.status());
        json.writeStringField("reason", e.reason());
        json.writeStringField("error", e.error());
    }

    @Override
    public void flush() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            json.close();
        } catch (IOException e) {
            System.err.println("wstap: cannot finish the log: " + e.getMessage());
        }
    }
}
