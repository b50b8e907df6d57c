package dev.wstap.intercept;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EditorDocumentTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] changed(EditorDocument.Outcome o) {
        return assertInstanceOf(EditorDocument.Outcome.Changed.class, o).payload();
    }

    @Test
    void textIsShownAsTextAndTheNewlineAnEditorAddsIsNotSent() {
        EditorDocument doc = EditorDocument.of(Opcode.TEXT, utf8("hello"));
        assertEquals(EditorDocument.Kind.TEXT, doc.kind());
        assertEquals("hello", doc.content());
        assertInstanceOf(EditorDocument.Outcome.Unchanged.class, doc.read("hello\n"));
        assertEquals("bye", new String(changed(doc.read("bye\n")), StandardCharsets.UTF_8));
    }

    @Test
    void anEmptiedFileAsksToDrop() {
        assertInstanceOf(EditorDocument.Outcome.Emptied.class, EditorDocument.of(Opcode.TEXT, utf8("hello")).read(""));
        assertInstanceOf(EditorDocument.Outcome.Emptied.class, EditorDocument.of(Opcode.TEXT, utf8("{\"a\":1}")).read("\n"));
        assertInstanceOf(EditorDocument.Outcome.Emptied.class, EditorDocument.of(Opcode.BINARY, new byte[] {1}).read("# nothing\n"));
    }

    @Test
    void jsonIsPrettyInTheEditorAndSavedUnchangedSendsTheOriginalBytes() {
        byte[] original = utf8("{\"a\" : 1,\"b\":[1,2]}");
        EditorDocument doc = EditorDocument.of(Opcode.TEXT, original);
        assertEquals(EditorDocument.Kind.JSON, doc.kind());
        assertEquals("{\n  \"a\" : 1,\n  \"b\" : [ 1, 2 ]\n}\n", doc.content());
        assertInstanceOf(EditorDocument.Outcome.Unchanged.class, doc.read(doc.content()));
    }

    @Test
    void editedJsonGoesCompactAndBrokenJsonAsTyped() {
        EditorDocument doc = EditorDocument.of(Opcode.TEXT, utf8("{\"a\":1}"));
        assertEquals("{\"a\":2}", new String(changed(doc.read("{\n  \"a\" : 2\n}\n")), StandardCharsets.UTF_8));
        assertEquals("{\"a\":", new String(changed(doc.read("{\"a\":\n")), StandardCharsets.UTF_8));
    }

    @Test
    void binaryIsAnEditableHexDump() {
        byte[] original = new byte[20];
        for (int i = 0; i < original.length; i++) original[i] = (byte) (i * 13);
        EditorDocument doc = EditorDocument.of(Opcode.BINARY, original);
        assertEquals(EditorDocument.Kind.HEX, doc.kind());
        assertInstanceOf(EditorDocument.Outcome.Unchanged.class, doc.read(doc.content()));
        String edited = doc.content().replaceAll("(?m)^00000010:.*$", "00000010: ff  |.|");
        byte[] expected = java.util.Arrays.copyOf(original, 17);
        expected[16] = (byte) 0xff;
        assertArrayEquals(expected, changed(doc.read(edited)));
    }

    @Test
    void textThatIsNotUtf8IsShownAsHex() {
        assertEquals(EditorDocument.Kind.HEX, EditorDocument.of(Opcode.TEXT, new byte[] {(byte) 0xc3}).kind());
    }

    @Test
    void aHexDumpWithSomethingElseInItSaysWhichLine() {
        EditorDocument doc = EditorDocument.of(Opcode.BINARY, new byte[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> doc.read(doc.content() + "zz\n"));
        assertEquals("line 5 of the hex dump: 'zz' is not hex bytes (pairs of 0-9, a-f)", e.getMessage());
    }
}
