package dev.wstap.filter;

import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.RuleHits;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The terms of the filter language, one record each; {@link FilterParser} makes them from text. */
public final class Terms {
    private Terms() {}

    /** Costs, for trying cheap terms first. */
    static final int HEADER = 1;
    static final int SESSION = 2;
    static final int PAYLOAD = 10;
    static final int JSON = 30;

    /** {@code frame}, {@code msg}, {@code open}, {@code closed}, {@code http}: the kind of event. */
    public enum Kind {
        FRAME("frame", "frame records"),
        MSG("msg", "whole-message records (one per text or binary message, fragments joined, inflated)"),
        OPEN("open", "sessions opening"),
        CLOSED("closed", "sessions ending"),
        HTTP("http", "HTTP requests that became no session (relayed, refused, answered by wstap)");

        final String word;
        final String meaning;

        Kind(String word, String meaning) {
            this.word = word;
            this.meaning = meaning;
        }

        boolean is(TapEvent e) {
            return switch (this) {
                case FRAME -> e instanceof FrameSeen;
                case MSG -> e instanceof MessageSeen;
                case OPEN -> e instanceof Opened;
                case CLOSED -> e instanceof Closed;
                case HTTP -> e instanceof HttpSeen;
            };
        }
    }

    public record KindTerm(Kind kind) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            return kind.is(event);
        }

        @Override
        public String text() {
            return kind.word;
        }

        @Override
        public String describe() {
            return kind.meaning;
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code dir:c2s}: frames and messages going this way ({@code dir:c2s,s2c}: either). */
    public record Dir(Set<Direction> dirs) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            return switch (event) {
                case FrameSeen f -> dirs.contains(f.dir());
                case MessageSeen m -> dirs.contains(m.dir());
                default -> false;
            };
        }

        @Override
        public String text() {
            return "dir:" + String.join(",", dirs.stream().sorted().map(Direction::label).toList());
        }

        @Override
        public String describe() {
            return dirs.size() == 2 ? "frames and messages either way"
                    : "frames and messages from the " + dirs.iterator().next().sender() + " to the " + dirs.iterator().next().receiver();
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code op:text,ping}: frames whose opcode, and messages whose type, is one of these; {@code mask} has bit N for opcode N. */
    public record Ops(int mask, String written) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            int op = switch (event) {
                case FrameSeen f -> f.frame().header().opcode();
                case MessageSeen m -> m.opcode();
                default -> -1;
            };
            return op >= 0 && (mask & (1 << op)) != 0;
        }

        @Override
        public String text() {
            return "op:" + written;
        }

        @Override
        public String describe() {
            List<String> names = new ArrayList<>();
            for (int op = 0; op < 16; op++) {
                if ((mask & (1 << op)) != 0) names.add(Opcode.name(op));
            }
            return "frames (and messages) whose opcode is " + String.join(", ", names);
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code sess:1,4..6}: every event of these sessions; {@code from[i]..to[i]} are the ranges. */
    public record Sessions(int[] from, int[] to) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            int conn = event.conn();
            for (int i = 0; i < from.length; i++) {
                if (conn >= from[i] && conn <= to[i]) return true;
            }
            return false;
        }

        @Override
        public String text() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < from.length; i++) parts.add(from[i] == to[i] ? String.valueOf(from[i]) : from[i] + ".." + to[i]);
            return "sess:" + String.join(",", parts);
        }

        @Override
        public String describe() {
            return "everything of session" + (from.length == 1 && from[0] == to[0] ? " " : "s ") + text().substring(5);
        }

        @Override
        public int cost() {
            return HEADER;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sessions s && java.util.Arrays.equals(from, s.from) && java.util.Arrays.equals(to, s.to);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(from) + java.util.Arrays.hashCode(to);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** The header bits a frame term can ask for. */
    public enum Bit {
        FIN_SET("fin:1", "frames with FIN set (the last frame of a message, or a whole one)"),
        FIN_CLEAR("fin:0", "frames without FIN (a message continues after them)"),
        RSV1("rsv1", "frames with RSV1 set (permessage-deflate: the message is compressed)"),
        RSV2("rsv2", "frames with RSV2 set"),
        RSV3("rsv3", "frames with RSV3 set"),
        MASKED("masked", "masked frames (a client's must be, a server's must not)");

        final String word;
        final String meaning;

        Bit(String word, String meaning) {
            this.word = word;
            this.meaning = meaning;
        }
    }

    /** {@code fin:1}, {@code rsv1}, {@code masked}: a bit of a frame's header. */
    public record HeaderBit(Bit bit) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            if (!(event instanceof FrameSeen f)) return false;
            FrameHeader h = f.frame().header();
            return switch (bit) {
                case FIN_SET -> h.isFinal();
                case FIN_CLEAR -> !h.isFinal();
                case RSV1 -> (h.rsv() & 4) != 0;
                case RSV2 -> (h.rsv() & 2) != 0;
                case RSV3 -> (h.rsv() & 1) != 0;
                case MASKED -> h.isMasked();
            };
        }

        @Override
        public String text() {
            return bit.word;
        }

        @Override
        public String describe() {
            return bit.meaning;
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code len:>4k}: a frame's payload length, or a message's (inflated) length, within {@code [min, max]}. */
    public record Length(long min, long max, String written) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            long len = switch (event) {
                case FrameSeen f -> f.frame().header().payloadLength();
                case MessageSeen m -> m.length();
                default -> -1;
            };
            return len >= 0 && len >= min && len <= max;
        }

        @Override
        public String text() {
            return "len:" + written;
        }

        @Override
        public String describe() {
            String range = max == Long.MAX_VALUE ? "at least " + min : min == 0 ? "at most " + max
                    : min == max ? "exactly " + min : min + " to " + max;
            return "frames and messages with a payload of " + range + " bytes";
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code body~/re/flags}: a frame's or message's text contains a match. */
    public record BodyRegex(Pattern pattern, String flags) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            String text = Payloads.text(event);
            return text != null && pattern.matcher(text).find();
        }

        @Override
        public String text() {
            return "body~" + slashed(pattern.pattern()) + flags;
        }

        @Override
        public String describe() {
            return "frames and messages whose text contains a match of " + pattern.pattern()
                    + (flags.isEmpty() ? "" : " (flags " + flags + ")");
        }

        @Override
        public int cost() {
            return PAYLOAD;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BodyRegex b && b.pattern.pattern().equals(pattern.pattern()) && b.flags.equals(flags);
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode() * 31 + flags.hashCode();
        }
    }

    /** {@code body:"text"} and {@code hex:"de ad"}: the payload's bytes contain these. */
    public record Contains(byte[] needle, boolean isHex) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            byte[] bytes = Payloads.bytes(event);
            return bytes != null && Payloads.contains(bytes, needle);
        }

        @Override
        public String text() {
            return isHex ? "hex:\"" + HexFormat.ofDelimiter(" ").formatHex(needle) + "\""
                    : "body:" + quoted(new String(needle, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String describe() {
            return "frames and messages whose payload contains " + (isHex ? "the bytes " + text().substring(4)
                    : "the text " + text().substring(5));
        }

        @Override
        public int cost() {
            return PAYLOAD;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Contains c && c.isHex == isHex && java.util.Arrays.equals(c.needle, needle);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(needle) * 31 + Boolean.hashCode(isHex);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** {@code viol}, {@code viol:invalid-utf8}, {@code viol:5.5}: what broke a rule (any, by name, by RFC section). */
    public record Viol(Violation.Rule rule, String section) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            // wstap's own error answers (400, 431, 502...) count for viol alone: they break no RFC 6455 rule.
            if (event instanceof HttpSeen h) return rule == null && section == null && h.error() != null;
            List<Violation> violations = switch (event) {
                case FrameSeen f -> f.frame().violations();
                case MessageSeen m -> m.violations();
                default -> List.of();
            };
            for (int i = 0; i < violations.size(); i++) {
                Violation.Rule r = violations.get(i).rule();
                if ((rule == null && section == null) || r == rule || (section != null && isInSection(r.section(), section))) return true;
            }
            return false;
        }

        /** {@code RFC 6455 §5.5.1} is in section {@code 5.5}, and {@code 5.5} in {@code 5}; {@code 5.50} is not in {@code 5.5}. */
        private static boolean isInSection(String ruleSection, String wanted) {
            String s = ruleSection.substring(ruleSection.indexOf('§') + 1);
            return s.equals(wanted) || s.startsWith(wanted + ".");
        }

        @Override
        public String text() {
            return rule != null ? "viol:" + rule.id() : section != null ? "viol:" + section : "viol";
        }

        @Override
        public String describe() {
            return rule != null ? "frames and messages that broke " + rule.id() + " (" + rule.section() + ")"
                    : section != null ? "frames and messages that broke a rule of section " + section
                    : "frames and messages that broke a protocol rule, and wstap's own error answers to HTTP requests";
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code injected}, {@code dropped}, {@code fate:held,released}: what happened to a frame at wstap. */
    public record Fates(Set<Fate> fates) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            return switch (event) {
                case FrameSeen f -> fates.contains(f.fate());
                // A message left with the frame that ended it: wstap's own, or forwarded.
                case MessageSeen m -> fates.contains(m.isInjected() ? Fate.INJECTED : Fate.FORWARDED);
                default -> false;
            };
        }

        @Override
        public String text() {
            List<String> labels = fates.stream().sorted().map(Fate::label).toList();
            return labels.size() == 1 ? labels.get(0) : "fate:" + String.join(",", labels);
        }

        @Override
        public String describe() {
            return "frames whose fate at wstap is " + String.join(" or ", fates.stream().sorted().map(Fate::label).toList());
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    /** {@code url~/re/} and {@code url:"text"}: the session's URL (or an HTTP request's). */
    public record Url(Pattern pattern, String flags, String contains) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            String url = event instanceof HttpSeen h ? h.url() : session == null ? null : session.url();
            if (url == null) return false;
            return pattern != null ? pattern.matcher(url).find() : url.contains(contains);
        }

        @Override
        public String text() {
            return pattern != null ? "url~" + slashed(pattern.pattern()) + flags : "url:" + quoted(contains);
        }

        @Override
        public String describe() {
            return "everything of sessions (and HTTP requests) whose URL "
                    + (pattern != null ? "contains a match of " + pattern.pattern() + (flags.isEmpty() ? "" : " (flags " + flags + ")")
                    : "contains " + quoted(contains));
        }

        @Override
        public int cost() {
            return SESSION;
        }

        @Override
        public boolean needsSession() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Url u && u.text().equals(text());
        }

        @Override
        public int hashCode() {
            return text().hashCode();
        }
    }

    /** {@code host:*.example.com}, {@code sub:chat.*}, {@code client:10.0.*}: a session's host, subprotocol or client, by glob. */
    /** {@code rule:"slow server"}, {@code rule:slow*}, {@code rule:#2}: frames that rules hit, by the rule's name (a glob). */
    public record RuleName(String glob, Pattern pattern) implements Term {
        RuleName(String glob) {
            this(glob, globPattern(glob, false));
        }

        @Override
        public boolean matches(TapEvent event, Opened session) {
            if (!(event instanceof FrameSeen f) || f.note() == null) return false;
            for (String name : RuleHits.rules(f.note())) {
                if (pattern.matcher(name).matches()) return true;
            }
            return false;
        }

        @Override
        public String text() {
            return "rule:" + value(glob);
        }

        @Override
        public String describe() {
            return "frames that a rule named " + glob + " hit (a glob: * and ?)";
        }

        @Override
        public int cost() {
            return HEADER;
        }
    }

    public record SessionGlob(Field field, String glob, Pattern pattern) implements Term {
        /** What a glob term reads of a session. */
        public enum Field { HOST, SUB, CLIENT }

        SessionGlob(Field field, String glob) {
            this(field, glob, globPattern(glob, field != Field.SUB));
        }

        @Override
        public boolean matches(TapEvent event, Opened session) {
            String value = switch (field) {
                case HOST -> hostOf(event instanceof HttpSeen h ? h.url() : session == null ? null : session.url());
                case SUB -> session == null ? null : session.subprotocol();
                case CLIENT -> {
                    String client = event instanceof HttpSeen h ? h.client() : session == null ? null : session.client();
                    // client:127.0.0.1 matches any port; client:127.0.0.1:5000 one.
                    yield client == null || glob.contains("]:") || (!glob.startsWith("[") && glob.indexOf(':') >= 0
                            && glob.indexOf(':') == glob.lastIndexOf(':')) ? client : withoutPort(client);
                }
            };
            return value != null && pattern.matcher(value).matches();
        }

        @Override
        public String text() {
            return field.name().toLowerCase(Locale.ROOT) + ":" + value(glob);
        }

        @Override
        public String describe() {
            String what = switch (field) {
                case HOST -> "whose upstream host is";
                case SUB -> "whose agreed subprotocol is";
                case CLIENT -> "whose client address is";
            };
            return "everything of sessions " + what + " " + glob + (glob.contains("*") || glob.contains("?") ? " (a glob)" : "");
        }

        @Override
        public int cost() {
            return SESSION;
        }

        @Override
        public boolean needsSession() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionGlob g && g.field == field && g.glob.equals(glob);
        }

        @Override
        public int hashCode() {
            return field.hashCode() * 31 + glob.hashCode();
        }

        private static String withoutPort(String address) {
            int colon = address.lastIndexOf(':');
            if (colon < 0 || (address.indexOf(':') != colon && !address.startsWith("["))) return address;
            String host = address.substring(0, colon);
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }

        private static String hostOf(String url) {
            if (url == null) return null;
            try {
                String host = URI.create(url).getHost();
                if (host != null && host.startsWith("[")) host = host.substring(1, host.length() - 1);
                return host;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** {@code close:1000,1001}: close frames with these codes, and sessions that ended with them. */
    public record CloseCodes(int[] codes) implements Term {
        @Override
        public boolean matches(TapEvent event, Opened session) {
            int code = switch (event) {
                case FrameSeen f when f.frame().header().opcode() == Opcode.CLOSE -> {
                    byte[] p = f.frame().preview();
                    yield p.length >= 2 ? ((p[0] & 0xFF) << 8) | (p[1] & 0xFF) : NO_STATUS;
                }
                // RFC 6455 §7.1.5: 1005 when the close frame had no code, 1006 when there was no close frame at all.
                case Closed c -> c.code() >= 0 ? c.code() : c.isClean() ? NO_STATUS : ABNORMAL;
                default -> -1;
            };
            for (int c : codes) {
                if (c == code) return true;
            }
            return false;
        }

        static final int NO_STATUS = 1005;
        static final int ABNORMAL = 1006;

        @Override
        public String text() {
            return "close:" + String.join(",", java.util.Arrays.stream(codes).mapToObj(String::valueOf).toList());
        }

        @Override
        public String describe() {
            return "close frames with the code " + text().substring(6).replace(",", " or ") + ", and sessions that ended with it "
                    + "(1005: a close without a code, 1006: no close frame at all)";
        }

        @Override
        public int cost() {
            return HEADER;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CloseCodes c && java.util.Arrays.equals(c.codes, codes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(codes);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** A regex between slashes, with the slashes inside it escaped. */
    static String slashed(String regex) {
        StringBuilder b = new StringBuilder("/");
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                b.append(c).append(regex.charAt(++i));
            } else {
                if (c == '/') b.append('\\');
                b.append(c);
            }
        }
        return b.append('/').toString();
    }

    /** A value as it may stand after a field: bare when it reads back bare, else in quotes. */
    static String value(String s) {
        return !s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || c == ')' || c == '"') ? s : quoted(s);
    }

    /** A string in double quotes, with quotes and backslashes escaped. */
    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A glob ({@code *} any run of characters, {@code ?} one) as a whole-string pattern. */
    static Pattern globPattern(String glob, boolean isCaseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), isCaseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
