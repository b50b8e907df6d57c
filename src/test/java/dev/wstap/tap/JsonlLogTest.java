package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wstap.testing.Json;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A frame record's {@code text} is written straight from the payload's UTF-8 bytes: it must read
 * back as the same string {@link ParsedFrame#text()} gives, escapes and all.
 */
class JsonlLogTest {
    private static final Instant T = Instant.parse("2026-12-07T01:02:03.456789Z");

    private static Map<String, Object> record(String hex, int maxPreview) throws Exception {
        List<ParsedFrame> frames = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        new FrameParser(Direction.S2C, maxPreview, frames::add).feed(bytes, 0, bytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        log.accept(new FrameSeen(T, 1, Direction.S2C, frames.get(0), Fate.FORWARDED, null, null));
        log.close();
        Map<String, Object> r = Json.object(out.toString(StandardCharsets.UTF_8).trim());
        assertEquals(frames.get(0).text(), r.get("text"), "text as ParsedFrame reads it");
        return r;
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() throws Exception {
        // FIN text: a "q" \ then a tab, a newline and U+0001
        Map<String, Object> r = record("81 0b 61 20 22 71 22 20 5c 09 0a 01 7a", 1024);
        assertEquals("a \"q\" \\\t\n\u0001z", r.get("text"));
    }

    @Test
    void multiByteCharactersAreKeptAsTheyAre() throws Exception {
        // FIN text "é€😀": 2-, 3- and 4-byte sequences
        assertEquals("é€😀", record("81 09 c3 a9 e2 82 ac f0 9f 98 80", 1024).get("text"));
    }

    @Test
    void aCharacterCutByThePreviewLimitIsLeftOut() throws Exception {
        // FIN text "ab€", the preview cut after 3 bytes: inside the euro sign
        Map<String, Object> r = record("81 05 61 62 e2 82 ac", 3);
        assertEquals("ab", r.get("text"));
        assertEquals(true, r.get("truncated"));
    }

    @Test
    void timestampsAreMicrosecondsInUtcWithinAndAcrossSeconds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        List<Instant> times = List.of(Instant.parse("2026-12-07T23:59:59.000001Z"), Instant.parse("2026-12-07T23:59:59.999999Z"),
                Instant.parse("2026-12-08T00:00:00Z"), Instant.parse("2026-12-08T00:00:00.0305Z"), Instant.parse("1999-01-02T03:04:05.6Z"));
        for (Instant t : times) log.accept(new Closed(t, 1, null, -1, "", false, null, java.time.Duration.ZERO,
                new Traffic(0, 0, 0), new Traffic(0, 0, 0), null, RoundTrips.NONE));
        log.close();
        List<String> stamps = out.toString(StandardCharsets.UTF_8).lines().map(l -> (String) Json.object(l).get("ts")).toList();
        assertEquals(List.of("2026-12-07T23:59:59.000001Z", "2026-12-07T23:59:59.999999Z", "2026-12-08T00:00:00.000000Z",
                "2026-12-08T00:00:00.030500Z", "1999-01-02T03:04:05.600000Z"), stamps);
    }

    @Test
    void invalidUtf8HasNoTextField() throws Exception {
        // FIN text with a lone continuation byte
        assertFalse(record("81 03 61 80 62", 1024).containsKey("text"));
    }
}
