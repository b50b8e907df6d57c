package dev.wstap.render;

import dev.wstap.tap.RuleHits;

import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.Gap;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.Interest;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Utf8Validator;
import dev.wstap.wire.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * Turns tap events into terminal lines. A frame is one header line (time, session, direction,
 * opcode, FIN, RSV, mask key, length, markers), its violations, then its payload in the chosen view.
 * No I/O; colour is decided by whoever prints the lines. It remembers, per open session, the
 * agreed extensions it cannot decode, to name them on frames that use them. Not thread safe: one
 * console thread renders.
 *
 * <pre>
 * 12:00:01.234567 #1 client→server text  fin rsv=000 mask=37fa213d len=5
 *     Hello
 * </pre>
 */
public final class ConsoleView {
    private static final String INDENT = "    ";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    /** How much of each payload the console shows by default: a screenful, not a flood. */
    public static final int DEFAULT_SHOWN_BYTES = 1024;

    private volatile ViewMode mode;
    private final int shownBytes;
    private final ZoneId zone;
    private final java.util.Map<Integer, List<String>> undecodableExtensions = new java.util.HashMap<>();

    /** {@code shownBytes}: at most this much of each payload is shown (the log may keep more). */
    public ConsoleView(ViewMode mode, int shownBytes, ZoneId zone) {
        if (shownBytes < 0) throw new IllegalArgumentException("shownBytes " + shownBytes + " is negative");
        this.mode = mode;
        this.shownBytes = shownBytes;
        this.zone = zone;
    }

    /** Shows all that was kept of each payload. */
    public ConsoleView(ViewMode mode, ZoneId zone) {
        this(mode, Integer.MAX_VALUE, zone);
    }

    /**
     * The events a view in {@code mode} shows: every message in messages mode; in the others
     * frames, and the messages that differ from their single frame.
     */
    public static Set<Interest> interests(ViewMode mode) {
        return mode == ViewMode.MESSAGES ? Interest.EVERYTHING
                : Set.of(Interest.SESSIONS, Interest.FRAMES, Interest.MESSAGES_UNLIKE_FRAMES);
    }

    /** Changes how payloads are shown from the next event on (the shell's {@code view}); any thread. */
    public void setMode(ViewMode mode) {
        this.mode = mode;
    }

    public ViewMode mode() {
        return mode;
    }

    public List<AttributedString> render(TapEvent event) {
        return switch (event) {
            // In messages mode, a frame that is part of a message is shown by that message's line;
            // the frames of no message (control frames, reserved opcodes, a continuation of nothing) as they are.
            case FrameSeen e -> mode != ViewMode.MESSAGES || e.isDropped() || !e.frame().isPartOfMessage() ? frame(e) : List.of();
            // Elsewhere, a message that is its single frame was shown as that frame.
            case MessageSeen e -> mode == ViewMode.MESSAGES || !e.isSameAsFrame() ? message(e) : List.of();
            case Opened e -> {
                List<String> unknown = dev.wstap.http.Extensions.undecodable(e.extensions());
                if (!unknown.isEmpty()) undecodableExtensions.put(e.conn(), unknown);
                yield List.of(opened(e));
            }
            case Closed e -> {
                undecodableExtensions.remove(e.conn());
                yield List.of(closed(e));
            }
            case HttpSeen e -> List.of(http(e));
        };
    }

    /**
     * The line printed where a console fell behind and left frames out: how many, and for each
     * session the first and last of them by time, e.g. {@code … console fell behind: 44830 frames
     * not shown here: #1 44828 frames 16:01:02.123456 to 16:01:09.654321, #3 2 frames ...}.
     */
    public AttributedString skipped(Gap gap) {
        StringBuilder b = new StringBuilder("… console fell behind: ").append(count(gap.frames(), "frame"));
        if (gap.messages() > 0) b.append(" and ").append(count(gap.messages(), "message"));
        b.append(" not shown here:");
        String sep = " ";
        for (Gap.Run r : gap.runs()) {
            b.append(sep).append('#').append(r.conn()).append(' ').append(count(r.frames() + r.messages(), "record"));
            b.append(' ').append(time(r.first()));
            if (!r.last().equals(r.first())) b.append(" to ").append(time(r.last()));
            sep = ", ";
        }
        b.append(" (traffic was not slowed; --log keeps everything)");
        return new AttributedStringBuilder().styled(Palette.NOTE, b.toString()).toAttributedString();
    }

