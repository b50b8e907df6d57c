package dev.wstap.replay;

import com.fasterxml.jackson.core.JsonPointer;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.filter.Expr;
import dev.wstap.tap.Closed;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Fragmentation;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A replay of one side of a {@link Recording}, sans I/O: it is told what the live peer sent
 * ({@link #received}), that the session ended ({@link #ended}) and what time it is, and answers
 * with what to do next ({@link #next}): send a frame's bytes, wait, or stop. It keeps the steps and
 * the differences found, for the summary, the exit code and the JUnit report. Thread safe: the
 * driver calls it from one thread, a signal may stop it from another.
 *
 * <p>Each recorded frame of the replayed side goes as it was recorded (FIN, RSV bits, opcode,
 * length form, payload; masked with a fresh key when it was masked), except that a data message is
 * cut anew when its payload changed (a captured value put in) or when it was compressed: then it
 * is compressed again by wstap for the live session (or sent plain when the live peer did not agree
 * to permessage-deflate), in the recorded fragments where they fit.
 */
public final class Replayer {
    /**
     * @param speed   for {@link Pacing#original}: 2 sends twice as fast
     * @param match   when not null, only the peer's messages and frames it matches count as awaited
     * @param ignored JSON pointers that {@code --expect-same} leaves out
     */
    public record Settings(Side side, Pacing pacing, double speed, Expr match, List<Capture> captures, boolean isExpectSame,
                           List<JsonPointer> ignored, Duration waitTimeout) {}

    /** What the driver does next. */
    public sealed interface Action {
        /** Write one frame's bytes towards the peer. */
        record Send(byte[] bytes) implements Action {}

        /** Nothing until the peer sends something or the clock reaches {@code untilNanos}. */
        record Wait(long untilNanos) implements Action {}

        /** The replay is over; what is still open is closed. */
        record Done() implements Action {}
    }

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /** One step, for the report: a frame sent, a message compared, the end. */
    public record Step(String name, Outcome outcome, String detail, Duration took) {}

    /** A recorded frame of the replayed side, and what the peer had sent before it. */
    private record Planned(Recording.Frame frame, Recording.Unit unit, int indexInUnit, Map<Integer, Integer> awaited) {}

    private final Recording recording;
    private final Settings settings;
    private final RandomGenerator masks;
    private final Consumer<String> notes;
    private final Direction ours;
    private final Direction peer;
    private final List<Planned> plan = new ArrayList<>();
    private final Map<Integer, Integer> awaitedAtEnd;
    private final Map<String, List<Recording.Unit>> recordedByKind = new HashMap<>();
    private final Map<String, String> recordedValues = new HashMap<>();
    private final Map<String, String> liveValues = new LinkedHashMap<>();
    private final Map<String, Integer> liveByKind = new HashMap<>();
    private final Map<Integer, Integer> liveCounts = new TreeMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final Deque<byte[]> messageFrames = new ArrayDeque<>();
    /** Pongs owed to the live peer's pings, sent before anything else. */
    private final Deque<byte[]> answers = new ArrayDeque<>();
    private int next;
    private long startNanos;
    private long lastStepNanos;
    private long waitSince = -1;
    private Opened live;
    private DeflateParameters agreed;
    private MessageDeflater deflater;
    private boolean isPeerEnded;
    /** How the session ended, for messages: {@code the server closed it (1011 "oops")}. */
    private String peerEnd;
    /** The close the live peer sent, or null before it did: after it, the peer sends nothing more. */
    private ClosePayload peerClose;
    private boolean isDone;
    private boolean isCompleted;
    private boolean isPlainNoteSaid;
    private int failures;
    private int compared;

    /** @throws ReplayException when the recording cannot be replayed as {@code settings.side()}: a frame it must send was not logged whole */
    public Replayer(Recording recording, Settings settings, RandomGenerator masks, Consumer<String> notes) throws ReplayException {
        this.recording = recording;
        this.settings = settings;
        this.masks = masks;
        this.notes = notes;
        this.ours = settings.side().sends();
        this.peer = settings.side().peerSends();
        for (Recording.Frame f : recording.frames(ours)) {
            if (f.isTruncated()) {
                throw new ReplayException(f.describe() + " was logged with its first " + f.payload().length
                        + " bytes only, and a replay sends whole frames: record the session with --log-payload full");
            }
        }
        Map<Recording.Frame, Recording.Unit> unitOf = new IdentityHashMap<>();
        for (Recording.Unit u : recording.units()) u.frames().forEach(f -> unitOf.put(f, u));
        Map<Integer, Integer> counts = new TreeMap<>();
        Deque<byte[]> unansweredPings = new ArrayDeque<>();
        for (Recording.Frame f : recording.frames()) {
            Recording.Unit u = unitOf.get(f);
            int opcode = f.header().opcode();
            if (f.dir() == peer && opcode == Opcode.PING) unansweredPings.add(f.payload());
            if (f.dir() == ours) {
                // A pong that answered the peer's ping is made anew for the live peer's pings (see received).
                if (opcode == Opcode.PONG && removeFirst(unansweredPings, f.payload())) continue;
                plan.add(new Planned(f, u, indexIn(u, f), Map.copyOf(counts)));
            } else if (u.frames().get(u.frames().size() - 1) == f && isAwaited(u, recording.opened())) {
                counts.merge(u.opcode(), 1, Integer::sum);
            }
        }
        this.awaitedAtEnd = Map.copyOf(counts);
        for (Recording.Unit u : recording.units(peer)) {
            String kind = comparedKind(u.opcode());
            if (kind != null && u.isComplete() && isCounted(u.opcode(), u.asEvent(recording.opened().conn()), recording.opened())) {
                recordedByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(u);
            }
            for (Capture c : settings.captures()) {
                if (recordedValues.containsKey(c.name()) || !u.isKnown()) continue;
                String v = c.valueIn(u.asEvent(recording.opened().conn()), u.payload(), u.opcode() == Opcode.TEXT, recording.opened());
                if (v != null) recordedValues.put(c.name(), v);
            }
        }
    }

    /** Removes the first of {@code pings} equal to {@code payload}; true when there was one. */
    private static boolean removeFirst(Deque<byte[]> pings, byte[] payload) {
        for (var it = pings.iterator(); it.hasNext(); ) {
            if (Arrays.equals(it.next(), payload)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private static int indexIn(Recording.Unit u, Recording.Frame f) {
        for (int i = 0; i < u.frames().size(); i++) {
            if (u.frames().get(i) == f) return i;
        }
        throw new IllegalStateException("a frame outside its unit");
    }

    /** Whether the peer's recorded unit counts as something to wait for: a whole message or a frame of its own, that --match matches. */
    private boolean isAwaited(Recording.Unit u, Opened session) {
        if (u.opcode() == Opcode.CONTINUATION || !u.isComplete()) return false; // live, a stray piece makes no event to count
        if (u.opcode() == Opcode.PING) return false; // a keep-alive on the peer's own clock, not an answer to anything
        return isCounted(u.opcode(), u.asEvent(session.conn()), session);
    }

    /** Whether a unit of the peer's counts: a close always (nothing follows it), the rest when --match matches. */
    private boolean isCounted(int opcode, TapEvent event, Opened session) {
        return opcode == Opcode.CLOSE || settings.match() == null || settings.match().matches(event, session);
    }

    /** The kinds --expect-same compares: data messages, and the close frame. */
    private static String comparedKind(int opcode) {
        if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) return "message";
        return opcode == Opcode.CLOSE ? "close" : null;
    }

    /** The live session began: {@code live} as it opened, with {@code agreed} permessage-deflate parameters or null. */
    public synchronized void start(long nanos, Opened live, DeflateParameters agreed) {
        this.startNanos = nanos;
        this.lastStepNanos = nanos;
        this.live = live;
        this.agreed = agreed;
        boolean wasCompressed = recording.units(ours).stream().anyMatch(Recording.Unit::isCompressed);
        if (wasCompressed && agreed == null) {
            note("the " + settings.side().peer() + " did not agree to permessage-deflate: the messages recorded compressed go uncompressed");
            isPlainNoteSaid = true;
        }
    }

    /** An event of the live session, from the tap: the peer's messages and frames count; the rest is passed over. */
    public synchronized void received(TapEvent event, long nanos) {
        if (isDone || event.conn() != live.conn()) return;
        int opcode;
        byte[] payload;
        switch (event) {
            case MessageSeen m when m.dir() == peer -> {
                opcode = m.opcode();
                payload = m.preview();
            }
            case FrameSeen f when f.dir() == peer && !Opcode.isMessage(f.frame().header().opcode())
                    && f.frame().header().opcode() != Opcode.CONTINUATION -> {
                opcode = f.frame().header().opcode();
                payload = f.frame().preview();
            }
            case Closed c -> {
                ended(nanos, howItEnded(c));
                return;
            }
            default -> {
                return;
            }
        }
        boolean isCounted = isCounted(opcode, event, live);
        if (isCounted) liveCounts.merge(opcode, 1, Integer::sum);
        if (opcode == Opcode.CLOSE && peerClose == null) peerClose = ClosePayload.parse(payload);
        if (opcode == Opcode.PING && peerClose == null && !isOurCloseSent()) {
            // As the recorded side answered its peer's pings, with the live ping's payload (RFC 6455 §5.5.3).
            answers.add(FrameEncoder.frame(true, Opcode.PONG, ours == Direction.C2S ? masks.nextInt() : null, payload));
        }
        for (Capture c : settings.captures()) {
            if (liveValues.containsKey(c.name())) continue;
            String v = c.valueIn(event, payload, opcode == Opcode.TEXT, live);
            if (v == null) continue;
            liveValues.put(c.name(), v);
            String was = recordedValues.get(c.name());
            note("captured " + c.name() + " = " + shown(v) + (was == null ? "" : was.equals(v) ? " (as recorded)" : " (recorded: " + shown(was) + ")"));
        }
        if (settings.isExpectSame() && isCounted) compare(opcode, payload, nanos);
    }

    /** {@code the server closed it (1011 "oops")}, {@code wstap ended it: wstap was stopped}: how a session ended, in a phrase. */
    private String howItEnded(Closed c) {
        String close = c.code() >= 0 ? " (" + c.code() + (c.reason().isEmpty() ? "" : " \"" + c.reason() + "\"") + ")" : "";
        String error = c.error() == null ? "" : ": " + c.error();
        if (settings.side().peer().equals(c.closedBy())) return "the " + c.closedBy() + " closed it" + close + error;
        if (settings.side().name().equals(c.closedBy())) return "after the " + c.closedBy() + "'s own close" + close + error;
        if ("wstap".equals(c.closedBy())) return "wstap ended it" + error;
        return c.error() != null ? c.error() : "the connection ended";
    }

    /** The close the live peer sent, or null: what wstap answers when the replay stops after it. */
    public synchronized ClosePayload peerClose() {
        return peerClose;
    }

    /** The live session is over: nothing more comes from the peer, and nothing more can be sent. */
    public synchronized void ended(long nanos, String why) {
        if (isPeerEnded) return;
        isPeerEnded = true;
        peerEnd = why;
    }

    /** What to do now. */
    public synchronized Action next(long nanos) {
        if (isDone) return new Action.Done();
        // Not steps: how many pings a peer sends is its clock's business, and the report's cases keep their names.
        if (!answers.isEmpty() && !isPeerEnded) return new Action.Send(answers.poll());
        while (next < plan.size()) {
            Planned p = plan.get(next);
            if (isPeerEnded) {
                endEarly(nanos, peerEnd);
                return new Action.Done();
            }
            // A close waits in every mode: the peer sends nothing after it, so one sent early would cut the peer short.
            boolean isGated = settings.pacing() == Pacing.lockstep || p.frame().header().opcode() == Opcode.CLOSE;
            if (isGated && !isSatisfied(p.awaited())) {
                Action wait = await(p.awaited(), nanos, "before " + describe(p));
                if (wait != null) return wait;
                return new Action.Done();
            }
            if (peerClose != null && p.frame().header().opcode() != Opcode.CLOSE && p.awaited().getOrDefault(Opcode.CLOSE, 0) == 0) {
                // The peer closed where the recording has it still open: what the recording has next cannot follow.
                // (Frames the recording has after the peer's close, an echo server's last echoes say, still go.)
                endEarly(nanos, "the " + settings.side().peer() + " sent its close (" + describe(peerClose) + ")");
                return new Action.Done();
            }
            if (settings.pacing() == Pacing.original) {
                long due = startNanos + (long) (Duration.between(recording.opened().time(), p.frame().time()).toNanos() / settings.speed());
                if (nanos < due) return new Action.Wait(due);
            }
            waitSince = -1;
            next++;
            byte[] bytes = encode(p, nanos);
            if (bytes != null) return new Action.Send(bytes);
        }
        if (!isSatisfied(awaitedAtEnd)) {
            if (isPeerEnded) {
                fail("the end", nanos, "the session ended (" + peerEnd + ") without what the recording has the "
                        + settings.side().peer() + " send: " + missing(awaitedAtEnd) + "; it sent " + (liveCounts.isEmpty() ? "nothing" : counted(liveCounts)));
                return new Action.Done();
            }
            Action wait = await(awaitedAtEnd, nanos, "after the last recorded frame of the " + settings.side());
            if (wait != null) return wait;
            return new Action.Done();
        }
        steps.add(new Step("the " + settings.side().peer() + " sent " + (counted(awaitedAtEnd).isEmpty() ? "nothing more" : counted(awaitedAtEnd))
                + (settings.match() != null ? " matching " + settings.match().text() : ""), Outcome.PASSED, "", took(nanos)));
        checkCaptures(nanos);
        isCompleted = true;
        isDone = true;
        return new Action.Done();
    }

    /**
     * A wait for the peer, or null when it cannot end well (then the replay failed and is done): it
     * has lasted --wait-timeout, or the peer has sent its close, after which nothing more comes.
     */
    private Action await(Map<Integer, Integer> awaited, long nanos, String where) {
        long limit = settings.waitTimeout().toNanos();
        if (waitSince < 0) waitSince = nanos;
        String so = "; it sent " + (liveCounts.isEmpty() ? "nothing" : counted(liveCounts))
                + (settings.match() != null ? " matching " + settings.match().text() : "");
        if (peerClose != null) {
            fail("waiting " + where, nanos, "the " + settings.side().peer() + " closed (" + describe(peerClose) + ") without what the "
                    + "recording has it send by this point: " + missing(awaited) + so);
            return null;
        }
        if (nanos - waitSince < limit) return new Action.Wait(waitSince + limit);
        fail("waiting " + where, nanos, "waited " + seconds(settings.waitTimeout()) + " for what the recording has the "
                + settings.side().peer() + " send by this point: " + missing(awaited) + so);
        return null;
    }

    /** What {@code awaited} has that the live peer has not sent: {@code 1 text message, 1 close}. */
    private String missing(Map<Integer, Integer> awaited) {
        Map<Integer, Integer> more = new TreeMap<>();
        awaited.forEach((opcode, n) -> {
            int left = n - liveCounts.getOrDefault(opcode, 0);
            if (left > 0) more.put(opcode, left);
        });
        return counted(more);
    }

    private static String describe(ClosePayload close) {
        return close.hasCode() ? close.code() + (close.reason().isEmpty() ? "" : " \"" + close.reason() + "\"") : "no code";
    }

    /** A capture that no message of the peer's gave is a failure: a mistyped pointer must not pass. */
    private void checkCaptures(long nanos) {
        for (Capture c : settings.captures()) {
            if (liveValues.containsKey(c.name())) continue;
            fail("--capture " + c.name(), nanos, "--capture " + c.name() + ": no message of the " + settings.side().peer() + "'s had "
                    + c.pointer() + (c.when() != null ? " and matched " + c.when().text() : "")
                    + (recordedValues.containsKey(c.name()) ? " (in the recording one had: " + shown(recordedValues.get(c.name())) + ")" : ""));
        }
    }

    /** The peer ended the session (or sent its close) before every recorded frame of ours was sent. */
    private void endEarly(long nanos, String how) {
        List<Planned> left = plan.subList(next, plan.size());
        // After the peer's close, an answer to it that could not go is no failure: many peers drop the connection at once.
        boolean isMessageLeft = left.stream().anyMatch(p -> p.unit().isMessage()
                || (p.frame().header().opcode() == Opcode.CLOSE && peerClose == null));
        String what = left.size() + " recorded frame" + (left.size() == 1 ? "" : "s") + " of the " + settings.side() + " not sent";
        if (isMessageLeft) {
            fail("the end", nanos, how.startsWith("the " + settings.side().peer() + " sent")
                    ? how + " with " + what + ", the first " + describe(left.get(0))
                    : "the session ended (" + how + ") with " + what + ", the first " + describe(left.get(0)));
        } else {
            steps.add(new Step("the end", Outcome.SKIPPED, what + " (control frames): the session had ended", took(nanos)));
            if (isSatisfied(awaitedAtEnd)) {
                checkCaptures(nanos);
                isCompleted = true;
            }
        }
        isDone = true;
    }

    private boolean isSatisfied(Map<Integer, Integer> awaited) {
        for (Map.Entry<Integer, Integer> e : awaited.entrySet()) {
            if (liveCounts.getOrDefault(e.getKey(), 0) < e.getValue()) return false;
        }
        return true;
    }

    /** {@code 2 text messages, 1 ping}. */
    private static String counted(Map<Integer, Integer> counts) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(counts).forEach((opcode, n) -> {
            String kind = Recording.kindOf(opcode);
            parts.add(n + " " + (n == 1 ? kind : plural(kind)));
        });
        return String.join(", ", parts);
    }

    private static String plural(String kind) {
        return kind.startsWith("frame with") ? kind.replaceFirst("frame", "frames") : kind + "s";
    }

    /** The bytes of a recorded frame of ours as they go now, or null when a message cut anew needs no frame here. */
    private byte[] encode(Planned p, long nanos) {
        Recording.Frame f = p.frame();
        Recording.Unit u = p.unit();
        if (!u.isMessage()) {
            steps.add(new Step("send " + describe(p), Outcome.PASSED, "", took(nanos)));
            return frame(f.header(), f.header().rsv(), f.header().isFinal(), f.header().opcode(), f.payload(), f.header().lengthEncoding());
        }
        if (p.indexInUnit() == 0) {
            // The step is the message, said once with its first frame; its frames are made together, each
            // going at its recorded place (none for a place left over when the new payload went in fewer).
            messageFrames.clear();
            messageFrames.addAll(messageFrames(u, nanos));
            steps.add(new Step("send " + describe(p), Outcome.PASSED, "", took(nanos)));
        }
        return messageFrames.poll();
    }

    /** A recorded message of ours as it goes now: as recorded, or cut anew (changed, or compressed again). */
    private List<byte[]> messageFrames(Recording.Unit u, long nanos) {
        List<Recording.Frame> frames = u.frames();
        byte[] payload = u.payload();
        if (u.isKnown() && u.opcode() == Opcode.TEXT && !settings.captures().isEmpty()) payload = substitute(u, payload);
        boolean isChanged = !Arrays.equals(payload, u.payload());
        boolean isRecut = isChanged || (u.isCompressed() && u.isKnown() && u.isComplete());
        List<byte[]> out = new ArrayList<>();
        if (!isRecut) {
            if (u.isCompressed() && !isPlainNoteSaid) {
                note("line " + u.firstLine() + ": a compressed message the log could not inflate goes as it was recorded");
            }
            for (Recording.Frame f : frames) {
                FrameHeader h = f.header();
                out.add(frame(h, h.rsv(), h.isFinal(), h.opcode(), f.payload(), h.lengthEncoding()));
            }
            return out;
        }
        boolean isCompressing = u.isCompressed() && agreed != null;
        byte[] body = isCompressing ? deflater().compress(payload) : payload;
        long[] template = frames.stream().mapToLong(f -> f.header().payloadLength()).toArray();
        long[] sizes = Fragmentation.sizesLike(template, body.length);
        int off = 0;
        for (int i = 0; i < sizes.length; i++) {
            // One frame for all when the sizes do not fit: the first one's bits, the last one's FIN.
            Recording.Frame like = frames.get(i);
            FrameHeader h = like.header();
            boolean isFinal = sizes.length == frames.size() ? h.isFinal() : frames.get(frames.size() - 1).header().isFinal();
            int rsv = h.rsv();
            if (i == 0 && u.isCompressed()) rsv = isCompressing ? rsv | FrameHeader.RSV1 : rsv & ~FrameHeader.RSV1;
            byte[] part = Arrays.copyOfRange(body, off, off + (int) sizes[i]);
            off += (int) sizes[i];
            out.add(frame(h, rsv, isFinal, h.opcode(), part, Fragmentation.lengthFormLike(h.lengthEncoding(), h.payloadLength(), part.length)));
        }
        return out;
    }

    /** {@code {{NAME}}} and the recorded value of each capture, replaced by the captured live value. */
    private byte[] substitute(Recording.Unit u, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        String was = text;
        for (Capture c : settings.captures()) {
            String value = liveValues.get(c.name());
            String recorded = recordedValues.get(c.name());
            if (value == null) {
                if (text.contains(c.placeholder()) || (recorded != null && recorded.length() >= 4 && text.contains(recorded))) {
                    note("line " + u.firstLine() + ": " + c.name() + " is not captured yet (the " + settings.side().peer()
                            + " has not sent it): the message goes as recorded");
                }
                continue;
            }
            text = text.replace(c.placeholder(), value);
            // A recorded value this short could be anything (a count, a flag): only a placeholder says where it goes.
            if (recorded != null && !recorded.equals(value) && recorded.length() >= 4) text = text.replace(recorded, value);
        }
        if (text.equals(was)) return payload;
        String changed = text;
        note("line " + u.firstLine() + ": " + liveValues.keySet().stream().filter(n -> changed.contains(liveValues.get(n)))
                .reduce((a, b) -> a + ", " + b).map(n -> "the captured " + n).orElse("captured values") + " put in");
        return changed.getBytes(StandardCharsets.UTF_8);
    }

    private MessageDeflater deflater() {
        if (deflater == null) {
            boolean isC2s = ours == Direction.C2S;
            deflater = new MessageDeflater(agreed.isNoContextTakeover(isC2s), agreed.windowBits(isC2s));
        }
        return deflater;
    }

    /** One frame: {@code h}'s mask bit (with a fresh key), the given bits, payload and length form. */
    private byte[] frame(FrameHeader h, int rsv, boolean isFinal, int opcode, byte[] payload, LengthEncoding encoding) {
        Integer mask = h.isMasked() ? masks.nextInt() : null;
        return FrameEncoder.frame(isFinal, rsv, opcode, mask, payload, encoding, payload.length);
    }

    /** {@code --expect-same}: the peer's live message or close against the recorded one in the same place. */
    private void compare(int opcode, byte[] payload, long nanos) {
        String kind = comparedKind(opcode);
        if (kind == null) return;
        int index = liveByKind.merge(kind, 1, Integer::sum) - 1;
        List<Recording.Unit> recorded = recordedByKind.getOrDefault(kind, List.of());
        String name = "the " + settings.side().peer() + "'s " + (kind.equals("close") ? "close" : "message " + (index + 1));
        if (index >= recorded.size()) {
            compared++;
            fail("compare " + name, nanos, name + " is not in the recording: a " + Recording.kindOf(opcode) + " " + shown(payload));
            return;
        }
        Recording.Unit r = recorded.get(index);
        List<String> diff = new ArrayList<>();
        if (r.opcode() != opcode) {
            diff.add("a " + Recording.kindOf(opcode) + " where the recording has a " + r.kind());
        } else if (opcode == Opcode.CLOSE) {
            ClosePayload a = ClosePayload.parse(r.payload());
            ClosePayload b = ClosePayload.parse(payload);
            if (a.code() != b.code()) diff.add("code: recorded " + code(a) + ", live " + code(b));
            if (!a.reason().equals(b.reason())) diff.add("reason: recorded \"" + a.reason() + "\", live \"" + b.reason() + "\"");
        } else if (r.isCompressed() && !r.isKnown()) {
            steps.add(new Step("compare " + name, Outcome.SKIPPED, "the log did not keep it whole (record with --log-payload full)", took(nanos)));
            return;
        } else {
            long length = r.isKnown() ? r.payload().length : r.frames().stream().mapToLong(f -> f.header().payloadLength()).sum();
            diff.addAll(MessageDiff.of(r.payload(), r.isKnown(), length, payload, opcode == Opcode.TEXT, settings.ignored()));
        }
        compared++;
        if (diff.isEmpty()) {
            steps.add(new Step("compare " + name, Outcome.PASSED, "", took(nanos)));
        } else {
            fail("compare " + name, nanos, name + " differs from the recording (line " + r.firstLine() + "):\n  " + String.join("\n  ", diff));
        }
    }

    private static String code(ClosePayload p) {
        return p.hasCode() ? String.valueOf(p.code()) : "none";
    }

    private void fail(String step, long nanos, String why) {
        failures++;
        steps.add(new Step(step, Outcome.FAILED, why, took(nanos)));
        note(why);
        if (!step.startsWith("compare")) isDone = true;
    }

    private Duration took(long nanos) {
        if (live == null) return Duration.ZERO;
        Duration d = Duration.ofNanos(Math.max(0, nanos - lastStepNanos));
        lastStepNanos = nanos;
        return d;
    }

    private void note(String line) {
        notes.accept(line);
    }

    /** {@code the client's text message at line 12 (2 frames)}. */
    private String describe(Planned p) {
        Recording.Unit u = p.unit();
        int frames = u.frames().size();
        return "the " + settings.side() + "'s " + u.kind() + " at line " + p.frame().line() + (frames > 1 ? " (" + frames + " frames)" : "");
    }

    private static String shown(String s) {
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    private static String shown(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 60), StandardCharsets.UTF_8);
        return "\"" + shown(s) + "\"";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** Whether a close of the replayed side went already. */
    private boolean isOurCloseSent() {
        for (int i = 0; i < next; i++) {
            if (plan.get(i).frame().header().opcode() == Opcode.CLOSE) return true;
        }
        return false;
    }

    /** Something outside the script went wrong (a frame could not be sent in time): the replay failed and is over. */
    public synchronized void failed(long nanos, String why) {
        if (isDone) return;
        fail("the end", nanos, why);
        isDone = true;
    }

    /** wstap was stopped (Ctrl-C) before the replay ended: that is its last step, failed. */
    public synchronized void stopped(long nanos, String why) {
        if (isDone) return;
        fail("the end", nanos, why + (live == null ? " before the session began"
                : " after " + next + " of the " + settings.side() + "'s " + plan.size() + " recorded frames"));
        isDone = true;
    }

    /** Every step so far, in order. */
    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Whether every recorded frame went and the peer sent what it had recorded. */
    public synchronized boolean isCompleted() {
        return isCompleted;
    }

    /** Steps that failed: a wait that timed out, a message that differs, an early end. */
    public synchronized int failures() {
        return failures;
    }

    /** The frames of the replayed side in the recording, and how many went so far. */
    public synchronized int planned() {
        return plan.size();
    }

    public synchronized int sent() {
        return next;
    }

    /** What the peer sent in the recording, as the replay counts it: {@code 3 text messages, 1 close}; empty for nothing. */
    /** The peer's messages and closes {@code --expect-same} compared (a message the log did not keep whole is not). */
    public synchronized int compared() {
        return compared;
    }

    public synchronized String awaitedText() {
        return counted(awaitedAtEnd);
    }

}
