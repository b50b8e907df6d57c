package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.PAUSE;
import static dev.wstap.autobahn.AutobahnCase.cont;
import static dev.wstap.autobahn.AutobahnCase.fragments;
import static dev.wstap.autobahn.AutobahnCase.hex;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.text;
import static dev.wstap.autobahn.AutobahnCase.utf8;

import dev.wstap.autobahn.AutobahnCase.Frame;
import dev.wstap.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Autobahn|Testsuite family 6, UTF-8 handling: a text message MUST be valid UTF-8 (RFC 6455 §8.1,
 * RFC 3629), however it is fragmented. wstap flags the frame that holds the first invalid byte, or
 * the final frame when the message ends inside a character; the frames before and after stay clean.
 *
 * <p>6.1-6.4 are Autobahn's hand-written cases. 6.5-6.23 are generated in {@code case6_x_x.py} from
 * Markus Kuhn's UTF-8 decoder stress test, each sequence sent as one text frame; they are listed
 * here in the same order, so that the numbers match Autobahn's. Cases marked "variant" are not in
 * Autobahn: a valid message split into two fragments at every byte, and messages that end inside a
 * character only in their last fragment.
 */
public final class Family6Utf8 {
    private Family6Utf8() {}

    private static final String INVALID = "invalid-utf8";
    /** κόσμε: ce ba | e1 bd b9 | cf 83 | ce bc | ce b5, Kuhn's "Greek word kosme". */
    private static final byte[] KOSME = hex("ce ba e1 bd b9 cf 83 ce bc ce b5");
    /** 6.3.1: κόσμε, then ED A0 80 (U+D800, a lone surrogate; invalid at A0), then "edited". */
    private static final byte[] KOSME_SURROGATE_EDITED = hex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64");
    /** 6.4.x: κόσμε, then F4 90 80 80 (0x110000, above U+10FFFF; invalid at 90), then "edited". */
    private static final byte[] KOSME_TOO_HIGH_EDITED = hex("ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80 65 64 69 74 65 64");
    private static final String HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!";

    public static List<AutobahnCase> cases() {
        List<AutobahnCase> out = new ArrayList<>(List.of(
                of("6.1.1", "text message of length 0", text("")),
                of("6.1.2", "text message in 3 fragments, all of length 0",
                        text(false, ""), cont(false, ""), cont(true, "")),
                of("6.1.3", "text message in 3 fragments, first and last of length 0",
                        text(false, ""), cont(false, "middle frame payload"), cont(true, "")),
                of("6.2.1", "valid UTF-8 text message in one fragment", text(HELLO_UTF8)),
                of("6.2.2", "valid UTF-8 text message in 2 fragments, split on a code point boundary",
                        text(false, "Hello-µ@ßöä"), cont(true, "üàá-UTF-8!!")),
                of("6.2.3", "valid UTF-8 text message in fragments of 1 octet",
                        fragments(Opcode.TEXT, utf8(HELLO_UTF8), 1)),
                of("6.2.4", "valid UTF-8 text message (κόσμε) in fragments of 1 octet",
                        fragments(Opcode.TEXT, KOSME, 1)),
                of("6.3.1", "invalid UTF-8 text message, unfragmented",
                        text(true, KOSME_SURROGATE_EDITED).flagged(INVALID)),
                of("6.3.2", "invalid UTF-8 text message in fragments of 1 octet", oneOctetFragmentsOfInvalid()),
                of("6.4.1", "invalid UTF-8 in 3 fragments, the 2nd holds the code point above U+10FFFF",
                        text(false, KOSME),
                        PAUSE,
                        cont(false, hex("f4 90 80 80")).flagged(INVALID), // 90 cannot follow F4
                        PAUSE,
                        cont(true, "edited")),
                of("6.4.2", "invalid UTF-8 in 3 fragments, the 2nd only the octet that makes it invalid",
                        text(false, Arrays.copyOf(KOSME_TOO_HIGH_EDITED, 12)), // κόσμε, then F4
                        PAUSE,
                        cont(false, hex("90")).flagged(INVALID),
                        PAUSE,
                        cont(true, hex("80 80 65 64 69 74 65 64"))),
                of("6.4.3", "as 6.4.1, but one frame sent in 3 chops",
                        text(true, KOSME_TOO_HIGH_EDITED).flagged(INVALID).cutAt(11, 15)),
                of("6.4.4", "as 6.4.2, but one frame sent in 3 chops",
                        text(true, KOSME_TOO_HIGH_EDITED).flagged(INVALID).cutAt(12, 13))));
        out.addAll(kuhnStressTest());
        out.addAll(splitAtEveryByte());
        out.addAll(invalidInOneByteFragments());
        out.addAll(endingInsideACharacterAcrossFragments());
        return out;
    }

