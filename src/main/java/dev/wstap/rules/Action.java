package dev.wstap.rules;

import dev.wstap.intercept.PayloadEdit;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a rule does to the frames or messages it hits (docs/rules.md). A rule has at most one
 * {@link Shape} action, which decides what leaves; {@link Replace}, {@link Delay} and
 * {@link Throttle} may come with it.
 */
public sealed interface Action {
    /** How a hit is marked: {@code delay 200 ms}. */
    String describe();

    /** Actions that decide what leaves (at most one per rule). */
    sealed interface Shape extends Action {}

    /** Change the payload (of a data message). */
    record Replace(List<PayloadEdit> edits) implements Action {
        @Override
        public String describe() {
            return "replace " + String.join(" ", edits.stream().map(PayloadEdit::describe).toList());
        }
    }

    /** Send it later: {@code min} to {@code max} (the same for a fixed delay). */
    record Delay(Duration min, Duration max) implements Action {
        @Override
        public String describe() {
            return "delay " + (min.equals(max) ? millis(min) : millis(min) + ".." + millis(max));
        }
    }

    /** Pace this direction to {@code bytesPerSecond}. */
    record Throttle(long bytesPerSecond) implements Action {
        @Override
        public String describe() {
            return "throttle " + bytesPerSecond + " B/s";
        }
    }

    record Drop() implements Shape {
        @Override
        public String describe() {
            return "drop";
        }
    }

    /** Send it, then {@code copies} more. */
    record Duplicate(int copies) implements Shape {
        @Override
        public String describe() {
            return "duplicate " + copies;
        }
    }

    /** Send it after the next message this way. */
    record Reorder() implements Shape {
        @Override
        public String describe() {
            return "reorder";
        }
    }

    /** Send the message in {@code parts} frames, with a ping between them when asked. */
    record Fragment(int parts, boolean isPingBetween) implements Shape {
        @Override
        public String describe() {
            return "fragment " + parts + (isPingBetween ? " with pings between" : "");
        }
    }

    /** Send it with other header bits; null fields stay as they were. */
    record SetHeader(Integer opcode, Integer rsv, Boolean fin) implements Shape {
        @Override
        public String describe() {
            StringBuilder s = new StringBuilder("set");
            if (opcode != null) s.append(" opcode=").append(opcode);
            if (rsv != null) s.append(" rsv=").append(rsv);
            if (fin != null) s.append(" fin=").append(fin ? 1 : 0);
            return s.toString();
        }
    }

    /** A deliberately malformed frame, for testing a peer's error handling. */
    enum Corruption {
        /** The payload of a text message ends with bytes that are not UTF-8 (RFC 6455 §8.1: the receiver fails the connection with 1007). */
        INVALID_UTF8,
        /** RSV2 set with no extension agreed to it (RFC 6455 §5.2). */
        BAD_RSV,
        /** The length in the 64-bit form where 7 bits would do (RFC 6455 §5.2: the minimal number of bytes MUST be used). */
        BAD_LENGTH,
        /** Unmasked towards the server, masked towards the client (RFC 6455 §5.1). */
        FLIP_MASK;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    record Corrupt(Corruption how) implements Shape {
        @Override
        public String describe() {
            return "corrupt " + how.label();
        }
    }

    /** Answer a ping with a pong from wstap; the ping goes no further. */
    record AnswerPing() implements Shape {
        @Override
        public String describe() {
            return "answer_ping";
        }
    }

    /** Who gets wstap's close. */
    enum Peer { CLIENT, SERVER, BOTH }

    /** Close the session (to one side or both) with {@code code}; what hit is not forwarded. */
    record Close(int code, String reason, Peer to) implements Shape {
        @Override
        public String describe() {
            return "close " + code + (reason.isEmpty() ? "" : " \"" + reason + "\"") + " to " + to.name().toLowerCase(Locale.ROOT);
        }
    }

    /** Drop both TCP connections with a reset. */
    record Reset() implements Shape {
        @Override
        public String describe() {
            return "reset";
        }
    }

    /** Forward nothing more this way, from this message on, without closing. */
    record Stall() implements Shape {
        @Override
        public String describe() {
            return "stall";
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
