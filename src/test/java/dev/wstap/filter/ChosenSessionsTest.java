package dev.wstap.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.tap.HarLog;
import dev.wstap.view.ChosenSessions;
import dev.wstap.view.SessionSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code view --stats} and {@code view --to-har} under a filter, over the corpus of real sessions. */
class ChosenSessionsTest {
    private static List<String> statsRows(String expression) {
        SessionSummary summary = new SessionSummary(ZoneOffset.UTC);
        ChosenSessions chosen = new ChosenSessions(EventFilter.of(expression), ChosenSessions.Sink.of(summary::add, summary::forget));
        Corpus.EVENTS.forEach(chosen);
        chosen.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().skip(1).toList();
    }

    @Test
    void statsListTheChosenSessionsWithHowTheyEndedCountingTheChosenFrames() {
        List<String> pings = statsRows("op:ping");
        assertEquals(1, pings.size(), String.join("\n", pings));
        // c2s: the client's ping (6 + 13 bytes on the wire); s2c: wstap's injected one (2 + 8); no messages.
        assertTrue(pings.get(0).matches("#1 .* +1 +19 +1 +10 +0 +1 +0  1000 Normal Closure by client · ws://127.0.0.1:19371/feed\\?room=prices"),
                pings.get(0));
        List<String> violations = statsRows("viol");
        assertEquals(1, violations.size(), "the HTTP record is no session: " + violations);
        assertTrue(violations.get(0).contains("1002 Protocol Error by server") && violations.get(0).endsWith("/raw"), violations.get(0));
        assertEquals(3, statsRows("").size(), "no filter: every session");
        assertEquals(List.of("no sessions"), statsRows("sess:9"));
    }

    @Test
    void aHarHoldsTheChosenSessionsAndTheirChosenMessages() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HarLog har = new HarLog(out, "test");
        ChosenSessions chosen = new ChosenSessions(EventFilter.of("url~/plain/ dir:c2s"), ChosenSessions.Sink.of(har::accept, har::forget));
        Corpus.EVENTS.forEach(chosen);
        chosen.finish();
        har.close();
        List<String> urls = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(out.toByteArray())) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("url")) urls.add(p.nextTextValue());
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("type")) types.add(p.nextTextValue());
            }
        }
        assertEquals(List.of("ws://127.0.0.1:19372/plain"), urls, "the URL the client asked for, as browsers export it");
        assertEquals(List.of("send", "send", "send"), types, "the client's three messages, none of the server's");
    }
}
