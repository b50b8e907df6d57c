package dev.wstap.filter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import dev.wstap.tap.Fate;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the filter language (docs/filters.md) into an {@link Expr}:
 *
 * <pre>
 * expr  = all { "or" all }
 * all   = unary { ["and"] unary }          terms side by side mean and
 * unary = ("not" | "-") unary | "(" expr ")" | term
 * term  = word | field ":" value | field "~" "/" regex "/" flags
 * </pre>
 *
 * Each field reads its own value ({@code json:/a/b=="x y"} holds a space inside its quotes; a
 * regex between slashes holds parentheses and backslashes as they are), so nothing needs quoting
 * for the parser beyond what the shell asks. A mistake throws {@link FilterSyntaxException} with
 * the column it was found at and what was expected there.
 */
public final class FilterParser {
    /** Every field and word, for errors, help and completion. */
    public static final List<String> FIELDS = List.of("dir:", "op:", "sess:", "fin:", "len:", "body~", "body:", "hex:", "json:",
            "viol", "viol:", "fate:", "rule:", "url~", "url:", "host:", "sub:", "client:", "close:", "rsv1", "rsv2", "rsv3", "masked",
            "frame", "msg", "open", "closed", "http");
    /** The opcode names and groups {@code op:} takes. */
    public static final List<String> OPCODE_WORDS = List.of("text", "binary", "cont", "close", "ping", "pong", "data", "control", "reserved");
    private static final JsonFactory JSON = new JsonFactory();

    private final String s;
    private int pos;

    private FilterParser(String s) {
        this.s = s;
    }

