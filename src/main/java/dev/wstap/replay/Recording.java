package dev.wstap.replay;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.LogReader;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One session of a wstap log as its two peers sent it: the frames each side sent, in the order
 * wstap logged them, and the units they make (whole data messages, reassembled and inflated, and
 * the other frames, each by itself). What wstap did to a frame on its way does not change what the
 * side sent: a held, dropped or replaced frame counts once, where it arrived (a delayed one where
 * it left: the log has no record of its arrival); a re-compressed one stands for the message its
 * sender sent, whose payload is then the inflated one of its {@code message} record; wstap's own
 * frames (injected, edited, inserted, duplicated) are not the peers' and are left out.
 */
public final class Recording {
    /**
     * A frame as a side sent it.
     *
     * @param payload     its payload, unmasked: whole unless {@code isTruncated}
     * @param line        the log line it was recorded on, from 1
     */
    public record Frame(Direction dir, Instant time, FrameHeader header, byte[] payload, boolean isTruncated, int line) {
        /** {@code the client's text frame (line 12)}. */
        public String describe() {
            return "the " + dir.sender() + "'s " + Opcode.name(header.opcode()) + " frame of " + header.lengthText()
                    + " bytes (line " + line + ")";
        }
    }

    /**
     * What a side sent that counts by itself: a data message (its frames, from the text or binary
     * frame that began it to the one with FIN), or any other frame alone (control, reserved opcode,
     * a continuation without a message).
     *
     * @param time         when it ended: the time of its last frame
     * @param opcode       the message's opcode (text, binary), or the frame's own
     * @param payload      the message reassembled (and inflated when it was compressed), or the frame's payload;
     *                     only the first bytes when not {@code isKnown}
     * @param isKnown      the payload is all there was: no frame of it was cut by the log's preview, and it inflated
     * @param isCompressed its first frame had RSV1 on a session that agreed to permessage-deflate
     * @param isComplete   false for a message that another data frame or the session's end cut off before its FIN
     */
    public record Unit(Direction dir, Instant time, int opcode, byte[] payload, boolean isKnown, boolean isCompressed,
                       boolean isComplete, List<Frame> frames) {
        public boolean isMessage() {
            return opcode == Opcode.TEXT || opcode == Opcode.BINARY;
        }

        public int firstLine() {
            return frames.get(0).line();
        }

        /** {@code text message}, {@code ping}, {@code frame with opcode 3}. */
        public String kind() {
            return kindOf(opcode);
        }

        /** The event a filter sees for it, as it would be seen live: a message, or the frame. */
        public TapEvent asEvent(int conn) {
            if (isMessage()) {
                long wire = frames.stream().mapToLong(f -> f.header().payloadLength()).sum();
                return new MessageSeen(time, conn, dir, opcode, frames.size(), wire, payload.length, isCompressed, payload,
                        List.of(), false);
            }
            Frame f = frames.get(0);
            return new FrameSeen(time, conn, dir, new ParsedFrame(f.header(), f.payload(), -1, false, List.of()), false);
        }
    }

    /** {@code text message}, {@code ping}, {@code frame with opcode 3}: a unit's kind by its opcode. */
    public static String kindOf(int opcode) {
        return switch (opcode) {
            case Opcode.TEXT -> "text message";
            case Opcode.BINARY -> "binary message";
            case Opcode.PING, Opcode.PONG, Opcode.CLOSE -> Opcode.name(opcode);
            default -> "frame with opcode " + opcode;
        };
    }

    private final Opened opened;
    private final int openLine;
    private final List<Frame> frames;
    private final List<Unit> units;

    Recording(Opened opened, int openLine, List<Frame> frames, List<Unit> units) {
        this.opened = opened;
        this.openLine = openLine;
        this.frames = List.copyOf(frames);
        this.units = List.copyOf(units);
    }

    public Opened opened() {
        return opened;
    }

    /** The line of the session's {@code open} record. */
    public int openLine() {
        return openLine;
    }

    /** Every frame either side sent, in the order of the log. */
    public List<Frame> frames() {
        return frames;
    }

    /** What the frames make, in the order each ended. */
    public List<Unit> units() {
        return units;
    }

    /** The frames {@code dir}'s sender sent. */
    public List<Frame> frames(Direction dir) {
        return frames.stream().filter(f -> f.dir() == dir).toList();
    }

    /** The units {@code dir}'s sender sent. */
    public List<Unit> units(Direction dir) {
        return units.stream().filter(u -> u.dir() == dir).toList();
    }

