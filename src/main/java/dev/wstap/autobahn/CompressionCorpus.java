package dev.wstap.autobahn;

import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The test data of Autobahn's families 12 and 13 ({@code WS_COMPRESSION_TESTDATA} in
 * crossbario/autobahn-testsuite, {@code case/case12_x_x.py}), made up here instead of shipped: the
 * same kinds of content, generated from a fixed seed, so every run sends the same bytes. As there,
 * a case sends consecutive slices of the data, wrapping around at its end.
 *
 * <p>The text corpora hold multi-byte UTF-8 (2, 3 and 4 bytes a character), so that compressed
 * fragments cut characters apart; their slices are cut at character boundaries and padded with
 * spaces to the exact size. The PDF stand-in is random bytes, as the compressed streams inside a
 * real PDF are: DEFLATE stores it rather than shrinks it.
 */
public enum CompressionCorpus {
    JSON(1, "Large JSON data file", Opcode.TEXT),
    BITMAP(2, "Lena Picture, Bitmap 512x512 bw", Opcode.BINARY),
    // Autobahn sends Faust as binary ('binary': True), and so does this corpus.
    FAUST(3, "Human readable text, Goethe's Faust I (German)", Opcode.BINARY),
    HTML(4, "Large HTML file", Opcode.TEXT),
    PDF(5, "A larger PDF", Opcode.BINARY);

    /** Enough for the largest case: a few 131072-byte messages without wrapping. */
    private static final int SIZE_BYTES = 512 * 1024;

    private final int subcategory;
    private final String title;
    private final int opcode;
    private byte[] data;

    CompressionCorpus(int subcategory, String title, int opcode) {
        this.subcategory = subcategory;
        this.title = title;
        this.opcode = opcode;
    }

    /** Autobahn's subcategory in family 12: 12.1 is the JSON file, 12.5 the PDF. */
    public int subcategory() {
        return subcategory;
    }

    public int opcode() {
        return opcode;
    }

    public boolean isText() {
        return opcode == Opcode.TEXT;
    }

    /** As Autobahn titles the subcategory: {@code Large JSON data file (utf8)}. */
    public String title() {
        return title + (isText() ? " (utf8)" : " (binary)");
    }

    /**
     * {@code count} messages of exactly {@code size} bytes each, consecutive slices starting at
     * {@code startFraction} of the data (0.5: its middle), so that two directions can send different ones.
     */
    public byte[][] messages(int size, int count, double startFraction) {
        byte[] d = data();
        byte[][] out = new byte[count][];
        int from = (int) (d.length * startFraction);
        for (int i = 0; i < count; i++) {
            if (from + size > d.length) from = 0;
            out[i] = isText() ? utf8Slice(d, from, size) : Arrays.copyOfRange(d, from, from + size);
            from += size;
        }
        return out;
    }

    /**
     * Message {@code index} (from 0) of those {@link #messages} gives from the data's start: the
     * same bytes, computed on their own, so that a thousand large messages need not be held at once.
     */
    public byte[] message(int size, int index) {
        byte[] d = data();
        int from = (int) ((long) index % Math.max(1, d.length / size) * size);
        return isText() ? utf8Slice(d, from, size) : Arrays.copyOfRange(d, from, from + size);
    }

    private synchronized byte[] data() {
        if (data == null) {
            SplittableRandom r = new SplittableRandom(0x5eed0000L + subcategory);
            data = switch (this) {
                case JSON -> json(r);
                case BITMAP -> bitmap(r);
                case FAUST -> verse(r);
                case HTML -> html(r);
                case PDF -> pdf(r);
            };
        }
        return data;
    }

