package dev.wstap.filter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** How expressions are read: precedence, what each term is written back as, and every mistake with its caret. */
class FilterParserTest {

    @Test
    void orBindsLooserThanTermsSideBySideAndNotBindsTightest() {
        assertEquals("any of:", Explain.lines(FilterParser.parse("dir:c2s op:text or op:ping")).get(1).strip());
        assertEquals("dir:c2s op:text or op:ping", FilterParser.parse("dir:c2s  op:text OR op:ping").text());
        assertEquals("dir:c2s (op:text or op:ping)", FilterParser.parse("dir:c2s and (op:text or op:ping)").text());
        assertEquals("-op:ping dir:c2s", FilterParser.parse("not op:ping dir:c2s").text());
        assertEquals("not (op:ping dir:c2s)", FilterParser.parse("-(op:ping dir:c2s)").text());
        assertEquals("op:ping", FilterParser.parse("((op:ping))").text());
        assertNull(FilterParser.parse("   "));
    }

    @Test
    void valuesAreWrittenBackAsTheLanguageWritesThem() {
        String[][] cases = {
            {"OP:Text,PING", "op:text,ping"},
            {"op:continuation", "op:cont"},
            {"sess:1,4..6", "sess:1,4..6"},
            {"len:>4k", "len:>4k"},
            {"body~/a\\/b(c)/i", "body~/a\\/b(c)/i"},
            {"body:\"say \\\"hi\\\"\"", "body:\"say \\\"hi\\\"\""},
            {"body:plain", "body:\"plain\""},
            {"hex:DEADBEEF", "hex:\"de ad be ef\""},
            {"json:/a/b==\"x y\"", "json:/a/b==\"x y\""},
            {"json:/n>=-1.5e3", "json:/n>=-1.5e3"},
            {"json:/ok==true", "json:/ok==true"},
            {"viol:INVALID-UTF8", "viol:invalid-utf8"},
            {"fate:held,dropped", "fate:held,dropped"},
            {"after-close", "after-close"},
            {"url~/chat/", "url~/chat/"},
            {"host:*.Example.com", "host:*.Example.com"},
            {"sub:\"de ad\"", "sub:\"de ad\""},
            {"close:1000,1006", "close:1000,1006"},
            {"dir:s2c,c2s", "dir:c2s,s2c"},
        };
        List<Executable> checks = new ArrayList<>();
        for (String[] c : cases) checks.add(() -> assertEquals(c[1], FilterParser.parse(c[0]).text(), c[0]));
        assertAll(checks);
    }

