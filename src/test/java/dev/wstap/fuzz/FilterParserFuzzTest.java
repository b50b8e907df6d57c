package dev.wstap.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wstap.filter.EventFilter;
import dev.wstap.filter.Expr;
import dev.wstap.filter.FilterParser;
import dev.wstap.filter.FilterSyntaxException;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.ParsedFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzzes the filter language: any text a user may type after {@code --filter}. For every input:
 *
 * <ul>
 *   <li>it is read, or refused with {@link FilterSyntaxException} naming a column inside it (or
 *       just past its end); no other exception escapes;
 *   <li>a read expression written back ({@link Expr#text}) reads again to the same text, and
 *       chooses the same of a few frames and messages;
 *   <li>testing events never throws, whatever the payloads.
 * </ul>
 */
class FilterParserFuzzTest {
    private static final List<TapEvent> EVENTS = events();

    private static List<TapEvent> events() {
        List<ParsedFrame> frames = new ArrayList<>();
        byte[] bytes = HexFormat.of().parseHex("8111" + HexFormat.of().formatHex("{\"type\":\"a\",\"n\":5}".getBytes())
                + "820400010203" + "890470696e67" + "8803" + "03e8" + "62" + "0103616263" + "8003646566");
        new FrameParser(Direction.S2C, 64, frames::add).feed(bytes, 0, bytes.length);
        List<TapEvent> events = new ArrayList<>();
        Instant t = Instant.EPOCH;
        for (ParsedFrame f : frames) {
            FrameSeen seen = new FrameSeen(t, 1, Direction.S2C, f, false);
            events.add(seen);
            if (f.isWholeMessage()) events.add(MessageSeen.ofFrame(seen));
        }
        return events;
    }

    @DictionaryEntries({"dir:", "op:", "sess:", "fin:", "len:", "body~/", "body:\"", "hex:\"", "json:/", "viol", "fate:", "url~/",
            "host:", "sub:", "client:", "close:", " or ", " and ", "not ", "-", "(", ")", "==", "!=", ">=", "..", ",", "text", "ping"})
    @FuzzTest
    void anyExpression(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Expr expr;
        try {
            expr = FilterParser.parse(text);
        } catch (FilterSyntaxException e) {
            assertTrue(e.column() >= 0 && e.column() <= text.length(), "column " + e.column() + " of '" + text + "'");
            assertTrue(!e.problem().isBlank() && e.pointing().contains("^"));
            return;
        }
        if (expr == null) {
            assertTrue(text.isBlank(), "only a blank expression is everything: '" + text + "'");
            return;
        }
        String written = expr.text();
        Expr again = FilterParser.parse(written);
        assertEquals(written, again.text(), "'" + text + "' written back");
        EventFilter first = EventFilter.of(expr);
        EventFilter second = EventFilter.of(again);
        for (TapEvent e : EVENTS) assertEquals(first.test(e), second.test(e), "'" + text + "' and '" + written + "' on " + e);
    }
}