    /**
     * Reads session {@code session} of {@code log} (the first one numbered so: a log appended to by
     * several runs numbers from 1 each time), or the first session when it is null.
     */
    public static Recording read(Path log, Integer session) throws ReplayException {
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            return read(in.lines().iterator(), log.toString(), session);
        } catch (NoSuchFileException e) {
            throw new ReplayException("there is no log " + log);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ReplayException("cannot read the log " + log + ": " + e.getMessage());
        }
    }

    /** As above, from the lines of a log that {@code name} names in messages. */
    static Recording read(java.util.Iterator<String> lines, String name, Integer session) throws ReplayException {
        LogReader reader = new LogReader();
        Builder builder = null;
        Set<Integer> seen = new LinkedHashSet<>();
        int lineNumber = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            lineNumber++;
            if (line.isBlank()) continue;
            List<TapEvent> events;
            try {
                events = reader.parse(line);
            } catch (LogReader.BadRecord e) {
                if (builder != null) throw new ReplayException(name + " line " + lineNumber + ": " + e.getMessage());
                continue; // a line of another session's part of the log: not this replay's concern
            }
            for (TapEvent e : events) {
                if (builder == null) {
                    if (e instanceof Opened o) {
                        seen.add(o.conn());
                        if (session == null || session == o.conn()) builder = new Builder(o, lineNumber);
                    }
                    continue;
                }
                if (e.conn() != builder.opened.conn()) continue;
                if (e instanceof Opened) return builder.build(); // the same number again: a later run's session
                if (builder.add(e, lineNumber)) return builder.build();
            }
        }
        if (builder != null) return builder.build();
        if (seen.isEmpty()) throw new ReplayException(name + " has no WebSocket session (no \"open\" record)");
        throw new ReplayException(name + " has no session " + session + "; its sessions are " + seen.stream().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElse(""));
    }

    /** Gathers one session's frames into units as the records come. */
    private static final class Builder {
        final Opened opened;
        final int openLine;
        final List<Frame> frames = new ArrayList<>();
        final List<Unit> units = new ArrayList<>();
        final DeflateParameters deflate;
        final Map<Direction, List<Frame>> message = new EnumMap<>(Direction.class);
        final Map<Direction, MessageInflater> inflaters = new EnumMap<>(Direction.class);
        /** Directions whose compression context was lost to a payload the log cut: later compressed messages cannot be inflated. */
        final Set<Direction> lostContext = java.util.EnumSet.noneOf(Direction.class);
        /** Directions wstap re-compressed from some message on: their payloads are wstap's, inflated in the message records. */
        final Set<Direction> recompressed = java.util.EnumSet.noneOf(Direction.class);
        /** Held frames not yet resolved, per direction: what names each hold (the intercept's "#3", or a rule's note), once a frame. */
        final Map<Direction, List<String>> held = new EnumMap<>(Direction.class);
        /** The frames wstap re-compressed (by identity): their payloads are wstap's, the message record has the sender's. */
        final Set<Frame> recompressedFrames = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        /** Per direction, the unit of re-compressed frames whose payload its message record brings, or -1. */
        final Map<Direction, Integer> awaitingRecord = new EnumMap<>(Direction.class);

        Builder(Opened opened, int openLine) {
            this.opened = opened;
            this.openLine = openLine;
            this.deflate = DeflateParameters.fromResponse(opened.extensions());
        }

        /** Takes one event of the session; true when it was the session's end. */
        boolean add(TapEvent e, int line) {
            switch (e) {
                case Closed c -> {
                    return true;
                }
                case FrameSeen f when isSent(f) -> frame(f, line);
                case MessageSeen m when awaitingRecord.getOrDefault(m.dir(), -1) >= 0 && m.isCompressed() -> {
                    // The inflated message a re-compressed one carries: what its sender sent.
                    int at = awaitingRecord.remove(m.dir());
                    Unit u = units.get(at);
                    units.set(at, new Unit(u.dir(), u.time(), u.opcode(), m.preview(), !m.isTruncated(), true, u.isComplete(), u.frames()));
                }
                default -> { }
            }
            return false;
        }

        /** Whether {@code f} records a frame as its sender sent it, the first time the log tells of it. */
        private boolean isSent(FrameSeen f) {
            List<String> holds = held.computeIfAbsent(f.dir(), d -> new ArrayList<>());
            return switch (f.fate()) {
                case FORWARDED, DELAYED, AFTER_CLOSE -> true;
                case HELD -> {
                    holds.add(holdOf(f.note()));
                    yield true;
                }
                case RELEASED, DROPPED, REPLACED, RECOMPRESSED -> {
                    // The end of a hold, whose frame counted when it arrived; else (a rule dropped it, or it was
                    // re-compressed as it went) it arrives now.
                    for (int i = 0; i < holds.size(); i++) {
                        if (names(f.note(), holds.get(i))) {
                            holds.remove(i);
                            yield false;
                        }
                    }
                    yield true;
                }
                case INJECTED, EDITED, DUPLICATED, INSERTED -> false;
            };
        }

        /** What names a hold in a note: the intercept's number ({@code #3 --text x} gives {@code #3}), else the whole note (a rule's). */
        private static String holdOf(String note) {
            if (note == null) return "";
            String first = note.split(" ", 2)[0];
            return first.matches("#\\d+") ? first : note;
        }

        /**
         * Whether a later record's {@code note} tells of the end of the hold {@code hold}: it carries it
         * ({@code released #3; re-compressed ...}, {@code rule x: stall; stalled}), #3 not being #31.
         */
        private static boolean names(String note, String hold) {
            if (note == null || hold.isEmpty()) return false;
            for (int at = note.indexOf(hold); at >= 0; at = note.indexOf(hold, at + 1)) {
                int end = at + hold.length();
                if (end == note.length() || !Character.isDigit(note.charAt(end))) return true;
            }
            return false;
        }

        private void frame(FrameSeen seen, int line) {
            ParsedFrame p = seen.frame();
            FrameHeader h = p.header();
            boolean isRecompressed = seen.fate() == Fate.RECOMPRESSED;
            if (isRecompressed) recompressed.add(seen.dir());
            Frame f = new Frame(seen.dir(), seen.time(), h, p.preview(), p.isTruncated(), line);
            frames.add(f);
            if (isRecompressed) recompressedFrames.add(f);
            Direction dir = seen.dir();
            List<Frame> current = message.get(dir);
            int opcode = h.opcode();
            if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
                if (current != null) endMessage(dir, false);
                List<Frame> started = new ArrayList<>();
                started.add(f);
                message.put(dir, started);
                if (h.isFinal()) endMessage(dir, true);
            } else if (opcode == Opcode.CONTINUATION && current != null) {
                current.add(f);
                if (h.isFinal()) endMessage(dir, true);
            } else {
                units.add(new Unit(dir, f.time(), opcode, f.payload(), !f.isTruncated(), false, true, List.of(f)));
            }
        }

        private void endMessage(Direction dir, boolean isComplete) {
            List<Frame> parts = message.remove(dir);
            Frame first = parts.get(0);
            boolean isCompressed = deflate != null && (first.header().rsv() & FrameHeader.RSV1) != 0;
            boolean isWhole = parts.stream().noneMatch(Frame::isTruncated);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Frame p : parts) joined.writeBytes(p.payload());
            byte[] payload = joined.toByteArray();
            boolean isKnown = isWhole;
            if (isCompressed && recompressedFrames.contains(first)) {
                // Compressed by wstap in its own context: the message record that follows has it inflated.
                isKnown = false;
                awaitingRecord.put(dir, units.size());
            } else if (isCompressed && recompressed.contains(dir) && !deflate.isNoContextTakeover(dir == Direction.C2S)) {
                // The sender's own bytes, but its context went on in messages the log has only as wstap compressed them.
                isKnown = false;
            } else if (isCompressed) {
                if (!isWhole || !isComplete) {
                    if (!deflate.isNoContextTakeover(dir == Direction.C2S)) lostContext.add(dir);
                    isKnown = false;
                } else if (lostContext.contains(dir)) {
                    isKnown = false;
                } else {
                    MessageInflater inflater = inflaters.computeIfAbsent(dir, d -> MessageInflater.of(deflate, d == Direction.C2S,
                            (int) MessageInflater.DEFAULT_MAX_INFLATED_BYTES));
                    inflater.start();
                    inflater.feed(payload, 0, payload.length);
                    MessageInflater.Inflated inflated = inflater.finish();
                    isKnown = inflated.error() == null;
                    if (isKnown) payload = inflated.preview();
                }
            }
            Frame last = parts.get(parts.size() - 1);
            units.add(new Unit(dir, last.time(), first.header().opcode(), payload, isKnown, isCompressed, isComplete, List.copyOf(parts)));
        }

        Recording build() {
            for (Direction dir : Direction.values()) {
                if (message.containsKey(dir)) endMessage(dir, false);
            }
            return new Recording(opened, openLine, frames, units);
        }
    }
}
