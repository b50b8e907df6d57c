package dev.wstap.probe;

import dev.wstap.autobahn.AutobahnCase;
import dev.wstap.autobahn.Compression;
import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageDeflater;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.LengthEncoding;
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
 *
 * <p>A case of families 12 and 13 ({@link AutobahnCase#compression}) is told at its start what
 * permessage-deflate the endpoints agreed to: none makes it UNIMPLEMENTED (wstap closes at once, as
 * Autobahn does); else its messages are compressed as agreed, one at a time, and the endpoint's
 * compressed answers inflated before they are compared. As in Autobahn, the first answer that is
 * not the message sent ends the case: wstap closes.
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
    /** Families 12 and 13: what the case sends, or null. */
    private final Compression compression;
    private DeflateParameters agreed;
    private MessageDeflater deflater;
    private MessageInflater inflater;
    private boolean isUnimplemented;
    private boolean isMessageCompressed;
    private int nextMessage;
    /** wstap's frames of a compressed case, as they went, for reports; at most {@link #WIRE_LINES}. */
    private final List<String> sentLines = new ArrayList<>();
    /** What the endpoint did wrong that no observation shows (a message that does not inflate), or null. */
    private String violation;
    /** What the endpoint did that Autobahn lets pass but the RFC does not (makes an OK behaviour NON-STRICT), or null. */
    private String leniency;
    /** A compressed message is inflated up to this; Autobahn's largest is 128 KiB. */
    private static final int MAX_INFLATED_BYTES = 32 << 20;

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
        this.compression = c.compression();
    }

    /**
     * Something the endpoint did that Autobahn lets pass and the RFC does not ({@code why}; null:
     * nothing): an OK behaviour becomes NON-STRICT, saying why.
     */
    public void tolerate(String why) {
        leniency = why;
    }

    /** Whether wstap plays the server here. */
    public boolean isServer() {
        return isServer;
    }

    /** A mask key for a frame of wstap's: one when it is the client, none when it is the server. */
    private Integer mask() {
        return isServer ? null : masks.nextInt();
    }

    /** The handshake is done, without permessage-deflate: the case begins. */
    public void start(long nanos) {
        start(nanos, null);
    }

    /** The handshake is done, with {@code agreed} permessage-deflate parameters (null: none): the case begins. */
    public void start(long nanos, DeflateParameters agreed) {
        startNanos = nanos;
        nextWriteNanos = nanos;
        this.agreed = agreed;
        if (agreed != null) {
            // wstap sends client-to-server when it is the client.
            deflater = new MessageDeflater(agreed.isNoContextTakeover(!isServer), agreed.windowBits(!isServer));
            inflater = new MessageInflater(agreed.isNoContextTakeover(isServer), MAX_INFLATED_BYTES, MAX_INFLATED_BYTES);
        }
        if (compression != null) {
            sentLines.add(agreed == null ? "permessage-deflate: none agreed" : "permessage-deflate agreed: " + agreed.header());
            if (agreed == null) {
                // Autobahn: UNIMPLEMENTED, and a close with 1000 at once.
                isUnimplemented = true;
                closeNow();
            }
        }
    }

    /** Families 12 and 13: the next message into {@link #chunks}, compressed as agreed, when the last has gone. */
    private void refill() {
        if (compression == null || deflater == null || !chunks.isEmpty() || nextMessage >= compression.count() || isCloseSent) return;
        byte[] message = compression.message(nextMessage++);
        byte[] payload = deflater.compress(message);
        int step = compression.size().fragmentBytes() > 0 ? compression.size().fragmentBytes() : Math.max(1, payload.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
        for (int off = 0; off == 0 || off < payload.length; off += step) {
            int end = Math.min(payload.length, off + step);
            boolean isFinal = end == payload.length;
            int opcode = off == 0 ? compression.opcode() : Opcode.CONTINUATION;
            int rsv = off == 0 ? 4 : 0; // RSV1 on the first frame only (RFC 7692 §6)
            byte[] piece = java.util.Arrays.copyOfRange(payload, off, end);
            out.writeBytes(FrameEncoder.frame(isFinal, rsv, opcode, mask(), piece, LengthEncoding.minimalFor(piece.length), piece.length));
            if (sentLines.size() < WIRE_LINES) {
                sentLines.add(describe(opcode, isFinal, rsv, !isServer, piece, piece.length)
                        + (off == 0 ? "  [message " + nextMessage + ": " + message.length + " bytes compressed to " + payload.length + "]" : ""));
            } else if (sentLines.size() == WIRE_LINES) {
                sentLines.add("…");
            }
        }
        chunks.add(new AutobahnCase.Chunk(out.toByteArray(), 0));
    }

    /** Whether messages of a compressed case remain to be sent. */
    private boolean hasMoreMessages() {
        return compression != null && deflater != null && nextMessage < compression.count();
    }

    /** Nothing more of the case goes. */
    private void stopSending() {
        chunks.clear();
        if (compression != null) nextMessage = compression.count();
    }

    /** A whole frame from the server. */
    public void received(ParsedFrame f, long nanos) {
        if (isEnded) return;
        int opcode = f.header().opcode();
        // RSV bits are an extension's: RSV1 on a data message's first frame where permessage-deflate was agreed, none else.
        boolean isFirstDataFrame = opcode == Opcode.TEXT || opcode == Opcode.BINARY;
        int allowed = agreed != null && isFirstDataFrame ? 4 : 0;
        if ((f.header().rsv() & ~allowed) != 0 && violation == null) {
            violation = "the " + peer + " sent a " + Opcode.name(opcode) + " frame with RSV " + f.header().rsv()
                    + (agreed != null && (f.header().rsv() & 4) != 0 ? ", RSV1 where only a message's first frame may have it (RFC 7692 §6.1)"
                    : ", which no agreed extension defines (RFC 6455 §5.2)");
            stopSending();
            if (!isCloseSent) closeNow(1002, "reserved bits");
        }
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
                    // RFC 7692 §6: RSV1 on a message's first frame says it is compressed.
                    isMessageCompressed = inflater != null && (f.header().rsv() & 4) != 0;
                    if (isMessageCompressed) inflater.start();
                }
                if (isMessageCompressed) inflater.feed(f.preview(), 0, f.preview().length);
                else message.writeBytes(f.preview());
                if (f.header().isFinal() && messageOpcode >= 0) {
                    Observed.Kind kind = messageOpcode == Opcode.TEXT ? Observed.Kind.TEXT : Observed.Kind.BINARY;
                    messageOpcode = -1;
                    if (isMessageCompressed) {
                        MessageInflater.Inflated m = inflater.finish();
                        if (m.error() != null || m.isTruncated()) {
                            // A message that does not inflate (RFC 7692 §7.2.2) is data wstap cannot accept: it fails the connection.
                            violation = "message " + (observed.size() + 1) + " does not inflate ("
                                    + (m.error() != null ? m.error() : "more than " + MAX_INFLATED_BYTES + " bytes") + ")";
                            stopSending();
                            if (!isCloseSent) closeNow(1007, "a compressed message does not inflate");
                            return;
                        }
                        observe(Observed.of(kind, m.preview()), nanos);
                    } else {
                        observe(Observed.of(kind, message.toByteArray()), nanos);
                    }
                }
            }
            default -> { }
        }
    }

    private void observe(Observed o, long nanos) {
        observed.add(o);
        List<Observed> ok = expected.ok();
        if (expected.isOneAtATime() && !isCloseSent && (observed.size() > ok.size() || !o.equals(ok.get(observed.size() - 1)))) {
            // One at a time (9.7, 9.8, 12, 13), Autobahn ends the case at the first answer that is not the message sent.
            stopSending();
            closeNow();
            return;
        }
        // Autobahn's finishWhenDone: what an OK behaviour expects has come; wstap closes if it is the one to.
        if (expected.close().isClosedByProbe() && expected.nonStrict() == null && observed.size() == ok.size() && observed.equals(ok)
                && !isCloseSent) {
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
        refill();
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
                stopSending(); // it did not come: the case ends as it stands
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
            if (chunks.isEmpty() && !hasMoreMessages()) {
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
            default -> expected.ok().size() > SHORT_LIST || observed.size() > SHORT_LIST ? firstDifference(expected.ok(), observed)
                    : "expected " + describe(expected.ok()) + (expected.nonStrict() != null ? " (or " + describe(expected.nonStrict()) + ")" : "")
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
        if (isUnimplemented) {
            behaviour = Verdict.UNIMPLEMENTED;
            why = "the " + peer + " agreed to no permessage-deflate" + (isServer ? "" : " (offered: " + compression.offerHeader() + ")");
        } else if (violation != null) {
            behaviour = Verdict.FAILED;
            why = violation + "; " + why;
        } else if (leniency != null && behaviour == Verdict.OK) {
            behaviour = Verdict.NON_STRICT;
            why = leniency;
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
        if (compression != null) return List.copyOf(sentLines);
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

    /** Lists longer than this are told by their first difference. */
    private static final int SHORT_LIST = 6;

    /** {@code expected 100 messages back, got 4; the 5th: expected text message (…), got nothing}. */
    private static String firstDifference(List<Observed> expected, List<Observed> got) {
        int i = 0;
        while (i < expected.size() && i < got.size() && expected.get(i).equals(got.get(i))) i++;
        return "expected " + expected.size() + " answers, got " + got.size() + "; answer " + (i + 1) + ": expected "
                + (i < expected.size() ? expected.get(i).describe() : "nothing") + ", got " + (i < got.size() ? got.get(i).describe() : "nothing");
    }

    private static String describe(List<Observed> list) {
        if (list.isEmpty()) return "nothing";
        return String.join(", ", list.stream().map(Observed::describe).toList());
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
