package dev.wstap.replay;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wstap.tap.JsonTrees;
import dev.wstap.wire.Utf8Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a live message differs from the recorded one, as lines a person reads: for JSON, each path
 * whose value differs ({@code /price: recorded 101.5, live 99}), paths given to ignore left out;
 * for other text, the lines that differ ({@code -} recorded, {@code +} live); for binary, the
 * lengths and the first byte that differs. No lines: the same.
 */
public final class MessageDiff {
    /** Differences listed at most; the rest are counted. */
    static final int MAX_LINES = 20;
    private static final int SHOWN_CHARS = 80;

    private MessageDiff() {}

    /**
     * @param recorded  the recorded payload; when {@code isWhole} is false only its first bytes, out of {@code recordedLength}
     * @param ignored   JSON pointers whose values (and what is below them) do not count
     */
    public static List<String> of(byte[] recorded, boolean isWhole, long recordedLength, byte[] live, boolean isText,
                                  List<JsonPointer> ignored) {
        if (!isWhole) return prefix(recorded, recordedLength, live);
        if (isText) {
            JsonNode a = JsonTrees.parseOrNull(recorded);
            JsonNode b = a == null ? null : JsonTrees.parseOrNull(live);
            if (a != null && b != null) {
                List<String> out = new ArrayList<>();
                json(JsonPointer.empty(), a, b, ignored, out);
                return cap(out);
            }
            if (Utf8Validator.isValidUtf8(recorded, 0, recorded.length) && Utf8Validator.isValidUtf8(live, 0, live.length)) {
                return cap(lines(new String(recorded, StandardCharsets.UTF_8), new String(live, StandardCharsets.UTF_8)));
            }
        }
        return bytes(recorded, live);
    }

    /** A recorded payload the log cut: the live one must begin with what was kept, and be as long. */
    private static List<String> prefix(byte[] kept, long length, byte[] live) {
        List<String> out = new ArrayList<>();
        if (live.length != length) out.add("length: recorded " + length + " bytes, live " + live.length);
        for (int i = 0; i < kept.length; i++) {
            if (i >= live.length || kept[i] != live[i]) {
                out.add("byte " + i + ": recorded " + hexAround(kept, i) + ", live " + hexAround(live, i)
                        + " (the log kept the first " + kept.length + " bytes only)");
                break;
            }
        }
        return out;
    }

    private static void json(JsonPointer at, JsonNode a, JsonNode b, List<JsonPointer> ignored, List<String> out) {
        if (ignored.contains(at)) return;
        String path = at.toString().isEmpty() ? "/" : at.toString();
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonPointer child = at.appendProperty(name);
                if (ignored.contains(child)) continue;
                JsonNode x = a.get(name);
                JsonNode y = b.get(name);
                if (x == null) out.add(child + ": only live, " + shown(y));
                else if (y == null) out.add(child + ": only in the recording, " + shown(x));
                else json(child, x, y, ignored, out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                JsonPointer child = at.appendIndex(i);
                if (ignored.contains(child)) continue;
                if (i >= a.size()) out.add(child + ": only live, " + shown(b.get(i)));
                else if (i >= b.size()) out.add(child + ": only in the recording, " + shown(a.get(i)));
                else json(child, a.get(i), b.get(i), ignored, out);
            }
            return;
        }
        boolean isSame = a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
        if (isSame) return;
        if (a.isTextual() && b.isTextual() && (a.textValue().length() > SHOWN_CHARS || b.textValue().length() > SHOWN_CHARS)) {
            out.add(path + ": " + strings(a.textValue(), b.textValue()));
        } else {
            out.add(path + ": recorded " + shown(a) + ", live " + shown(b));
        }
    }

    /** Two long strings: where they part, with a little of each from there, and their lengths. */
    private static String strings(String a, String b) {
        int at = 0;
        while (at < a.length() && at < b.length() && a.charAt(at) == b.charAt(at)) at++;
        int from = Math.max(0, at - 10);
        return "differ from character " + at + ": recorded " + around(a, from) + " (" + a.length() + " characters), live "
                + around(b, from) + " (" + b.length() + ")";
    }

    private static String around(String s, int from) {
        String part = s.substring(Math.min(from, s.length()), Math.min(s.length(), from + 30));
        return (from > 0 ? "…" : "") + "\"" + part + "\"" + (from + 30 < s.length() ? "…" : "");
    }

    /** The lines that differ, around a longest common subsequence of lines (small texts), else line by line. */
    static List<String> lines(String recorded, String live) {
        if (recorded.equals(live)) return List.of();
        List<String> a = recorded.lines().toList();
        List<String> b = live.lines().toList();
        List<String> out = new ArrayList<>();
        if ((long) a.size() * b.size() > 250_000) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                String x = i < a.size() ? a.get(i) : null;
                String y = i < b.size() ? b.get(i) : null;
                if (x != null && x.equals(y)) continue;
                if (x != null) out.add("- " + clip(x));
                if (y != null) out.add("+ " + clip(y));
            }
            return out;
        }
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (j >= b.size() || (i < a.size() && common[i + 1][j] >= common[i][j + 1])) {
                out.add("- " + clip(a.get(i++)));
            } else {
                out.add("+ " + clip(b.get(j++)));
            }
        }
        if (out.isEmpty()) out.add("the same lines, but not the same line endings"); // "a\n" and "a"
        return out;
    }

    private static List<String> bytes(byte[] a, byte[] b) {
        if (java.util.Arrays.equals(a, b)) return List.of();
        int i = java.util.Arrays.mismatch(a, b);
        List<String> out = new ArrayList<>();
        if (a.length != b.length) out.add("length: recorded " + a.length + " bytes, live " + b.length);
        out.add("byte " + i + ": recorded " + hexAround(a, i) + ", live " + hexAround(b, i));
        return out;
    }

    /** Up to 8 bytes from {@code at}, in hex; {@code (end)} past the last. */
    private static String hexAround(byte[] bytes, int at) {
        if (at >= bytes.length) return "(end)";
        return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes, at, Math.min(bytes.length, at + 8));
    }

    private static String shown(JsonNode n) {
        return clip(n.toString());
    }

    private static String clip(String s) {
        return s.length() <= SHOWN_CHARS ? s : s.substring(0, SHOWN_CHARS - 1) + "…";
    }

    private static List<String> cap(List<String> lines) {
        if (lines.size() <= MAX_LINES) return lines;
        List<String> out = new ArrayList<>(lines.subList(0, MAX_LINES));
        out.add("... and " + (lines.size() - MAX_LINES) + " more");
        return out;
    }
}
