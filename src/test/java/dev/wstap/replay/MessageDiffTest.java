package dev.wstap.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Differences as a person reads them: JSON paths, text lines, bytes; and captures as the option gives them. */
class MessageDiffTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> diff(String recorded, String live, String... ignored) {
        return MessageDiff.of(utf8(recorded), true, recorded.length(), utf8(live), true,
                java.util.Arrays.stream(ignored).map(JsonPointer::compile).toList());
    }

    @Test
    void jsonIsComparedByValuePathByPath() {
        assertEquals(List.of(), diff("{\"a\":1.0,\"b\":[1,2]}", "{ \"b\" : [1, 2], \"a\" : 1.00 }"), "order, spacing and 1.0 = 1.00");
        assertEquals(List.of("/a: recorded 1, live 2", "/b/2: only live, 3", "/c: only in the recording, \"x\"", "/d: only live, {\"e\":true}"),
                diff("{\"a\":1,\"b\":[1,2],\"c\":\"x\"}", "{\"a\":2,\"b\":[1,2,3],\"d\":{\"e\":true}}"));
        assertEquals(List.of("/: recorded [1], live {}"), diff("[1]", "{}"));
    }

    @Test
    void ignoredPathsAndWhatIsBelowThemDoNotCount() {
        assertEquals(List.of("/n: recorded 1, live 2"), diff("{\"ts\":{\"s\":1},\"id\":\"a\",\"n\":1}", "{\"ts\":{\"s\":2},\"id\":\"b\",\"n\":2}",
                "/ts", "/id"));
    }

    @Test
    void otherTextIsComparedLineByLine() {
        assertEquals(List.of("- two", "+ 2", "+ four"), diff("one\ntwo\nthree", "one\n2\nthree\nfour"));
        assertEquals(List.of("- hello", "+ hullo"), diff("hello", "hullo"));
    }

    @Test
    void binaryAndCutPayloadsSayWhereTheyDiffer() {
        assertEquals(List.of("length: recorded 3 bytes, live 4", "byte 1: recorded 02 03, live ff 03 04"),
                MessageDiff.of(new byte[] {1, 2, 3}, true, 3, new byte[] {1, -1, 3, 4}, false, List.of()));
        assertEquals(List.of(), MessageDiff.of(new byte[] {1, 2}, false, 4, new byte[] {1, 2, 3, 4}, false, List.of()),
                "the kept bytes begin the live payload, which is as long as recorded");
        assertEquals(List.of("length: recorded 4 bytes, live 2"),
                MessageDiff.of(new byte[] {1, 2}, false, 4, new byte[] {1, 2}, false, List.of()));
    }

    @Test
    void capturesAreParsedWithTheirFilter() {
        Capture c = Capture.parse("sid=/session/id@json:/type==\"welcome\"");
        assertEquals("sid", c.name());
        assertEquals("/session/id", c.pointer().toString());
        assertEquals("{{sid}}", c.placeholder());
        assertEquals("'sid': say NAME=/json/pointer, e.g. token=/session/id",
                assertThrows(IllegalArgumentException.class, () -> Capture.parse("sid")).getMessage());
        assertEquals("'session/id' is not a JSON pointer (RFC 6901): it starts with /, e.g. /session/id",
                assertThrows(IllegalArgumentException.class, () -> Capture.parse("sid=session/id")).getMessage());
        assertEquals("'1x' is not a capture name: letters, digits, _ . - (not first)",
                assertThrows(IllegalArgumentException.class, () -> Capture.parse("1x=/a")).getMessage());
    }

    @Test
    void longStringsSayWhereTheyPartAndHowLongTheyAre() {
        String a = "{\"note\":\"" + "x".repeat(4096) + "\"}";
        String b = "{\"note\":\"" + "x".repeat(4100) + "\"}";
        assertEquals(List.of("/note: differ from character 4096: recorded …\"xxxxxxxxxx\" (4096 characters), live …\"xxxxxxxxxxxxxx\" (4100)"),
                diff(a, b));
        assertEquals("the server's message 1 differs (line 4): /a: recorded 1, live 2",
                JunitReport.oneLine("the server's message 1 differs (line 4):\n  /a: recorded 1, live 2\n  /b: recorded 3, live 4"));
    }
}