    /** Exactly {@code size} bytes of whole characters from {@code from} on, padded with spaces. */
    private static byte[] utf8Slice(byte[] d, int from, int size) {
        while (from < d.length && isContinuation(d[from])) from++;
        int end = Math.min(d.length, from + size);
        while (end < d.length && end > from && isContinuation(d[end])) end--;
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(d, from, out, 0, end - from);
        return out;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static final String[] NAMES = {"Müller", "Łódź", "東京", "Zoë", "Ñandú", "Ørsted", "Dvořák", "Ἀθῆναι", "Smith", "O'Brien"};
    private static final String[] TAGS = {"alpha", "beta", "gamma", "🎉", "naïve", "straße", "日本語", "ok", "€", "delta"};
    private static final String[] WORDS = {"Habe", "nun", "ach", "Philosophie", "Juristerei", "und", "Medizin", "leider",
            "auch", "Theologie", "durchaus", "studiert", "mit", "heißem", "Bemühn", "Da", "steh", "ich", "armer", "Tor",
            "bin", "so", "klug", "als", "wie", "zuvor", "Geister", "schwören", "Gefühl", "Höhle", "Mägde", "Wälder"};

    private static byte[] json(SplittableRandom r) {
        StringBuilder s = new StringBuilder("[\n");
        for (int id = 1; s.length() < SIZE_BYTES; id++) {
            s.append("  {\"id\": ").append(id)
                    .append(", \"user\": \"").append(pick(r, NAMES)).append('"')
                    .append(", \"active\": ").append(r.nextBoolean())
                    .append(", \"score\": ").append(r.nextInt(100000) / 100.0)
                    .append(", \"tags\": [\"").append(pick(r, TAGS)).append("\", \"").append(pick(r, TAGS)).append("\"]")
                    .append(", \"note\": \"").append(pick(r, WORDS)).append(' ').append(pick(r, WORDS)).append("\"},\n");
        }
        return s.append("]\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] html(SplittableRandom r) {
        StringBuilder s = new StringBuilder("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Übersicht</title></head>\n<body>\n");
        for (int row = 1; s.length() < SIZE_BYTES; row++) {
            s.append("<div class=\"row r").append(row % 7).append("\"><a href=\"/item/").append(row).append("\">")
                    .append(pick(r, NAMES)).append("</a> <span class=\"tag\">").append(pick(r, TAGS))
                    .append("</span> <p>").append(pick(r, WORDS)).append(' ').append(pick(r, WORDS))
                    .append(" &amp; ").append(pick(r, WORDS)).append(" — ").append(r.nextInt(1000)).append(" €</p></div>\n");
        }
        return s.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] verse(SplittableRandom r) {
        StringBuilder s = new StringBuilder("FAUST: Der Tragödie erster Teil\n\n");
        String[] speakers = {"FAUST.", "MEPHISTOPHELES.", "WAGNER.", "GRETCHEN.", "MARTHE."};
        while (s.length() < SIZE_BYTES) {
            s.append(pick(r, speakers)).append('\n');
            for (int line = 0, lines = 2 + r.nextInt(5); line < lines; line++) {
                for (int w = 0, words = 4 + r.nextInt(5); w < words; w++) s.append(w == 0 ? "" : " ").append(pick(r, WORDS));
                s.append(r.nextInt(4) == 0 ? "!\n" : ",\n");
            }
            s.append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A BMP header, a grey palette, then 8-bit pixels: smooth shapes with a little noise. */
    private static byte[] bitmap(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE_BYTES);
        out.writeBytes("BM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[52]);
        for (int i = 0; i < 256; i++) out.writeBytes(new byte[] {(byte) i, (byte) i, (byte) i, 0});
        for (int y = 0; out.size() < SIZE_BYTES; y++) {
            for (int x = 0; x < 512; x++) {
                double v = 128 + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0) + 40 * Math.sin((x + y) / 91.0);
                out.write((int) v + r.nextInt(4));
            }
        }
        return Arrays.copyOf(out.toByteArray(), SIZE_BYTES);
    }

    private static byte[] pdf(SplittableRandom r) {
        byte[] out = new byte[SIZE_BYTES];
        r.nextBytes(out);
        byte[] header = "%PDF-1.4\n1 0 obj << /Filter /FlateDecode /Length 524288 >>\nstream\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, out, 0, header.length);
        return out;
    }

    private static String pick(SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