    /** The expression {@code text} stands for; null for a blank one (everything). */
    public static Expr parse(String text) {
        FilterParser p = new FilterParser(text);
        p.skipSpace();
        if (p.pos == text.length()) return null;
        Expr e = p.any();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.fail(p.pos, p.peek() == ')' ? "this ')' closes nothing: remove it, or add '(' before" : "expected 'or', 'and' or another term here");
        }
        return e;
    }

    private Expr any() {
        List<Expr> parts = new ArrayList<>();
        parts.add(all());
        while (true) {
            skipSpace();
            int at = pos;
            if (!keyword("or")) break;
            skipSpace();
            if (pos == s.length() || peek() == ')') throw fail(pos, "expected a term after 'or'");
            parts.add(all());
            if (parts.get(parts.size() - 1) == null) throw fail(at, "expected a term after 'or'");
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.Any(parts);
    }

    private Expr all() {
        List<Expr> parts = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos == s.length() || peek() == ')' || isKeyword("or")) break;
            int at = pos;
            if (keyword("and")) {
                if (parts.isEmpty()) throw fail(at, "expected a term before 'and'");
                skipSpace();
                if (pos == s.length() || peek() == ')' || isKeyword("or")) throw fail(pos, "expected a term after 'and'");
                continue;
            }
            parts.add(unary());
        }
        if (parts.isEmpty()) {
            throw fail(pos, pos == s.length() ? "expected a term here: the expression ends too soon"
                    : peek() == ')' ? "expected a term before ')'" : "expected a term before 'or'");
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.All(parts);
    }

    private Expr unary() {
        skipSpace();
        int at = pos;
        boolean isNot = keyword("not");
        boolean isMinus = !isNot && peek() == '-';
        if (isMinus) pos++;
        if (isNot || isMinus) {
            skipSpace();
            if (pos == s.length() || peek() == ')' || isKeyword("or") || isKeyword("and")) {
                throw fail(pos, "expected a term after '" + (isMinus ? "-" : "not") + "'");
            }
            return new Expr.Not(unary());
        }
        if (peek() == '(') {
            pos++;
            skipSpace();
            if (peek() == ')') throw fail(pos, "expected a term inside '()'");
            Expr inner = any();
            skipSpace();
            if (peek() != ')') throw fail(pos, "expected ')' to close the '(' at column " + (at + 1));
            pos++;
            return inner;
        }
        return term();
    }

    private Expr term() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-')) pos++;
        String word = s.substring(start, pos).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            throw fail(start, "expected a term such as dir:c2s, op:text or body~/regex/, not '" + s.charAt(start) + "'");
        }
        char next = peek();
        if (next == ':' || next == '~') {
            pos++;
            return valued(word, start, next);
        }
        Expr bare = bare(word);
        if (bare != null) return bare;
        if (isValued(word)) throw fail(pos, word + " needs a value: " + example(word));
        throw fail(start, unknown(word));
    }

    /** A word that is a term by itself, or null. */
    private static Expr bare(String word) {
        return switch (word) {
            case "rsv1" -> new Terms.HeaderBit(Terms.Bit.RSV1);
            case "rsv2" -> new Terms.HeaderBit(Terms.Bit.RSV2);
            case "rsv3" -> new Terms.HeaderBit(Terms.Bit.RSV3);
            case "masked" -> new Terms.HeaderBit(Terms.Bit.MASKED);
            case "viol" -> new Terms.Viol(null, null);
            case "frame" -> new Terms.KindTerm(Terms.Kind.FRAME);
            case "msg" -> new Terms.KindTerm(Terms.Kind.MSG);
            case "open" -> new Terms.KindTerm(Terms.Kind.OPEN);
            case "closed" -> new Terms.KindTerm(Terms.Kind.CLOSED);
            case "http" -> new Terms.KindTerm(Terms.Kind.HTTP);
            default -> {
                for (Fate f : Fate.values()) {
                    if (f.label().equals(word)) yield new Terms.Fates(EnumSet.of(f));
                }
                yield null;
            }
        };
    }

    private static boolean isValued(String word) {
        return FIELDS.contains(word + ":") || FIELDS.contains(word + "~");
    }

    private Expr valued(String field, int start, char sign) {
        int at = pos;
        if (sign == '~') {
            if (!field.equals("body") && !field.equals("url")) {
                throw fail(at - 1, isValued(field) || bare(field) != null ? field + " takes no regex: " + example(field) : unknown(field));
            }
            Pattern p = regex();
            String flags = flagsOf(p);
            return field.equals("body") ? new Terms.BodyRegex(p, flags) : new Terms.Url(p, flags, null);
        }
        return switch (field) {
            case "dir" -> directions(at, bareValue("c2s or s2c"));
            case "op" -> opcodes(at, bareValue("an opcode such as text, ping or 0x3"));
            case "sess" -> sessions(at, bareValue("a session number such as 3, or 1,4 or 2..5"));
            case "fin" -> {
                String v = bareValue("0 or 1");
                if (!v.equals("0") && !v.equals("1")) throw fail(at, "fin takes 0 or 1, not '" + v + "'");
                yield new Terms.HeaderBit(v.equals("1") ? Terms.Bit.FIN_SET : Terms.Bit.FIN_CLEAR);
            }
            case "len" -> length(at, bareValue("a length such as >4k, <=125 or 10..200"));
            case "body" -> new Terms.Contains(text("the text to find, such as body:\"error\"").getBytes(StandardCharsets.UTF_8), false);
            case "hex" -> hex(at, text("hex digits such as hex:\"de ad be ef\""));
            case "json" -> json(at);
            case "viol" -> violation(at, bareValue("a rule name such as invalid-utf8, or a section such as 5.5"));
            case "fate" -> fates(at, bareValue("a fate such as dropped or injected"));
            case "url" -> new Terms.Url(null, "", text("the text to find, such as url:\"/chat\""));
            case "host" -> new Terms.SessionGlob(Terms.SessionGlob.Field.HOST, text("a host such as host:*.example.com"));
            case "sub" -> new Terms.SessionGlob(Terms.SessionGlob.Field.SUB, text("a subprotocol such as sub:chat.v2"));
            case "client" -> new Terms.SessionGlob(Terms.SessionGlob.Field.CLIENT, text("an address such as client:127.0.0.1"));
            case "rule" -> new Terms.RuleName(text("a rule's name such as rule:\"slow server\" or rule:#2"));
            case "close" -> closeCodes(at, bareValue("a close code such as 1000 or 1006"));
            default -> throw fail(start, bare(field) != null ? field + " takes no value: write " + field + " or -" + field : unknown(field));
        };
    }

    private static String example(String field) {
        return switch (field) {
            case "dir" -> "dir:c2s or dir:s2c";
            case "op" -> "op:text, op:ping,pong or op:0x3";
            case "sess" -> "sess:3 or sess:1,4";
            case "fin" -> "fin:0 or fin:1";
            case "len" -> "len:>4k, len:<=125 or len:10..200";
            case "body" -> "body:\"text\" or body~/regex/";
            case "hex" -> "hex:\"de ad be ef\"";
            case "json" -> "json:/type==\"subscribe\" or json:/user/id";
            case "fate" -> "fate:dropped,held";
            case "url" -> "url~/chat/ or url:\"/chat\"";
            case "host" -> "host:*.example.com";
            case "sub" -> "sub:chat.v2";
            case "client" -> "client:127.0.0.1";
            case "rule" -> "rule:\"slow server\" or rule:#2";
            case "close" -> "close:1000 or close:1006";
            default -> field;
        };
    }

    private String unknown(String word) {
        String near = nearest(word);
        if (near != null) return "unknown term '" + word + "': did you mean " + near + "?";
        return "unknown term '" + word + "': to find text, write body:\"" + word + "\" or body~/" + word + "/; the terms are "
                + "dir: op: sess: fin: len: body~ body: hex: json: viol fate: rule: url~ host: sub: client: close: rsv1 rsv2 rsv3 masked "
                + "frame msg open closed http and the fates (injected, dropped...)";
    }

    /**
     * The field or word a misspelling most likely meant: one edit away (a letter wrong, missing,
     * extra, or two swapped), or two for words of six letters or more; null when none is that close.
     */
    private static String nearest(String word) {
        List<String> words = new ArrayList<>();
        for (String f : FIELDS) words.add(f.replaceAll("[:~]$", ""));
        for (Fate f : Fate.values()) words.add(f.label());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String w : words) {
            int d = Spelling.distance(word, w);
            int allowed = Math.min(word.length(), w.length()) >= 6 ? 2 : 1;
            if (d <= allowed && d < bestDistance) {
                best = w;
                bestDistance = d;
            }
        }
        if (best == null) return null;
        return isValued(best) ? (FIELDS.contains(best + ":") ? best + ":" : best + "~") : best;
    }

    /** A value up to the next space or ')'. */
    private String bareValue(String expected) {
        int start = pos;
        while (pos < s.length() && !Character.isWhitespace(s.charAt(pos)) && s.charAt(pos) != ')') pos++;
        if (pos == start) throw fail(start, "expected " + expected + " here");
        return s.substring(start, pos);
    }

    /** A value in double quotes (backslash escapes a quote or a backslash), or bare. */
    private String text(String expected) {
        if (peek() != '"') return bareValue(expected);
        int open = pos++;
        StringBuilder b = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != '"') {
            char c = s.charAt(pos++);
            if (c == '\\' && pos < s.length() && (s.charAt(pos) == '"' || s.charAt(pos) == '\\')) c = s.charAt(pos++);
            b.append(c);
        }
        if (pos == s.length()) throw fail(open, "this quote is never closed: add a '\"' at the end of the text");
        pos++;
        return b.toString();
    }

    /** {@code /regex/flags}: a slash inside is written {@code \/}; flags are i, m, s, x. */
    private Pattern regex() {
        int open = pos;
        if (peek() != '/') throw fail(pos, "expected a regex between slashes, such as ~/error|fail/i");
        pos++;
        StringBuilder re = new StringBuilder();
        List<Integer> columns = new ArrayList<>(); // where each character of the regex is in the expression
        while (pos < s.length() && s.charAt(pos) != '/') {
            int at = pos;
            char c = s.charAt(pos++);
            if (c == '\\' && pos < s.length()) {
                char n = s.charAt(pos++);
                if (n != '/') {
                    re.append('\\');
                    columns.add(at);
                }
                re.append(n);
                columns.add(at + 1);
            } else {
                re.append(c);
                columns.add(at);
            }
        }
        columns.add(pos); // the closing slash: where a regex that ends too soon ends
        if (pos == s.length()) throw fail(open, "this regex is never closed: add a '/' after it (write a slash inside it as \\/)");
        pos++;
        int flags = 0;
        while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            flags |= switch (s.charAt(pos)) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                default -> throw fail(pos, "unknown regex flag '" + s.charAt(pos) + "': flags are i (ignore case), m, s and x");
            };
            pos++;
        }
        try {
            return Pattern.compile(re.toString(), flags);
        } catch (PatternSyntaxException e) {
            int index = e.getIndex() < 0 ? 0 : Math.min(e.getIndex(), columns.size() - 1);
            throw fail(columns.get(index), "bad regex: " + e.getDescription());
        }
    }

    private static String flagsOf(Pattern p) {
        StringBuilder b = new StringBuilder();
        if ((p.flags() & Pattern.CASE_INSENSITIVE) != 0) b.append('i');
        if ((p.flags() & Pattern.MULTILINE) != 0) b.append('m');
        if ((p.flags() & Pattern.DOTALL) != 0) b.append('s');
        if ((p.flags() & Pattern.COMMENTS) != 0) b.append('x');
        return b.toString();
    }

    private Terms.Dir directions(int at, String v) {
        EnumSet<Direction> dirs = EnumSet.noneOf(Direction.class);
        int itemAt = at;
        for (String item : v.split(",", -1)) {
            dirs.add(switch (item.toLowerCase(Locale.ROOT)) {
                case "c2s" -> Direction.C2S;
                case "s2c" -> Direction.S2C;
                default -> throw fail(itemAt, "dir takes c2s (client to server) or s2c (server to client), not '" + item + "'");
            });
            itemAt += item.length() + 1;
        }
        return new Terms.Dir(dirs);
    }

    private Terms.Ops opcodes(int at, String v) {
        int mask = 0;
        List<String> written = new ArrayList<>();
        int itemAt = at;
        for (String item : v.split(",", -1)) {
            String w = item.toLowerCase(Locale.ROOT);
            int bits = switch (w) {
                case "data" -> 0b111;
                case "control" -> 0xFF00;
                case "reserved" -> 0b1111_1000_1111_1000;
                default -> {
                    try {
                        yield 1 << Opcode.parse(w);
                    } catch (IllegalArgumentException e) {
                        throw fail(itemAt, "expected an opcode (text, binary, cont, close, ping, pong, a group data, control "
                                + "or reserved, or a number 0-15 such as 0x3), not '" + item + "'");
                    }
                }
            };
            mask |= bits;
            written.add(w.equals("continuation") ? "cont" : w);
            itemAt += item.length() + 1;
        }
        return new Terms.Ops(mask, String.join(",", written));
    }

    private Terms.Sessions sessions(int at, String v) {
        String[] items = v.split(",", -1);
        int[] from = new int[items.length];
        int[] to = new int[items.length];
        int itemAt = at;
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            int dots = item.indexOf("..");
            try {
                from[i] = Integer.parseInt(dots < 0 ? item : item.substring(0, dots));
                to[i] = dots < 0 ? from[i] : Integer.parseInt(item.substring(dots + 2));
            } catch (NumberFormatException e) {
                throw fail(itemAt, "expected a session number such as 3, or a range such as 2..5, not '" + item + "'");
            }
            if (from[i] < 0 || to[i] < from[i]) throw fail(itemAt, "the range " + item + " is empty: write the smaller number first");
            itemAt += item.length() + 1;
        }
        return new Terms.Sessions(from, to);
    }

    private Terms.Length length(int at, String v) {
        int dots = v.indexOf("..");
        try {
            if (dots >= 0) {
                long min = size(v.substring(0, dots));
                long max = size(v.substring(dots + 2));
                if (max < min) throw fail(at, "the range " + v + " is empty: write the smaller length first");
                return new Terms.Length(min, max, v);
            }
            String op = v.startsWith(">=") || v.startsWith("<=") ? v.substring(0, 2)
                    : v.startsWith(">") || v.startsWith("<") || v.startsWith("=") ? v.substring(0, 1) : "";
            long n = size(v.substring(op.length()));
            return switch (op) {
                case ">" -> new Terms.Length(n + 1, Long.MAX_VALUE, v);
                case ">=" -> new Terms.Length(n, Long.MAX_VALUE, v);
                case "<" -> new Terms.Length(0, n - 1, v);
                case "<=" -> new Terms.Length(0, n, v);
                default -> new Terms.Length(n, n, v);
            };
        } catch (NumberFormatException e) {
            throw fail(at, "expected a length such as >4k, <=125, 10..200 or 1M (k = 1024, M = 1024²), not '" + v + "'");
        }
    }

    private static long size(String v) {
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("K")) {
            unit = 1024;
        } else if (v.endsWith("M") || v.endsWith("m")) {
            unit = 1024 * 1024;
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) throw new NumberFormatException(v);
        return Math.multiplyExact(Long.parseLong(digits), unit);
    }

    private Terms.Contains hex(int at, String v) {
        String digits = v.replaceAll("[\\s:]", "");
        if (digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]+")) {
            throw fail(at, "expected pairs of hex digits such as \"de ad be ef\", not '" + v + "'");
        }
        return new Terms.Contains(HexFormat.of().parseHex(digits), true);
    }

    /** {@code /ptr}, then optionally an operator and a JSON scalar. */
    private JsonTerm json(int at) {
        if (peek() != '/') throw fail(at, "expected a JSON Pointer starting with '/', such as json:/type==\"subscribe\" or json:/user/id");
        int start = pos;
        while (pos < s.length() && "=!<>".indexOf(s.charAt(pos)) < 0 && !Character.isWhitespace(s.charAt(pos)) && s.charAt(pos) != ')') {
            pos++;
        }
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(s.substring(start, pos));
        } catch (IllegalArgumentException e) {
            throw fail(start, "bad JSON Pointer: " + e.getMessage());
        }
        int opAt = pos;
        JsonTerm.Op op = null;
        for (JsonTerm.Op o : new JsonTerm.Op[] {JsonTerm.Op.EQ, JsonTerm.Op.NE, JsonTerm.Op.LE, JsonTerm.Op.GE, JsonTerm.Op.LT, JsonTerm.Op.GT}) {
            if (s.startsWith(o.symbol, pos)) {
                op = o;
                pos += o.symbol.length();
                break;
            }
        }
        if (op == null) {
            if (pos < s.length() && "=!".indexOf(s.charAt(pos)) >= 0) throw fail(opAt, "expected ==, !=, <, <=, > or >= here");
            return new JsonTerm(pointer, null, null, null);
        }
        int valueAt = pos;
        String literal;
        if (peek() == '"') {
            int end = pos + 1;
            while (end < s.length() && s.charAt(end) != '"') end += s.charAt(end) == '\\' ? 2 : 1;
            if (end >= s.length()) throw fail(valueAt, "this quote is never closed: add a '\"' at the end of the string");
            literal = s.substring(pos, end + 1);
            pos = end + 1;
        } else {
            literal = bareValue("a JSON value such as \"subscribe\", 100, true or null");
        }
        Object value = scalar(valueAt, literal);
        if ((op != JsonTerm.Op.EQ && op != JsonTerm.Op.NE) && !(value instanceof String) && !(value instanceof java.math.BigDecimal)) {
            throw fail(valueAt, op.symbol + " compares numbers or strings, not " + literal);
        }
        return new JsonTerm(pointer, op, value, literal);
    }

    private Object scalar(int at, String literal) {
        try (JsonParser p = JSON.createParser(literal)) {
            JsonToken t = p.nextToken();
            Object value = t == null ? null : switch (t) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> JsonTerm.NULL;
                default -> null;
            };
            if (value == null || p.nextToken() != null) throw new IOException("not one scalar");
            return value;
        } catch (IOException e) {
            throw fail(at, "expected a JSON value: a \"string\" in double quotes, a number, true, false or null, not " + literal);
        }
    }

    private Terms.Viol violation(int at, String v) {
        if (v.matches("[0-9]+(\\.[0-9]+)*")) return new Terms.Viol(null, v);
        for (Violation.Rule r : Violation.Rule.values()) {
            if (r.id().equals(v.toLowerCase(Locale.ROOT))) return new Terms.Viol(r, null);
        }
        List<String> names = new ArrayList<>();
        for (Violation.Rule r : Violation.Rule.values()) names.add(r.id());
        throw fail(at, "expected a rule (" + String.join(", ", names) + ") or an RFC section such as 5.5, not '" + v + "'");
    }

    private Terms.Fates fates(int at, String v) {
        EnumSet<Fate> set = EnumSet.noneOf(Fate.class);
        int itemAt = at;
        for (String item : v.split(",", -1)) {
            try {
                set.add(Fate.parse(item.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                List<String> labels = new ArrayList<>();
                for (Fate f : Fate.values()) labels.add(f.label());
                throw fail(itemAt, "expected a fate (" + String.join(", ", labels) + "), not '" + item + "'");
            }
            itemAt += item.length() + 1;
        }
        return new Terms.Fates(set);
    }

    private Terms.CloseCodes closeCodes(int at, String v) {
        String[] items = v.split(",", -1);
        int[] codes = new int[items.length];
        int itemAt = at;
        for (int i = 0; i < items.length; i++) {
            try {
                codes[i] = Integer.parseInt(items[i]);
                if (codes[i] < 0 || codes[i] > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw fail(itemAt, "expected a close code such as 1000, 1001 or 1006, not '" + items[i] + "'");
            }
            itemAt += items[i].length() + 1;
        }
        return new Terms.CloseCodes(codes);
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    /** Whether {@code word} stands here as a word of its own (not the start of a field name). */
    private boolean isKeyword(String word) {
        if (!s.regionMatches(true, pos, word, 0, word.length())) return false;
        int end = pos + word.length();
        return end == s.length() || Character.isWhitespace(s.charAt(end)) || s.charAt(end) == '(' || s.charAt(end) == ')';
    }

    private boolean keyword(String word) {
        if (!isKeyword(word)) return false;
        pos += word.length();
        return true;
    }

    private FilterSyntaxException fail(int column, String problem) {
        return new FilterSyntaxException(s, column, problem);
    }
}