    /** Each mistake: the expression with a caret under the column it marks ({@code ^}), and words of the problem. */
    @Test
    void everyMistakeIsMarkedWhereItIsWithWhatWasExpected() {
        String[][] cases = {
            {"op:txt", "   ^", "expected an opcode"},
            {"op:text,pingg", "        ^", "not 'pingg'"},
            {"dir:up", "    ^", "dir takes c2s"},
            {"dri:c2s", "^", "did you mean dir:?"},
            {"hello", "^", "to find text, write body:\"hello\""},
            {"droped", "^", "did you mean dropped?"},
            {"injectd", "^", "did you mean injected?"},
            {"op:text and", "           ^", "expected a term after 'and'"},
            {"and op:text", "^", "expected a term before 'and'"},
            {"op:text or", "          ^", "expected a term after 'or'"},
            {"(op:text", "        ^", "expected ')' to close the '(' at column 1"},
            {"op:text)", "       ^", "this ')' closes nothing"},
            {"()", " ^", "expected a term inside '()'"},
            {"-", " ^", "expected a term after '-'"},
            {"not", "   ^", "expected a term after 'not'"},
            {"body~/(unclosed/", "               ^", "bad regex: Unclosed group"},
            {"body~/a\\/b{9,1}/", "              ^", "bad regex: Illegal repetition range"},
            {"body~/abc", "     ^", "this regex is never closed"},
            {"body~/abc/q", "          ^", "unknown regex flag 'q'"},
            {"body~abc", "     ^", "expected a regex between slashes"},
            {"body:\"abc", "     ^", "this quote is never closed"},
            {"len:>lots", "    ^", "expected a length"},
            {"len:9..3", "    ^", "the range 9..3 is empty"},
            {"sess:x", "     ^", "expected a session number"},
            {"sess:5..2", "     ^", "the range 5..2 is empty"},
            {"fin:2", "    ^", "fin takes 0 or 1"},
            {"hex:abc", "    ^", "pairs of hex digits"},
            {"json:type", "     ^", "JSON Pointer starting with '/'"},
            {"json:/a==subscribe", "         ^", "expected a JSON value"},
            {"json:/a>true", "        ^", "> compares numbers or strings"},
            {"json:/a=1", "       ^", "expected ==, !=, <, <=, > or >="},
            {"viol:bogus", "     ^", "expected a rule"},
            {"fate:lost", "     ^", "expected a fate"},
            {"close:abc", "      ^", "expected a close code"},
            {"masked:1", "^", "masked takes no value"},
            {"dir", "   ^", "dir needs a value"},
            {"op~/x/", "  ^", "op takes no regex"},
            {"op:text op:ping )", "                ^", "this ')' closes nothing"},
            {"op:text $", "        ^", "expected a term such as"},
        };
        List<Executable> checks = new ArrayList<>();
        for (String[] c : cases) {
            checks.add(() -> {
                FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parse(c[0]), c[0]);
                assertEquals(c[1].length() - 1, e.column(), c[0] + ": " + e.pointing());
                assertTrue(e.problem().contains(c[2]), c[0] + ": " + e.problem());
                assertEquals(e.problem() + "\n  " + c[0] + "\n  " + c[1], e.pointing());
            });
        }
        assertAll(checks);
    }

    @Test
    void directionsAreReadFromTheDirTermsThatMustHold() {
        var c2s = java.util.EnumSet.of(dev.wstap.wire.Direction.C2S);
        var both = java.util.EnumSet.allOf(dev.wstap.wire.Direction.class);
        assertEquals(c2s, Expr.directions(FilterParser.parse("dir:c2s body~/x/")));
        assertEquals(both, Expr.directions(FilterParser.parse("body~/x/")));
        assertEquals(both, Expr.directions(FilterParser.parse("dir:c2s or op:ping")));
        assertEquals(both, Expr.directions(FilterParser.parse("not dir:c2s")), "not is read as anything");
        assertEquals(java.util.EnumSet.noneOf(dev.wstap.wire.Direction.class), Expr.directions(FilterParser.parse("dir:c2s dir:s2c")));
    }

    @Test
    void ruleMatchesTheFramesARuleHitByName() {
        var frame = new dev.wstap.wire.ParsedFrame(new dev.wstap.wire.FrameHeader(true, 0, 1, false, 0, 2,
                dev.wstap.wire.LengthEncoding.BITS_7), "hi".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false, List.of());
        var hit = new dev.wstap.tap.FrameSeen(java.time.Instant.now(), 1, dev.wstap.wire.Direction.S2C, frame,
                dev.wstap.tap.Fate.DROPPED, null, "rule \"slow server\": delay 200 ms; rule #2: drop");
        var plain = new dev.wstap.tap.FrameSeen(java.time.Instant.now(), 1, dev.wstap.wire.Direction.S2C, frame,
                dev.wstap.tap.Fate.FORWARDED, null, null);
        assertTrue(FilterParser.parse("rule:\"slow server\"").matches(hit, null));
        assertTrue(FilterParser.parse("rule:slow*").matches(hit, null));
        assertTrue(FilterParser.parse("rule:#2").matches(hit, null));
        assertTrue(!FilterParser.parse("rule:fast*").matches(hit, null));
        assertTrue(!FilterParser.parse("rule:*").matches(plain, null));
        assertEquals("rule:\"slow server\"", FilterParser.parse("rule:\"slow server\"").text());
    }
}