    private String time(java.time.Instant t) {
        return TIME.format(t.atZone(zone));
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** How a frame whose fate is not the default is marked: {@code [dropped: why]}; null for forwarded and injected frames. */
    private static String fateMark(FrameSeen e) {
        String what = switch (e.fate()) {
            case FORWARDED, INJECTED -> null;
            case AFTER_CLOSE -> "not forwarded: wstap closed this way";
            case HELD -> "held";
            case RELEASED -> "released";
            default -> e.fate().label();
        };
        if (what == null) return null;
        if (e.note() == null) return "[" + what + "]";
        // A rule's hit says itself: [rule "slow server": delay 200 ms]; a dropped frame says so too.
        if (RuleHits.isRuleNote(e.note())) return "[" + (e.isDropped() ? what + ": " : "") + e.note() + "]";
        // A held message's number reads as part of the mark: [held #3], [edited #3 --replace /a/b/].
        return "[" + what + (e.note().startsWith("#") ? " " : ": ") + e.note() + "]";
    }

    private AttributedStringBuilder start(TapEvent e) {
        return new AttributedStringBuilder()
                .styled(Palette.TIME, TIME.format(e.time().atZone(zone))).append(' ')
                .styled(Palette.SESSION, "#" + e.conn()).append(' ');
    }

    private List<AttributedString> frame(FrameSeen e) {
        ParsedFrame f = e.frame();
        FrameHeader h = f.header();
        List<AttributedString> out = new ArrayList<>(4);
        AttributedStringBuilder s = start(e);
        s.styled(e.dir() == Direction.C2S ? Palette.C2S : Palette.S2C, e.dir() == Direction.C2S ? "client→server" : "server→client");
        s.append(' ').styled(h.isControl() ? Palette.CONTROL_OPCODE : Palette.DATA_OPCODE, String.format("%-6s", Opcode.name(h.opcode())));
        s.append(h.isFinal() ? " fin=1" : " fin=0");
        s.styled(h.rsv() == 0 ? Palette.DETAIL : Palette.NOTE, " rsv=" + rsvBits(h.rsv()));
        s.styled(Palette.DETAIL, " mask=" + (h.isMasked() ? h.maskHex() : "--------"));
        s.append(" len=").append(h.lengthText());
        if (h.lengthEncoding() != dev.wstap.wire.LengthEncoding.minimalFor(h.payloadLength())) {
            s.styled(Palette.DETAIL, " (" + h.lengthEncoding().name().toLowerCase(Locale.ROOT).replace("bits_", "") + "-bit)");
        }
        if (e.roundTrip() != null) s.styled(Palette.NOTE, " rtt=" + millis(e.roundTrip()));
        if (e.isInjected()) s.append(' ').styled(Palette.INJECTED, "[injected]");
        String fate = fateMark(e);
        if (fate != null) s.append(' ').styled(Palette.NOTE, fate);
        if (f.hasViolations()) s.append(' ').styled(Palette.VIOLATION, "⚠ " + f.violations().size());
        out.add(s.toAttributedString());
        violationLines(f.violations(), out);
        if (mode == ViewMode.HEADERS) return out;
        if (h.opcode() == Opcode.CLOSE && mode != ViewMode.HEX) {
            out.add(closeLine(f));
        } else if (f.isCompressed() && mode != ViewMode.HEX) {
            if (h.opcode() != Opcode.CONTINUATION) {
                out.add(new AttributedStringBuilder().append(INDENT)
                        .styled(Palette.NOTE, "compressed (permessage-deflate): inflated in the message line").toAttributedString());
            }
        } else {
            boolean isText = f.isText() || (h.isControl() && isPrintable(f.preview()));
            // A frame of wstap's own that declares more than it carries (raw --len): what was cut it is
            // what was sent, not --max-preview.
            payload(f.preview(), isText, h.payloadLength(), e.isInjected() ? "sent" : null, out);
        }
        List<String> unknown = undecodableExtensions.get(e.conn());
        if (h.rsv() != 0 && !f.hasViolations() && !f.isCompressed() && unknown != null) {
            out.add(new AttributedStringBuilder().append(INDENT).styled(Palette.NOTE, "RSV bits of " + String.join(", ", unknown)
                    + ", an extension wstap does not decode: payload shown as sent").toAttributedString());
        }
        return out;
    }

    private static void violationLines(List<Violation> violations, List<AttributedString> out) {
        for (Violation v : violations) {
            out.add(new AttributedStringBuilder().append(INDENT)
                    .styled(Palette.VIOLATION, "⚠ " + v.rule().id() + ": " + v.message()).toAttributedString());
        }
    }

    private List<AttributedString> message(MessageSeen e) {
        List<AttributedString> out = new ArrayList<>(4);
        AttributedStringBuilder s = start(e);
        s.styled(e.dir() == Direction.C2S ? Palette.C2S : Palette.S2C, e.dir() == Direction.C2S ? "client→server" : "server→client");
        s.append(' ').styled(Palette.OPEN, "message").append(' ').styled(Palette.DATA_OPCODE, Opcode.name(e.opcode()));
        if (e.fragments() > 1) s.styled(Palette.DETAIL, " " + e.fragments() + " fragments");
        if (e.isCompressed()) {
            s.append(" compressed " + e.wireLength() + " B → " + e.length() + " B");
        } else {
            s.append(" len=" + e.length());
        }
        if (e.isInjected()) s.append(' ').styled(Palette.INJECTED, "[injected]");
        if (!e.violations().isEmpty()) s.append(' ').styled(Palette.VIOLATION, "⚠ " + e.violations().size());
        out.add(s.toAttributedString());
        violationLines(e.violations(), out);
        if (mode != ViewMode.HEADERS) payload(e.preview(), e.isText(), e.length(), null, out);
        return out;
    }

    /**
     * A payload in the chosen view, cut at {@code shownBytes}, with a note when there was more;
     * {@code keptAs}, when not null, says why fewer bytes than declared were kept ({@code sent}).
     */
    private void payload(byte[] kept, boolean isTextPayload, long totalLength, String keptAs, List<AttributedString> out) {
        byte[] p = kept.length <= shownBytes ? kept : Arrays.copyOf(kept, isTextPayload
                ? Utf8Validator.withoutCutSequence(kept, shownBytes) : shownBytes);
        if (p.length > 0) {
            boolean isText = isTextPayload;
            if (mode == ViewMode.HEX || (!isText && mode != ViewMode.TEXT)) {
                out.addAll(HexDump.lines(p, INDENT));
            } else {
                String text = new String(p, StandardCharsets.UTF_8);
                List<AttributedString> json = null;
                if (mode == ViewMode.JSON || (mode != ViewMode.TEXT && JsonView.looksLikeJson(text))) {
                    json = JsonView.lines(text, INDENT);
                }
                out.addAll(json != null ? json : TextView.lines(text, INDENT));
            }
        }
        if (p.length < kept.length || totalLength != kept.length) {
            String why = p.length < kept.length ? "shown (--show-bytes)" : keptAs != null ? keptAs : "shown (--max-preview)";
            out.add(new AttributedStringBuilder().append(INDENT).styled(Palette.NOTE, "… " + Long.toUnsignedString(totalLength)
                    + " bytes in all, first " + p.length + " " + why).toAttributedString());
        }
    }

    private static AttributedString closeLine(ParsedFrame f) {
        ClosePayload c = f.closePayload();
        AttributedStringBuilder s = new AttributedStringBuilder().append(INDENT);
        if (!c.hasCode()) {
            s.styled(Palette.DETAIL, f.header().payloadLength() == 1 ? "one stray byte, no code" : "no status code (1005)");
        } else {
            s.append("code " + c.code() + " ").styled(Palette.DETAIL, CloseCode.name(c.code()));
            if (!c.reason().isEmpty()) s.append(" reason \"" + TextView.escapeLine(c.reason()) + "\"");
        }
        return s.toAttributedString();
    }

    private AttributedString opened(Opened e) {
        AttributedStringBuilder s = start(e);
        s.styled(Palette.OPEN, "open").append(' ').append(e.client()).append(" → ").append(e.url());
        if (e.subprotocol() != null) s.styled(Palette.DETAIL, "  subprotocol=").append(e.subprotocol());
        if (e.extensions() != null) s.styled(Palette.DETAIL, "  extensions=").append(e.extensions());
        if ("wstap".equals(e.client())) {
            // wstap connect: wstap is the client, so there is no client side to describe.
            if (e.upstreamTls() != null) s.styled(Palette.DETAIL, "  ").append(tls(e.upstreamTls(), true));
        } else if (e.clientTls() != null || e.upstreamTls() != null) {
            s.styled(Palette.DETAIL, "  client ").append(tls(e.clientTls(), false))
                    .styled(Palette.DETAIL, " · upstream ").append(tls(e.upstreamTls(), true));
        }
        return s.toAttributedString();
    }

    private AttributedString closed(Closed e) {
        AttributedStringBuilder s = start(e);
        if ("wstap".equals(e.closedBy()) && e.code() >= 0 && e.error() != null && e.error().startsWith("--strict")) {
            // --strict: wstap closed the session itself, on purpose.
            s.styled(Palette.OPEN, "closed by wstap").append(": ").styled(Palette.ERROR, e.error());
        } else if (e.isClean() || e.code() >= 0) {
            s.styled(Palette.OPEN, "closed").append(" by " + e.closedBy());
            if (e.code() >= 0) {
                s.append(": " + e.code() + " ").styled(Palette.DETAIL, CloseCode.name(e.code()));
                if (!e.reason().isEmpty()) s.append(" \"" + TextView.escapeLine(e.reason()) + "\"");
            } else {
                s.append(": no status code");
            }
            if (e.closeAnswer() != null) s.styled(Palette.DETAIL, " · answered in " + millis(e.closeAnswer()));
        } else {
            s.styled(Palette.ERROR, "ended abnormally").append(": ").append(e.closedBy() == null ? "connection lost"
                    : e.closedBy().equals("wstap") ? "wstap closed both connections"
                    : e.closedBy() + " dropped the connection without a close frame");
        }
        boolean isErrorShown = "wstap".equals(e.closedBy()) && e.code() >= 0 && e.error() != null && e.error().startsWith("--strict");
        boolean isRestated = !e.isClean() && e.code() < 0 && e.error() != null && e.error().endsWith("without a close frame");
        if (e.error() != null && !isErrorShown && !isRestated) s.styled(Palette.ERROR, " (" + e.error() + ")");
        s.styled(Palette.DETAIL, " · " + seconds(e.duration()) + " · c2s " + traffic(e.c2s()) + " · s2c " + traffic(e.s2c()));
        if (e.pings().count() > 0) {
            s.styled(Palette.DETAIL, " · ping rtt min/avg/max " + millis(e.pings().min()) + "/" + millis(e.pings().avg())
                    + "/" + millis(e.pings().max()));
        }
        return s.toAttributedString();
    }

    private AttributedString http(HttpSeen e) {
        AttributedStringBuilder s = start(e);
        if (e.method().equals("-")) {
            s.append(e.client()).append(" sent no request → ");
        } else {
            s.append(e.method()).append(' ').append(e.url()).append(" → ");
        }
        if (e.status() == 0) {
            s.styled(Palette.ERROR, "no response");
        } else {
            s.styled(e.status() >= 400 ? Palette.ERROR : Palette.PLAIN, e.status() + " " + e.reason());
        }
        if (e.error() != null) s.append(": ").styled(Palette.ERROR, e.error());
        else s.styled(Palette.DETAIL, e.isUpgrade() ? "  (upgrade refused)" : "  (plain HTTP)");
        return s.toAttributedString();
    }

    /** {@code wss TLSv1.3 TLS_AES_128_GCM_SHA256 sni=example.com}, or {@code ws} without TLS. */
    private static String tls(dev.wstap.tls.TlsInfo t, boolean isUpstream) {
        if (t == null) return "ws";
        String s = "wss " + t.protocol() + " " + t.cipher() + (t.sni() != null ? " sni=" + t.sni() : "");
        if (isUpstream && t.peerSubject() != null) s += " cert=" + t.peerSubject();
        if (isUpstream && t.clientCertificate() != null) s += " client-cert=" + (t.clientCertificate().isEmpty() ? "none" : t.clientCertificate());
        return s;
    }

    private static String rsvBits(int rsv) {
        return "" + ((rsv >> 2) & 1) + ((rsv >> 1) & 1) + (rsv & 1);
    }

    private static boolean isPrintable(byte[] bytes) {
        if (!Utf8Validator.isValidUtf8(bytes, 0, bytes.length)) return false;
        for (byte b : bytes) if ((b & 0xFF) < 0x20 && b != '\n' && b != '\t' && b != '\r') return false;
        return true;
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f ms", d.toNanos() / 1e6);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }

    private static String traffic(Traffic t) {
        return t.frames() + " frame" + (t.frames() == 1 ? "" : "s") + " " + t.messages() + " msg " + t.bytes() + " B"
                + (t.dropped() > 0 ? " (" + t.dropped() + " not forwarded)" : "");
    }
}
