package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One Autobahn case against a server, sans I/O: wstap is the client. It is told the frames the
 * server sends ({@link #received}), that the connection ended ({@link #ended}) and the time, and
 * answers with what to do ({@link #next}): write bytes, wait, drop the connection, or stop. At the
 * end {@link #result} judges the behaviour and the close as Autobahn|Testsuite does.
 *
 * <p>The run, as Autobahn's fuzzing client runs a case: the case's frames go in the writes and
 * with the pauses it asks for; the server's messages and pongs are recorded (its pings answered,
 * not recorded); once what was recorded is exactly what an OK behaviour expects, and wstap is the one
 * to close, it closes with 1000. A case timeout after the last write closes a connection still open
 * (with 1000, or 1001 where Autobahn's case says {@code killAfter}); once both closes have
 * crossed, the server has as long again to end the TCP connection, as a server should.
 */
public final class CaseRun {
    /** The behaviour's verdict. */
    public enum Verdict {
        OK, NON_STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED;

        public String label() {
            return name().replace('_', '-');
        }
    }

    /** The close's verdict. */
    public enum CloseVerdict {
        OK, WRONG_CODE, UNCLEAN, FAILED_BY_CLIENT, FAILED, INFORMATIONAL;

        public String label() {
            return name().replace('_', ' ');
        }
    }

    /** What the driver does next. */
    public sealed interface Action {
        record Write(byte[] bytes) implements Action {}

        record Wait(long untilNanos) implements Action {}

        /** Drop the TCP connection, then report {@link CaseRun#ended}. */
        record Drop() implements Action {}

        record Done() implements Action {}
    }

    /**
     * How a case went.
     *
     * @param observed    what the server did, in order
     * @param remoteClose the server's close code, or -1 when it sent none (or a close without a code)
     * @param why         one sentence on the behaviour, one on the close
     */
    public record Result(String id, String title, Verdict behaviour, CloseVerdict close, Expectation expected, List<Observed> observed,
                         int remoteClose, boolean isClosedByProbe, boolean isClean, boolean isDroppedByProbe, String why, String closeWhy,
                         Duration took, List<String> sent, List<String> received) {
        /** Whether the case counts as failed: its behaviour or its close FAILED. */
        public boolean isFailed() {
            return behaviour == Verdict.FAILED || close == CloseVerdict.FAILED;
        }
    }

    /** {@code text fin=1 rsv=0 len=13 "Hello, world!"}: a frame in one line, for reports. */
    public static String describe(int opcode, boolean isFinal, int rsv, boolean isMasked, byte[] payload, long length) {
        StringBuilder out = new StringBuilder(Opcode.name(opcode)).append(" fin=").append(isFinal ? 1 : 0).append(" rsv=").append(rsv)
                .append(isMasked ? " masked" : "").append(" len=").append(length);
        if (payload.length == 0) return out.toString();
        if (opcode == Opcode.CLOSE && payload.length >= 2) {
            ClosePayload p = ClosePayload.parse(payload);
            return out.append(" code=").append(p.code()).append(p.reason().isEmpty() ? "" : " \"" + p.reason() + "\"").toString();
        }
        int shown = Math.min(payload.length, 32);
        boolean isPrintable = true;
        for (int i = 0; i < shown; i++) isPrintable &= payload[i] >= 0x20 && payload[i] < 0x7f;
        if (isPrintable) return out.append(" \"").append(new String(payload, 0, shown, java.nio.charset.StandardCharsets.US_ASCII))
                .append(payload.length > shown ? "…" : "").append('"').toString();
        return out.append(' ').append(java.util.HexFormat.of().formatHex(payload, 0, shown)).append(payload.length > shown ? "…" : "").toString();
    }

    private final AutobahnCase c;
    private final Expectation expected;
    private final long timeoutNanos;
    private final RandomGenerator masks;
    private final Deque<AutobahnCase.Chunk> chunks;
    private final Deque<byte[]> replies = new ArrayDeque<>();
    private final List<Observed> observed = new ArrayList<>();
    /** The server's frames, one line each with the time since the start, for reports; at most {@link #WIRE_LINES}. */
    private final List<String> received = new ArrayList<>();
    private static final int WIRE_LINES = 200;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode = -1;
    private long startNanos;
    private long nextWriteNanos;
    private long deadline = -1;
    private boolean isCloseSent;
    private boolean isCloseReceived;
    private boolean isClosedByProbe;
    private boolean isDropped;
    /** The server (wstap) ended the TCP connection after the close handshake, as it should. */
    private boolean isServerEnd;
    private boolean isEnded;
    private boolean isClean;
    private int remoteClose = -1;
    private long endNanos;
    private final boolean isOurCloseInCase;
    private char nextTimeoutTag = 'A';
    private int written;
    private long oneAtATimeDeadline = -1;
    /** wstap is the server and the client is judged ({@code --serve}); else wstap is the client. */
    private final boolean isServer;
    private final String peer;

    /** A case against a server: wstap is the client. */
    public CaseRun(AutobahnCase c, Expectation expected, Duration timeout, RandomGenerator masks) {
        this(c, expected, timeout, masks, false);
    }

    /**
     * {@code isServer}: wstap is the server and the endpoint under test a client (Autobahn's
     * fuzzingserver): its frames go unmasked, and it ends the TCP connection itself once both
     * closes have crossed, as a server does.
     */
    public CaseRun(AutobahnCase c, Expectation expected, Duration timeout, RandomGenerator masks, boolean isServer) {
        this.c = c;
        this.expected = expected;
        this.timeoutNanos = timeout.toNanos() * expected.timeoutFactor();
        this.masks = masks;
        this.isServer = isServer;
        this.peer = isServer ? "client" : "server";
        this.chunks = new ArrayDeque<>(c.chunks(isServer ? Direction.S2C : Direction.C2S));
        this.isOurCloseInCase = c.frames().stream().anyMatch(f -> f.opcode() == Opcode.CLOSE);
    }

    /** Whether wstap plays the server here. */
    public boolean isServer() {
        return isServer;
    }

    /** A mask key for a frame of wstap's: one when it is the client, none when it is the server. */
    private Integer mask() {
        return isServer ? null : masks.nextInt();
    }

    /** The handshake is done: the case begins. */
    public void start(long nanos) {
        startNanos = nanos;
        nextWriteNanos = nanos;
    }

    /** A whole frame from the server. */
    public void received(ParsedFrame f, long nanos) {
        if (isEnded) return;
        int opcode = f.header().opcode();
        if (received.size() < WIRE_LINES) {
            received.add(String.format(java.util.Locale.ROOT, "%.1f ms ", (nanos - startNanos) / 1e6)
                    + describe(opcode, f.header().isFinal(), f.header().rsv(), f.header().isMasked(), f.preview(), f.header().payloadLength()));
        } else if (received.size() == WIRE_LINES) {
            received.add("…");
        }
        switch (opcode) {
            // Answered, not recorded: Autobahn's fuzzing client hands a case the messages and pongs, not the pings.
            case Opcode.PING -> {
                if (!isCloseSent) replies.add(FrameEncoder.frame(true, Opcode.PONG, mask(), f.preview()));
            }
            case Opcode.PONG -> observe(Observed.of(Observed.Kind.PONG, f.preview()), nanos);
            case Opcode.CLOSE -> {
                if (isCloseReceived) return;
                isCloseReceived = true;
                ClosePayload p = f.closePayload();
                remoteClose = p != null && p.hasCode() ? p.code() : -1;
                if (!isCloseSent) {
                    // Answered as an endpoint answers a close (RFC 6455 §5.5.1).
                    byte[] payload = (p == null ? ClosePayload.EMPTY : p.echo()).encode();
                    replies.add(FrameEncoder.frame(true, Opcode.CLOSE, mask(), payload));
                    isCloseSent = true;
                }
                isClean = true;
                deadline = nanos + timeoutNanos; // the server now ends the TCP connection
            }
            case Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION -> {
                if (opcode != Opcode.CONTINUATION) {
                    messageOpcode = opcode;
                    message.reset();
                }
                message.writeBytes(f.preview());
                if (f.header().isFinal() && messageOpcode >= 0) {
                    observe(Observed.of(messageOpcode == Opcode.TEXT ? Observed.Kind.TEXT : Observed.Kind.BINARY, message.toByteArray()), nanos);
                    messageOpcode = -1;
                }
            }
            default -> { }
        }
    }

    private void observe(Observed o, long nanos) {
        observed.add(o);
        // Autobahn's finishWhenDone: what an OK behaviour expects has come; wstap closes if it is the one to.
        if (expected.close().isClosedByProbe() && expected.nonStrict() == null && observed.equals(expected.ok()) && !isCloseSent) {
            closeNow();
        }
    }

    private void closeNow() {
        closeNow(1000, "");
    }

    /** wstap begins the close: the server then has a case timeout to answer it and end the connection. */
    private void closeNow(int code, String reason) {
        replies.add(FrameEncoder.frame(true, Opcode.CLOSE, mask(), new ClosePayload(code, reason).encode()));
        isCloseSent = true;
        isClosedByProbe = !isCloseReceived;
        deadline = -1;
    }

    /** The TCP connection ended (the server closed it, it failed, or wstap dropped it). */
    public void ended(long nanos) {
        if (isEnded) return;
        isEnded = true;
        endNanos = nanos;
        if (!(isCloseSent && isCloseReceived)) isClean = false;
        if (isServerEnd) isDropped = false;
    }

    public Action next(long nanos) {
        if (isEnded) return new Action.Done();
        if (!replies.isEmpty()) return new Action.Write(replies.poll());
        if (!chunks.isEmpty() && !isCloseSent) {
            AutobahnCase.Chunk chunk = chunks.peek();
            long pause = chunk.pauseMillis() == 0 ? 0
                    : expected.isTimeoutMarked() ? Math.max(chunk.pauseMillis(), Expectation.MARKED_PAUSE_MILLIS) : chunk.pauseMillis();
            long due = nextWriteNanos + pause * 1_000_000L;
            if (nanos < due) return new Action.Wait(due);
            if (expected.isOneAtATime() && observed.size() < written) {
                // The next message once the one before came back (Autobahn's 9.7 and 9.8).
                if (oneAtATimeDeadline < 0) oneAtATimeDeadline = nanos + timeoutNanos;
                if (nanos < oneAtATimeDeadline) return new Action.Wait(oneAtATimeDeadline);
                chunks.clear(); // it did not come: the case ends as it stands
                deadline = nanos;
                return next(nanos);
            }
            oneAtATimeDeadline = -1;
            if (pause > 0 && expected.isTimeoutMarked()) {
                if (isCloseReceived) {
                    // Autobahn goes on only while the connection is open.
                    chunks.clear();
                    if (deadline < 0) deadline = nanos + timeoutNanos;
                    return next(nanos);
                }
                observed.add(Observed.timeout(String.valueOf(nextTimeoutTag++)));
            }
            chunks.poll();
            written++;
            nextWriteNanos = nanos;
            if (chunks.isEmpty()) {
                if (deadline < 0) deadline = nanos + timeoutNanos;
                if (isOurCloseInCase && !isCloseSent) {
                    // The case's own close has gone (family 7): wstap closed first, unless the server did.
                    isCloseSent = true;
                    isClosedByProbe = !isCloseReceived;
                }
            }
            return new Action.Write(chunk.bytes());
        }
        if (isServer && isCloseSent && isCloseReceived) {
            // Both closes have crossed: the server ends the TCP connection (RFC 6455 §7.1.1); no failure of anyone's.
            isServerEnd = true;
            return new Action.Drop();
        }
        if (deadline < 0) deadline = nanos + timeoutNanos;
        if (nanos < deadline) return new Action.Wait(deadline);
        // The time is up. Autobahn's closeAfter closes with 1000; its killAfter fails the connection, which (its
        // fuzzing client turns failByDrop off) is a close with 1001 too: either way wstap began the close.
        if (!isCloseSent) {
            if (expected.isKilledAfterTimeout()) closeNow(1001, "going away");
            else closeNow();
            return next(nanos);
        }
        isDropped = true;
        return new Action.Drop();
    }

    /** The verdicts, once {@link #next} said {@link Action.Done}. */
    public Result result() {
        if (expected.isInformational()) {
            return new Result(c.id(), c.title(), Verdict.INFORMATIONAL, CloseVerdict.INFORMATIONAL, expected, List.copyOf(observed),
                    remoteClose, isClosedByProbe, isClean, isDropped, "the spec leaves this open: got " + describe(observed),
                    remoteClose >= 0 ? "closed with " + remoteClose : "closed without a code", took(), sent(), List.copyOf(received));
        }
        Verdict behaviour = observed.equals(expected.ok()) ? Verdict.OK
                : expected.nonStrict() != null && observed.equals(expected.nonStrict()) ? Verdict.NON_STRICT : Verdict.FAILED;
        String why = switch (behaviour) {
            case OK -> "as expected";
            case NON_STRICT -> "as allowed, not as preferred";
            default -> "expected " + describe(expected.ok()) + (expected.nonStrict() != null ? " (or " + describe(expected.nonStrict()) + ")" : "")
                    + ", got " + describe(observed);
        };
        Expectation.ExpectedClose ex = expected.close();
        CloseVerdict close;
        String closeWhy;
        if (ex.isClosedByProbe() != isClosedByProbe) {
            close = CloseVerdict.FAILED;
            closeWhy = ex.isClosedByProbe() ? "the " + peer + " closed first, where wstap was to close"
                    : isClosedByProbe ? "the " + peer + " did not fail the connection: wstap closed it after " + millis(timeoutNanos)
                    : "the " + peer + " did not fail the connection";
        } else if (ex.isCleanRequired() && !isClean) {
            close = CloseVerdict.UNCLEAN;
            closeWhy = "the connection ended without both close frames";
        } else if (remoteClose >= 0 && !ex.codes().contains(remoteClose)) {
            close = CloseVerdict.WRONG_CODE;
            closeWhy = "close code " + remoteClose + ", expected " + ex.codes().stream().map(String::valueOf).reduce((a, b) -> a + " or " + b).orElse("");
        } else if (isDropped && !isServer) {
            close = CloseVerdict.FAILED_BY_CLIENT;
            closeWhy = "wstap dropped the TCP connection; the server should end it";
        } else {
            close = CloseVerdict.OK;
            closeWhy = "properly closed" + (remoteClose >= 0 ? " with " + remoteClose : isCloseReceived ? " (no code)" : " (connection dropped)");
        }
        // Autobahn: in some cases a close that goes wrong fails the behaviour as well.
        if (expected.isWrongEndpointFatal() && ex.isClosedByProbe() != isClosedByProbe && behaviour != Verdict.FAILED) {
            behaviour = Verdict.FAILED;
            why = "the connection was not failed by the " + peer;
        }
        if (expected.isWrongCodeFatal() && close == CloseVerdict.WRONG_CODE) {
            behaviour = Verdict.FAILED;
            why = closeWhy;
        }
        return new Result(c.id(), c.title(), behaviour, close, expected, List.copyOf(observed), remoteClose, isClosedByProbe, isClean,
                isDropped, why, closeWhy, took(), sent(), List.copyOf(received));
    }

    /** The case's frames as wstap sent them (masked), one line each; at most {@link #WIRE_LINES}. */
    private List<String> sent() {
        List<String> out = new ArrayList<>();
        for (AutobahnCase.Frame f : c.frames()) {
            if (out.size() == WIRE_LINES) {
                out.add("… " + (c.frames().size() - WIRE_LINES) + " more");
                break;
            }
            out.add(describe(f.opcode(), f.isFinal(), f.rsv(), true, f.payload(), f.payload().length)
                    + (f.violations().isEmpty() ? "" : "  [" + String.join(", ", f.violations()) + "]"));
        }
        return out;
    }

    private Duration took() {
        return Duration.ofNanos(Math.max(0, (isEnded ? endNanos : startNanos) - startNanos));
    }

    private static String describe(List<Observed> list) {
        if (list.isEmpty()) return "nothing";
        return String.join(", ", list.stream().map(Observed::describe).toList());
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