    /** 6.3.2: every byte its own frame; the 13th (A0, after ED) is the first that cannot be UTF-8. */
    private static List<Frame> oneOctetFragmentsOfInvalid() {
        List<Frame> frames = new ArrayList<>(fragments(Opcode.TEXT, KOSME_SURROGATE_EDITED, 1));
        frames.set(12, frames.get(12).flagged(INVALID));
        return frames;
    }

    /** One sequence of Kuhn's test and whether it is valid UTF-8. */
    private record Sample(boolean isValid, byte[] bytes, String what) {}

    private static Sample valid(String hex, String what) {
        return new Sample(true, hex(hex), what);
    }

    private static Sample invalid(String hex, String what) {
        return new Sample(false, hex(hex), what);
    }

    /** 6.5-6.23, in the order of Autobahn's createUtf8TestSequences(). */
    private static List<AutobahnCase> kuhnStressTest() {
        List<List<Sample>> groups = List.of(
                List.of( // 6.5 some valid UTF-8 sequences
                        valid("68 65 6c 6c 6f 24 77 6f 72 6c 64", "hello$world, U+0024"),
                        valid("68 65 6c 6c 6f c2 a2 77 6f 72 6c 64", "hello¢world, U+00A2"),
                        valid("68 65 6c 6c 6f e2 82 ac 77 6f 72 6c 64", "hello€world, U+20AC"),
                        valid("68 65 6c 6c 6f f0 a4 ad a2 77 6f 72 6c 64", "hello𤭢world, U+24B62"),
                        valid("ce ba e1 bd b9 cf 83 ce bc ce b5", "κόσμε")),
                kosmePrefixes(), // 6.6
                List.of( // 6.7 first possible sequence of each length
                        valid("00", "U+0000"),
                        valid("c2 80", "U+0080"),
                        valid("e0 a0 80", "U+0800"),
                        valid("f0 90 80 80", "U+10000")),
                List.of( // 6.8 first possible 5- and 6-byte sequences: no such forms in UTF-8
                        invalid("f8 88 80 80 80", "5 bytes, U+200000"),
                        invalid("fc 84 80 80 80 80", "6 bytes, U+4000000")),
                List.of( // 6.9 last possible sequence of each length
                        valid("7f", "U+007F"),
                        valid("df bf", "U+07FF"),
                        valid("ef bf bf", "U+FFFF"),
                        valid("f4 8f bf bf", "U+10FFFF")),
                List.of( // 6.10 last possible 4-, 5- and 6-byte forms: beyond U+10FFFF
                        invalid("f7 bf bf bf", "U+1FFFFF"),
                        invalid("fb bf bf bf bf", "U+3FFFFFF"),
                        invalid("fd bf bf bf bf bf", "U+7FFFFFFF")),
                List.of( // 6.11 other boundary conditions
                        valid("ed 9f bf", "U+D7FF, just below the surrogates"),
                        valid("ee 80 80", "U+E000, just above the surrogates"),
                        valid("ef bf bd", "U+FFFD"),
                        valid("f4 8f bf bf", "U+10FFFF"),
                        invalid("f4 90 80 80", "0x110000, above U+10FFFF")),
                unexpectedContinuationBytes(), // 6.12
                lonelyStartBytes(), // 6.13
                lastContinuationByteMissing(), // 6.14
                List.of(invalid(HexFormat.of().formatHex(concat(lastContinuationByteMissing())), // 6.15
                        "all of 6.14 concatenated")),
                List.of( // 6.16 impossible bytes
                        invalid("fe", "FE"),
                        invalid("ff", "FF"),
                        invalid("fe fe ff ff", "FE FE FF FF")),
                List.of( // 6.17 overlong forms of "/"
                        invalid("c0 af", "2 bytes"),
                        invalid("e0 80 af", "3 bytes"),
                        invalid("f0 80 80 af", "4 bytes"),
                        invalid("f8 80 80 80 af", "5 bytes"),
                        invalid("fc 80 80 80 80 af", "6 bytes")),
                List.of( // 6.18 the largest overlong form of each length
                        invalid("c1 bf", "U+007F in 2 bytes"),
                        invalid("e0 9f bf", "U+07FF in 3 bytes"),
                        invalid("f0 8f bf bf", "U+FFFF in 4 bytes"),
                        invalid("f8 87 bf bf bf", "U+1FFFFF in 5 bytes"),
                        invalid("fc 83 bf bf bf bf", "U+3FFFFFF in 6 bytes")),
                List.of( // 6.19 overlong forms of NUL
                        invalid("c0 80", "2 bytes"),
                        invalid("e0 80 80", "3 bytes"),
                        invalid("f0 80 80 80", "4 bytes"),
                        invalid("f8 80 80 80 80", "5 bytes"),
                        invalid("fc 80 80 80 80 80", "6 bytes")),
                List.of( // 6.20 single UTF-16 surrogates
                        invalid("ed a0 80", "U+D800"),
                        invalid("ed ad bf", "U+DB7F"),
                        invalid("ed ae 80", "U+DB80"),
                        invalid("ed af bf", "U+DBFF"),
                        invalid("ed b0 80", "U+DC00"),
                        invalid("ed be 80", "U+DF80"),
                        invalid("ed bf bf", "U+DFFF")),
                List.of( // 6.21 paired UTF-16 surrogates: CESU-8, not UTF-8
                        invalid("ed a0 80 ed b0 80", "U+D800 U+DC00"),
                        invalid("ed a0 80 ed bf bf", "U+D800 U+DFFF"),
                        invalid("ed ad bf ed b0 80", "U+DB7F U+DC00"),
                        invalid("ed ad bf ed bf bf", "U+DB7F U+DFFF"),
                        invalid("ed ae 80 ed b0 80", "U+DB80 U+DC00"),
                        invalid("ed ae 80 ed bf bf", "U+DB80 U+DFFF"),
                        invalid("ed af bf ed b0 80", "U+DBFF U+DC00"),
                        invalid("ed af bf ed bf bf", "U+DBFF U+DFFF")),
                nonCharacters(), // 6.22
                List.of( // 6.23 Unicode specials: valid
                        valid("ef bf b9", "U+FFF9"),
                        valid("ef bf ba", "U+FFFA"),
                        valid("ef bf bb", "U+FFFB"),
                        valid("ef bf bc", "U+FFFC"),
                        valid("ef bf bd", "U+FFFD, the replacement character"),
                        valid("ef bf be", "U+FFFE"),
                        valid("ef bf bf", "U+FFFF")));
        List<AutobahnCase> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Sample> samples = groups.get(g);
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                Frame frame = text(true, s.bytes());
                out.add(of("6." + (g + 5) + "." + (i + 1), (s.isValid() ? "valid" : "invalid") + " UTF-8, " + s.what()
                        + ": " + HexFormat.ofDelimiter(" ").formatHex(s.bytes()), s.isValid() ? frame : frame.flagged(INVALID)));
            }
        }
        return out;
    }

    /** 6.6: every prefix of κόσμε; valid exactly when it ends on a character boundary (after 2, 5, 7, 9, 11 bytes). */
    private static List<Sample> kosmePrefixes() {
        List<Integer> boundaries = List.of(2, 5, 7, 9, 11);
        List<Sample> out = new ArrayList<>();
        for (int n = 1; n <= KOSME.length; n++) {
            byte[] prefix = Arrays.copyOf(KOSME, n);
            boolean isValid = boundaries.contains(n);
            out.add(new Sample(isValid, prefix, "the first " + n + " bytes of κόσμε"
                    + (isValid ? "" : ", ending inside a character")));
        }
        return out;
    }

    /** 6.12: continuation bytes with no lead byte; the last one is Autobahn's 80..BE (its range stops before BF). */
    private static List<Sample> unexpectedContinuationBytes() {
        List<Sample> out = new ArrayList<>(List.of(
                invalid("80", "a first continuation byte"),
                invalid("bf", "a last continuation byte"),
                invalid("80 bf", "2 continuation bytes"),
                invalid("80 bf 80", "3 continuation bytes"),
                invalid("80 bf 80 bf", "4 continuation bytes"),
                invalid("80 bf 80 bf 80", "5 continuation bytes"),
                invalid("80 bf 80 bf 80 bf", "6 continuation bytes")));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int b = 0x80; b < 0xbf; b++) all.write(b);
        out.add(new Sample(false, all.toByteArray(), "the continuation bytes 80 to BE"));
        return out;
    }

    /** 6.13: each lead byte of a range followed by a space; the ranges stop one short, as Autobahn's do. */
    private static List<Sample> lonelyStartBytes() {
        int[][] ranges = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        List<Sample> out = new ArrayList<>();
        for (int[] r : ranges) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            for (int b = r[0]; b < r[1]; b++) {
                s.write(b);
                s.write(0x20);
            }
            out.add(new Sample(false, s.toByteArray(), String.format("lead bytes %02X to %02X, each followed by a space",
                    r[0], r[1] - 1)));
        }
        return out;
    }

    /** 6.14: sequences cut short by their last byte; the last five end the message inside a character. */
    private static List<Sample> lastContinuationByteMissing() {
        return List.of(
                invalid("c0", "U+0000 in 2 bytes, cut"),
                invalid("e0 80", "U+0000 in 3 bytes, cut"),
                invalid("f0 80 80", "U+0000 in 4 bytes, cut"),
                invalid("f8 80 80 80", "U+0000 in 5 bytes, cut"),
                invalid("fc 80 80 80 80", "U+0000 in 6 bytes, cut"),
                invalid("df", "U+07FF, cut"),
                invalid("ef bf", "U+FFFF, cut"),
                invalid("f7 bf bf", "U+1FFFFF, cut"),
                invalid("fb bf bf bf", "U+3FFFFFF, cut"),
                invalid("fd bf bf bf bf", "U+7FFFFFFF, cut"));
    }

    private static byte[] concat(List<Sample> samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        samples.forEach(s -> out.writeBytes(s.bytes()));
        return out.toByteArray();
    }

    /**
     * 6.22: non-characters are valid UTF-8 (RFC 3629): EF BF BE/BF, then F0-F4 with second byte
     * 8F/9F/AF/BF, BF, BE/BF, leaving out the overlong F0 8F and everything above U+10FFFF.
     */
    private static List<Sample> nonCharacters() {
        List<Sample> out = new ArrayList<>(List.of(valid("ef bf be", "U+FFFE"), valid("ef bf bf", "U+FFFF")));
        for (int lead = 0xf0; lead <= 0xf4; lead++) {
            for (int second : new int[] {0x8f, 0x9f, 0xaf, 0xbf}) {
                if (lead == 0xf4 && second != 0x8f) continue;
                if (lead == 0xf0 && second == 0x8f) continue;
                for (int last : new int[] {0xbe, 0xbf}) {
                    int codePoint = ((lead & 0x07) << 18) | ((second & 0x3f) << 12) | (0x3f << 6) | (last & 0x3f);
                    out.add(new Sample(true, new byte[] {(byte) lead, (byte) second, (byte) 0xbf, (byte) last},
                            String.format("U+%X", codePoint)));
                }
            }
        }
        return out;
    }

    /** Variants of 6.2.2: κόσμε in two fragments, cut after each of its bytes; valid at every cut. */
    private static List<AutobahnCase> splitAtEveryByte() {
        List<AutobahnCase> out = new ArrayList<>();
        for (int cut = 1; cut < KOSME.length; cut++) {
            out.add(of("6.2.2", "variant: κόσμε in 2 fragments, cut after byte " + cut,
                    text(false, Arrays.copyOf(KOSME, cut)),
                    cont(true, Arrays.copyOfRange(KOSME, cut, KOSME.length))));
        }
        return out;
    }

    /**
     * Variants of 6.3.2: invalid sequences with every byte its own fragment. Only the fragment with
     * the first byte that cannot continue the sequence is flagged; for E0, ED, F0 and F4 that is the
     * second byte, whose allowed range the lead byte narrowed in the fragment before.
     */
    private static List<AutobahnCase> invalidInOneByteFragments() {
        return List.of(
                invalidInOneByteFragments("6.8.1", "f8 88 80 80 80", 0), // F8 never starts a sequence
                invalidInOneByteFragments("6.11.5", "f4 90 80 80", 1), // F4 allows 80-8F next: above U+10FFFF
                invalidInOneByteFragments("6.17.1", "c0 af", 0), // C0 only starts overlong forms
                invalidInOneByteFragments("6.17.2", "e0 80 af", 1), // E0 allows A0-BF next: overlong
                invalidInOneByteFragments("6.18.3", "f0 8f bf bf", 1), // F0 allows 90-BF next: overlong
                invalidInOneByteFragments("6.20.1", "ed a0 80", 1), // ED allows 80-9F next: a surrogate
                invalidInOneByteFragments("6.21.1", "ed 9f bf ed a0 80", 4), // U+D7FF is fine, then a surrogate
                invalidInOneByteFragments("6.14.7", "e1 bd 20", 2)); // a space where ό's last byte belongs
    }

    private static AutobahnCase invalidInOneByteFragments(String id, String hex, int firstBadByte) {
        List<Frame> frames = new ArrayList<>(fragments(Opcode.TEXT, hex(hex), 1));
        frames.set(firstBadByte, frames.get(firstBadByte).flagged(INVALID));
        return of(id, "variant: " + hex + " in fragments of 1 octet", frames);
    }

    /** Variants of 6.6 and 6.14: the message ends inside a character, which only the final fragment shows. */
    private static List<AutobahnCase> endingInsideACharacterAcrossFragments() {
        return List.of(
                of("6.6.3", "variant: κ and the first byte of ό, then an empty final fragment",
                        text(false, hex("ce ba e1")),
                        cont(true, new byte[0]).flagged(INVALID)),
                of("6.6.4", "variant: κ, then ό without its last byte in the final fragment",
                        text(false, hex("ce ba")),
                        cont(true, hex("e1 bd")).flagged(INVALID)),
                of("6.14.7", "variant: EF BF split over 2 fragments, no third byte before the end",
                        text(false, hex("ef")),
                        cont(false, hex("bf")),
                        cont(true, utf8("")).flagged(INVALID)),
                of("6.9.4", "variant: U+10FFFF split after each of its 4 bytes is valid",
                        fragments(Opcode.TEXT, hex("f4 8f bf bf"), 1)));
    }
}
