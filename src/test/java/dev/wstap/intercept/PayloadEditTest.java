package dev.wstap.intercept;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadEditTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String apply(PayloadEdit e, String payload) {
        return new String(e.apply(utf8(payload), true), StandardCharsets.UTF_8);
    }

    @Test
    void replaceChangesEveryMatch() {
        assertEquals("a redacted, b redacted", apply(PayloadEdit.replace("/secret/redacted/"), "a secret, b secret"));
    }

    @Test
    void replaceUsesGroupsAndIgnoresCaseWithI() {
        assertEquals("id=[42]", apply(PayloadEdit.replace("/ID=(\\d+)/id=[$1]/i"), "Id=42"));
    }

    @Test
    void replaceTakesAnyPunctuationAsDelimiterAndAnEscapedOneAsText() {
        assertEquals("x/y", apply(PayloadEdit.replace("|a/b|x/y|"), "a/b"));
        assertEquals("a|b", apply(PayloadEdit.replace("|c|a\\|b|"), "c"));
    }

    @Test
    void replaceThatMatchesNothingSaysSoAndChangesNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(PayloadEdit.replace("/nope/x/"), "text"));
        assertEquals("--replace /nope/x/: no match in the payload; nothing was changed", e.getMessage());
    }

    @Test
    void replaceWithoutItsClosingDelimiterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.replace("/secret/redacted"));
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.replace("secret"));
    }

    @Test
    void replaceOnBinaryLeavesOtherBytesAsTheyWere() {
        byte[] payload = {(byte) 0xff, 'a', (byte) 0x80, 'a'};
        assertArrayEquals(new byte[] {(byte) 0xff, 'b', (byte) 0x80, 'b'}, PayloadEdit.replace("/a/b/").apply(payload, false));
    }

    @Test
    void jsonSetChangesAFieldAndWritesCompact() {
        assertEquals("{\"type\":\"subscribe\",\"channel\":\"test\"}",
                apply(PayloadEdit.jsonSet("/channel=\"test\""), "{\"type\": \"subscribe\", \"channel\": \"prices\"}"));
    }

    @Test
    void jsonSetTakesABareWordAsAStringAndJsonAsJson() {
        assertEquals("{\"a\":\"word\"}", apply(PayloadEdit.jsonSet("/a=word"), "{\"a\":1}"));
        assertEquals("{\"a\":{\"b\":[1,2]}}", apply(PayloadEdit.jsonSet("/a={\"b\":[1,2]}"), "{\"a\":1}"));
    }

    @Test
    void jsonSetAddsMissingFieldsAndAppendsToArrays() {
        assertEquals("{\"a\":[1,2,3],\"n\":true}", apply(PayloadEdit.jsonSet("/n=true"), "{\"a\":[1,2,3]}"));
        assertEquals("[1,2,3]", apply(PayloadEdit.jsonSet("/-=3"), "[1,2]"));
        assertEquals("[1,9]", apply(PayloadEdit.jsonSet("/1=9"), "[1,2]"));
    }

    @Test
    void jsonSetKeepsDecimalsExactly() {
        assertEquals("{\"p\":0.10000000000000000001,\"q\":2}", apply(PayloadEdit.jsonSet("/q=2"), "{\"p\":0.10000000000000000001,\"q\":1}"));
    }

    @Test
    void jsonSetOnSomethingThatIsNotJsonSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(PayloadEdit.jsonSet("/a=1"), "plain text"));
        assertEquals(true, e.getMessage().startsWith("--json-set /a: the payload is not JSON"), e.getMessage());
    }

    @Test
    void jsonSetWhereThereIsNoParentSaysWhatIsThere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply(PayloadEdit.jsonSet("/a/b=1"), "{\"a\":5}"));
        assertEquals("--json-set /a/b: there is a number at /a, not an object or array to set b in", e.getMessage());
    }

    @Test
    void jsonSetNeedsAPointerAndAValue() {
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.jsonSet("channel=test"));
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.jsonSet("/channel"));
    }

    @Test
    void hexTakesSpacesAndColonsAndRefusesOddDigits() {
        assertArrayEquals(utf8("Hello"), PayloadEdit.hex("48 65:6c 6c6f").apply(new byte[0], false));
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.hex("486"));
        assertThrows(IllegalArgumentException.class, () -> PayloadEdit.hex("zz"));
    }

    @Test
    void editsApplyInOrder() {
        byte[] out = PayloadEdit.applyAll(List.of(new PayloadEdit.SetText("{\"a\":\"x\"}"), PayloadEdit.jsonSet("/b=1"),
                PayloadEdit.replace("/x/y/")), utf8("ignored"), true);
        assertEquals("{\"a\":\"y\",\"b\":1}", new String(out, StandardCharsets.UTF_8));
    }
}
