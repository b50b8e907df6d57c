package dev.wstap.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The filter language over the records of real sessions ({@link Corpus}: compressed and fragmented
 * messages, JSON, binary, pings, injected frames, a client that breaks rules, plain HTTP): each
 * expression with the records it must choose, by number ({@code Corpus.listing()} prints them;
 * "3-5" is 3, 4 and 5). Then what must hold for every expression of the table: {@code not} chooses
 * the rest, {@code or} the union, terms side by side the intersection, and the expression written
 * back ({@link Expr#text}) chooses the same records.
 */
class FilterCorpusTest {
    record Row(String expression, List<Integer> expected) {}

    private static Row row(String expression, String expected) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : expected.isBlank() ? new String[0] : expected.split(" ")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = Integer.parseInt(range[range.length - 1]);
            for (int i = from; i <= to; i++) numbers.add(i);
        }
        return new Row(expression, numbers);
    }

    static final List<Row> TABLE = List.of(
                row("dir:c2s", "3-4 7-8 11-12 15-18 21-22 25 30-31 37-38 41-42 45-46 49 55-61"),
                row("dir:s2c", "1-2 5-6 9-10 13-14 19-20 23-24 26-29 32 35-36 39-40 43-44 47-48 50 53-54 62"),
                row("-dir:c2s", "0-2 5-6 9-10 13-14 19-20 23-24 26-29 32-36 39-40 43-44 47-48 50-54 62-64"),
                row("dir:c2s,s2c", "1-32 35-50 53-62"),
                row("op:text", "1-15 18-20 27-28 35-48 53-58 60-61"),
                row("op:binary", "21-24"),
                row("op:cont", "16-17"),
                row("op:close", "31-32 49-50 62"),
                row("op:ping", "25 29"),
                row("op:pong", "26 30"),
                row("op:ping,pong", "25-26 29-30"),
                row("op:data", "1-24 27-28 35-48 53-58 60-61"),
                row("op:control", "25-26 29-32 49-50 62"),
                row("op:reserved", "59"),
                row("op:0x3", "59"),
                row("op:3", "59"),
                row("op:0x1", "1-15 18-20 27-28 35-48 53-58 60-61"),
                row("op:1,2", "1-15 18-24 27-28 35-48 53-58 60-61"),
                row("op:text dir:s2c", "1-2 5-6 9-10 13-14 19-20 27-28 35-36 39-40 43-44 47-48 53-54"),
                row("-op:text", "0 16-17 21-26 29-34 49-52 59 62-64"),
                row("not op:text", "0 16-17 21-26 29-34 49-52 59 62-64"),
                row("sess:1", "0-33"),
                row("sess:2", "34-51"),
                row("sess:3", "52-63"),
                row("sess:4", "64"),
                row("sess:1,3", "0-33 52-63"),
                row("sess:2..3", "34-63"),
                row("sess:9", ""),
                row("fin:0", "15-16"),
                row("fin:1", "1 3 5 7 9 11 13 17 19 21 23 25-27 29-32 35 37 39 41 43 45 47 49-50 53 55 57 59-60 62"),
                row("-fin:1", "0 2 4 6 8 10 12 14-16 18 20 22 24 28 33-34 36 38 40 42 44 46 48 51-52 54 56 58 61 63-64"),
                row("rsv1", "1 3 5 7 9 11 13 15 19 21 23"),
                row("rsv2", "60"),
                row("rsv3", ""),
                row("-rsv1", "0 2 4 6 8 10 12 14 16-18 20 22 24-64"),
                row("masked", "3 7 11 15-17 21 25 30-31 37 41 45 49 57 59-60"),
                row("-masked", "0-2 4-6 8-10 12-14 18-20 22-24 26-29 32-36 38-40 42-44 46-48 50-56 58 61-64"),
                row("masked dir:s2c", ""),
                row("len:5000", "41-44"),
                row("len:>4k", "41-44"),
                row("len:>=5000", "41-44"),
                row("len:<5", "57-59 62"),
                row("len:<=5", "31-32 57-59 62"),
                row("len:10..20", "11 13 15-16 18-20 25-28 37-40 49-50"),
                row("len:>1M", ""),
                row("len:0", ""),
                row("len:8 op:ping", "29"),
                row("body~/token-[0-9]+/", "18 20"),
                row("body~/TOKEN/", ""),
                row("body~/TOKEN/i", "18 20"),
                row("body~/^error:/", "37-40"),
                row("body~/disk full$/", "37-40"),
                row("body~/\"type\":\"(subscribe|unsubscribe)\"/", "4 6 45-48"),
                row("body~/x{5000}/", "41-44"),
                row("body~/x{5001}/", ""),
                row("body~/a\\/b/", ""),
                row("body~/bye/", "31-32"),
                row("body~/are you/", "25-26"),
                row("body:\"error: disk\"", "37-40"),
                row("body:error", "37-40"),
                row("body:\"injected hello\"", "27-28"),
                row("body:\"hello\"", "2 27-28 35-36 53-54"),
                row("body:\"trade\"", "8 10 12 14"),
                row("hex:\"de ad be ef\"", "22 24"),
                row("hex:deadbeef", "22 24"),
                row("hex:\"00 01\"", "22 24"),
                row("hex:\"ef 00\"", "22 24"),
                row("hex:\"ff\"", ""),
                row("json:/type==\"subscribe\"", "4 6"),
                row("json:/type==\"trade\"", "8 10 12 14"),
                row("json:/type!=\"trade\"", "4 6 45-48"),
                row("json:/price>100", "8 10"),
                row("json:/price>=99", "8 10 12 14"),
                row("json:/price<100", "12 14"),
                row("json:/price==99", "12 14"),
                row("json:/price==99.0", "12 14"),
                row("json:/user/id", "8 10 12 14"),
                row("json:/user/id==7", "8 10"),
                row("json:/user/name", ""),
                row("json:/channel==\"prices\" dir:c2s", "4 45-46"),
                row("json:/hello", "2 35-36 53-54"),
                row("json:/protocol==\"chat.v2\"", "2"),
                row("json:/type==\"subscribe\" or op:ping", "4 6 25 29"),
                row("json:/type==\"subscribe\" or json:/type==\"unsubscribe\"", "4 6 45-48"),
                row("viol", "55-61 64"),
                row("viol:client-frame-unmasked", "55-56"),
                row("viol:invalid-utf8", "57-58"),
                row("viol:reserved-opcode", "59"),
                row("viol:rsv-without-extension", "60-61"),
                row("viol:5.2", "59-61"),
                row("viol:5", "55-56 59-61"),
                row("viol:8.1", "57-58"),
                row("viol:5.5", ""),
                row("-viol", "0-54 62-63"),
                row("injected", "27-29"),
                row("forwarded", "1-26 30-32 35-50 53-62"),
                row("fate:injected,forwarded", "1-32 35-50 53-62"),
                row("dropped", ""),
                row("frame", "1 3 5 7 9 11 13 15-17 19 21 23 25-27 29-32 35 37 39 41 43 45 47 49-50 53 55 57 59-60 62"),
                row("msg", "2 4 6 8 10 12 14 18 20 22 24 28 36 38 40 42 44 46 48 54 56 58 61"),
                row("open", "0 34 52"),
                row("closed", "33 51 63"),
                row("http", "64"),
                row("frame dir:c2s op:text", "3 7 11 15 37 41 45 55 57 60"),
                row("msg dir:s2c", "2 6 10 14 20 24 28 36 40 44 48 54"),
                row("open or closed", "0 33-34 51-52 63"),
                row("url~/feed/", "0-33"),
                row("url~/prices$/", "0-33"),
                row("url~/^ws:/", "0-63"),
                row("url:\"/plain\"", "34-51"),
                row("url:\"/raw\" op:text", "53-58 60-61"),
                row("host:127.0.0.1", "0-64"),
                row("host:*.example.com", ""),
                row("host:127.*", "0-64"),
                row("sub:chat.v2", "0-33"),
                row("sub:chat.*", "0-33"),
                row("-sub:chat.v2", "34-64"),
                row("client:127.0.0.1", "0-64"),
                row("client:10.*", ""),
                row("close:1000", "31-33"),
                row("close:1001", "49-51"),
                row("close:1002", "62-63"),
                row("close:1000,1001", "31-33 49-51"),
                row("close:1006", ""),
                row("(sess:1 or sess:2) op:close", "31-32 49-50"),
                row("sess:1 (op:ping or op:pong)", "25-26 29-30"),
                row("not (op:text or op:binary or op:cont)", "0 25-26 29-34 49-52 59 62-64"),
                row("op:text and dir:s2c and sess:2", "35-36 39-40 43-44 47-48"),
                row("op:text or msg", "1-15 18-20 22 24 27-28 35-48 53-58 60-61"),
                row("-op:text -msg -open -closed", "16-17 21 23 25-26 29-32 49-50 59 62 64"),
                row("sess:3 (viol or closed)", "55-61 63"),
                row("(dir:c2s op:text) or (dir:s2c op:binary)", "3-4 7-8 11-12 15 18 23-24 37-38 41-42 45-46 55-58 60-61"),
                row("not not op:ping", "25 29"),
                row("-(sess:1 or sess:2 or sess:3)", "64")
    );

    @Test
    void everyExpressionChoosesItsRecords() {
        assertTrue(TABLE.size() >= 100, "the table has " + TABLE.size() + " expressions");
        List<Executable> checks = new ArrayList<>();
        for (Row r : TABLE) {
            checks.add(() -> assertEquals(r.expected(), Corpus.matches(EventFilter.of(r.expression())), r.expression()));
        }
        assertAll("the records, numbered:\n" + Corpus.listing(), checks);
    }

    @Test
    void notChoosesTheRestOrTheUnionAndSideBySideTheIntersection() {
        List<Executable> checks = new ArrayList<>();
        List<Integer> all = IntStream.range(0, Corpus.EVENTS.size()).boxed().toList();
        for (int i = 0; i < TABLE.size(); i++) {
            Row a = TABLE.get(i);
            Row b = TABLE.get((i * 7 + 3) % TABLE.size());
            checks.add(() -> {
                List<Integer> rest = all.stream().filter(n -> !a.expected().contains(n)).toList();
                assertEquals(rest, Corpus.matches(EventFilter.of("not (" + a.expression() + ")")), "not (" + a.expression() + ")");
                assertEquals(rest, Corpus.matches(EventFilter.of("-(" + a.expression() + ")")), "-(" + a.expression() + ")");
                List<Integer> union = all.stream().filter(n -> a.expected().contains(n) || b.expected().contains(n)).toList();
                assertEquals(union, Corpus.matches(EventFilter.of("(" + a.expression() + ") or (" + b.expression() + ")")),
                        a.expression() + " or " + b.expression());
                List<Integer> both = all.stream().filter(n -> a.expected().contains(n) && b.expected().contains(n)).toList();
                assertEquals(both, Corpus.matches(EventFilter.of("(" + a.expression() + ") (" + b.expression() + ")")),
                        a.expression() + " and " + b.expression());
            });
        }
        assertAll(checks);
    }

    @Test
    void anExpressionWrittenBackChoosesTheSameRecords() {
        List<Executable> checks = new ArrayList<>();
        for (Row r : TABLE) {
            checks.add(() -> {
                String text = FilterParser.parse(r.expression()).text();
                assertEquals(r.expected(), Corpus.matches(EventFilter.of(text)), r.expression() + " written back as " + text);
                assertEquals(text, FilterParser.parse(text).text(), "written back twice");
            });
        }
        assertAll(checks);
    }

    @Test
    void theShorthandOptionsChooseWhatTheirExpressionsChoose() {
        record Pair(Expr shorthand, String expression) {}
        List<Pair> pairs = List.of(
                new Pair(Shorthands.sessions(List.of(1, 3)), "sess:1,3"),
                new Pair(Shorthands.sessions(List.of(2)), "sess:2"),
                new Pair(Shorthands.direction(Direction.S2C), "dir:s2c"),
                new Pair(Shorthands.direction(Direction.C2S), "dir:c2s"),
                new Pair(Shorthands.opcodes(List.of("text", "ping")), "op:text,ping"),
                new Pair(Shorthands.opcodes(List.of("0x3")), "op:0x3"),
                new Pair(Shorthands.grep("error|token"), "body~/error|token/"),
                new Pair(Shorthands.grep("a/b|bye"), "body~/a\\/b|bye/"),
                new Pair(Shorthands.violationsOnly(true), "viol"));
        List<Executable> checks = new ArrayList<>();
        for (Pair p : pairs) {
            checks.add(() -> assertEquals(Corpus.matches(EventFilter.of(p.expression())), Corpus.matches(EventFilter.of(p.shorthand())),
                    p.expression()));
            checks.add(() -> assertEquals(FilterParser.parse(p.expression()).text(), p.shorthand().text(), p.expression()));
        }
        // view --session 1 --dir s2c --opcode text --grep token: the shorthands joined with and.
        Expr joined = EventFilter.allOf(java.util.Arrays.asList(Shorthands.sessions(List.of(1)), Shorthands.direction(Direction.S2C),
                Shorthands.opcodes(List.of("text")), Shorthands.grep("token")), null, null).expr();
        checks.add(() -> assertEquals(List.of(20), Corpus.matches(EventFilter.of(joined))));
        checks.add(() -> assertEquals("sess:1 dir:s2c op:text body~/token/", joined.text()));
        assertAll(checks);
    }

    @Test
    void theIssuesExamplesChooseExactlyTheMatchingFramesAndMessages() {
        List<TapEvent> tokens = Corpus.matches(EventFilter.of("dir:s2c op:text body~/token-[0-9]+/")).stream().map(Corpus.EVENTS::get).toList();
        assertEquals(1, tokens.size(), "the echo of the fragmented message, as a whole message (its frames are compressed)");
        assertEquals("token-12345 end", Payloads.text(tokens.get(0)));
        assertEquals(List.of(4, 6, 25, 29), Corpus.matches(EventFilter.of("json:/type==\"subscribe\" or op:ping")));
    }
}
