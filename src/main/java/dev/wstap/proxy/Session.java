package dev.wstap.proxy;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.http.Extensions;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameHeader;
import dev.wstap.wire.FrameParser;
import dev.wstap.tap.FrameSeen;
import dev.wstap.wire.Violation;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One WebSocket connection between a client and the upstream, after a successful handshake: two
 * pumps, one per direction, each on a thread of its own ({@link PumpThreads}), and the facts of how
 * it ended.
 */
public final class Session {
    private final int id;
    private final Conn client;
    private final Conn upstream;
    private final Opened opened;
    private final Tap tap;
    private final Writer toServer;
    private final Writer toClient;
    private final Pump c2s;
    private final Pump s2c;

    private final boolean isClientLocal;
    private ClosePayload firstClose;
    private Direction firstCloseDir;
    /** Directions in which a close frame went on to the receiver, forwarded or wstap's own. */
    private final EnumSet<Direction> closeTowards = EnumSet.noneOf(Direction.class);
    /** Directions whose sender sent a close frame, whether wstap forwarded it or not. */
    private final EnumSet<Direction> closeFrom = EnumSet.noneOf(Direction.class);
    private String endedFirstBy;
    private String error;
    private String abortReason;
    private ClosePayload strictClose;
    private boolean isFirstCloseInjected;
    private long firstCloseNanos;
    private Duration closeAnswer;
    private final PingTracker pings = new PingTracker();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * {@code isClientLocal}: the client end is wstap itself ({@code wstap connect}), so the close
     * frames wstap sends the server are the client's own.
     */
    Session(Opened opened, Conn client, Conn upstream, int maxPreviewBytes, boolean isStrict, boolean isClientLocal, Tap tap) {
        this.id = opened.conn();
        this.isClientLocal = isClientLocal;
        this.opened = opened;
        this.client = client;
        this.upstream = upstream;
        this.tap = tap;
        this.toServer = new Writer(upstream.out());
        this.toClient = new Writer(client.out());
        int allowedRsv = Extensions.rsvBits(opened.extensions());
        DeflateParameters deflate = DeflateParameters.fromResponse(opened.extensions());
        this.c2s = new Pump(this, Direction.C2S, client.in(), toServer, maxPreviewBytes, allowedRsv,
                assembler(Direction.C2S, deflate, maxPreviewBytes, tap, isStrict), isStrict, tap);
        this.s2c = new Pump(this, Direction.S2C, upstream.in(), toClient, maxPreviewBytes, allowedRsv,
                assembler(Direction.S2C, deflate, maxPreviewBytes, tap, isStrict), isStrict, tap);
    }

    /**
     * Whole messages are followed only when someone watches frames, or --strict must judge them:
     * inflating costs time on the forwarding thread.
     */
    private MessageAssembler assembler(Direction dir, DeflateParameters deflate, int maxPreviewBytes, Tap tap, boolean isStrict) {
        if (!tap.isObserved() && !isStrict) return null;
        MessageInflater inflater = deflate == null ? null : MessageInflater.of(deflate, dir == Direction.C2S, maxPreviewBytes);
        return new MessageAssembler(id, dir, maxPreviewBytes, inflater);
    }

    /** What has crossed in direction {@code dir} so far. */
    public Traffic traffic(Direction dir) {
        return dir == Direction.C2S ? c2s.traffic() : s2c.traffic();
    }

    public int id() {
        return id;
    }

    public Opened opened() {
        return opened;
    }

    /** {@code open}, or {@code closing} with who sent the first close frame. */
    public synchronized String state() {
        if (firstCloseDir == null) return "open";
        String by = isFirstCloseInjected ? "wstap" : "the " + firstCloseDir.sender();
        return (isCloseComplete() ? "closed by " : "closing: close sent by ") + by;
    }

    /** Whether a close frame has gone towards the receiver of {@code dir}, forwarded or injected. */
    public synchronized boolean hasSentClose(Direction dir) {
        return closeTowards.contains(dir);
    }

    /** Each peer has been sent a close frame and has sent one (RFC 6455 §7.1.2, on both sides of wstap). */
    private boolean isCloseComplete() {
        return closeTowards.size() == 2 && closeFrom.size() == 2;
    }

    /** The writer towards the server (C2S) or the client (S2C), for injection. */
    public Writer writer(Direction dir) {
        return dir == Direction.C2S ? toServer : toClient;
    }

    /** Runs the session on threads of its own; {@code onEnd} runs after its {@code Closed} event. */
    void start(PumpThreads threads, Runnable onEnd) {
        threads.start("wstap-" + id + "-s2c", () -> {
            try {
                run(threads);
            } finally {
                onEnd.run();
            }
        });
    }

    /** Runs both directions until both have ended. */
    private void run(PumpThreads threads) {
        tap.emit(opened);
        Thread clientSide = threads.start("wstap-" + id + "-c2s", c2s::run);
        s2c.run();
        try {
            clientSide.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSockets();
        tap.emit(closedEvent());
    }

    /**
     * Called by a pump at the end of each frame: follows the close handshake and ping round trips.
     *
     * @return for a pong that answers a ping, its round trip; else null
     */
    Duration frameSeen(Direction dir, ParsedFrame frame) {
        return frameSeen(dir, frame, false, false);
    }

    /**
     * As above, for frames forwarded, injected by wstap ({@code isInjected}), or received but not
     * forwarded because wstap had closed that direction already ({@code isDropped}).
     */
    Duration frameSeen(Direction dir, ParsedFrame frame, boolean isInjected, boolean isDropped) {
        long now = System.nanoTime();
        if (isInjected) (dir == Direction.C2S ? c2s : s2c).injected(frame.header());
        switch (frame.header().opcode()) {
            case Opcode.PING -> pings.ping(dir, frame.preview(), now);
            case Opcode.PONG -> {
                return pings.pong(dir, frame.preview(), now);
            }
            case Opcode.CLOSE -> closeSeen(dir, frame, now, isInjected, isDropped);
            default -> { }
        }
        return null;
    }

    private synchronized void closeSeen(Direction dir, ParsedFrame frame, long nanos, boolean isInjected, boolean isDropped) {
        if (firstCloseDir == null) {
            isFirstCloseInjected = isInjected;
            firstCloseDir = dir;
            firstClose = frame.closePayload();
            firstCloseNanos = nanos;
        }
        if (!isDropped) closeTowards.add(dir);
        if (!isInjected || (isClientLocal && dir == Direction.C2S)) closeFrom.add(dir);
        if (closeAnswer == null && isCloseComplete()) closeAnswer = Duration.ofNanos(nanos - firstCloseNanos);
    }

    /**
     * Called by a pump when its direction ends: {@code side} is the peer whose socket ended or failed,
     * {@code failure} null for an orderly end of stream, {@code cutFrame} where the sender's stream
     * stopped when that was inside a frame ({@code in the middle of a frame, after 10 of its 1000
     * payload bytes}), else null.
     */
    void directionEnded(Direction dir, String side, IOException failure, String cutFrame) {
        synchronized (this) {
            if (endedFirstBy == null) endedFirstBy = side;
            // Once both peers have closed, how TCP ends is no fault: a TLS client that resets its
            // connection right after the close handshake still closed cleanly.
            boolean isAfterCloseHandshake = isCloseComplete() && cutFrame == null;
            if (!isAfterCloseHandshake && error == null) {
                if (failure != null) {
                    error = describe(side, failure) + (cutFrame == null ? "" : " " + cutFrame);
                } else if (cutFrame != null) {
                    error = side + " closed the connection " + cutFrame;
                }
            }
        }
        if (failure == null) {
            // Pass the half-close on, as TCP would have without us; after wstap's close, if it is still to go.
            try {
                if (cutFrame == null) writer(dir).flushPendingClose(); // never inside the cut frame
            } catch (IOException e) {
                // The receiver is gone: there is nothing left to tell it.
            }
            (dir == Direction.C2S ? upstream : client).shutdownOutput();
        } else {
            closeSockets();
        }
    }

    /**
     * {@code --strict}: the sender in {@code dir} broke {@code rule}. As a conforming endpoint would,
     * wstap closes that side with the code the RFC names for it (1007 for bad payload data, 1009
     * for a frame too big, else 1002) and the other side with 1001, then drops both connections.
     */
    void failStrictly(Direction dir, Violation violation) {
        int code = switch (violation.rule()) {
            case INVALID_UTF8, INFLATE_FAILED -> CloseCode.INVALID_PAYLOAD;
            case LENGTH_TOP_BIT_SET -> CloseCode.MESSAGE_TOO_BIG;
            default -> CloseCode.PROTOCOL_ERROR;
        };
        String offender = dir.sender();
        String other = dir.receiver();
        synchronized (this) {
            strictClose = new ClosePayload(code, violation.rule().id());
        }
        sendClose(dir.reverse(), code, violation.rule().id());
        sendClose(dir, CloseCode.GOING_AWAY, "the " + offender + " broke the protocol");
        abort("--strict: the " + offender + " broke the rule " + violation.rule().id() + " — " + violation.message()
                + "; wstap closed the " + offender + " with " + code + " and the " + other + " with " + CloseCode.GOING_AWAY);
    }

    /**
     * A close frame of wstap's own towards the receiver of {@code dir}: masked towards the server,
     * as a client's must be; shown and logged as injected.
     */
    private void sendClose(Direction dir, int code, String reason) {
        byte[] payload = new ClosePayload(code, reason).encode();
        Integer mask = dir == Direction.C2S ? RANDOM.nextInt() : null;
        byte[] frame = FrameEncoder.frame(true, Opcode.CLOSE, mask, payload);
        try {
            if (!writer(dir).tryWriteClose(frame, 1000)) return;
        } catch (IOException | InterruptedException e) {
            return; // that side is gone already; dropping the connection says the rest
        }
        if (!tap.isObserved()) return;
        new FrameParser(dir, FrameHeader.MAX_CONTROL_PAYLOAD_BYTES, parsed ->
                tap.emit(new FrameSeen(Instant.now(), id, dir, parsed, true))).feed(frame, 0, frame.length);
    }

    /**
     * Drops both connections at once; the pumps end with it, and the session's close record says
     * that wstap ended it and why, rather than blaming a peer.
     */
    public void abort(String why) {
        synchronized (this) {
            if (abortReason == null) abortReason = why;
        }
        closeSockets();
    }

    private void closeSockets() {
        client.close();
        upstream.close();
    }

    private static String describe(String side, IOException e) {
        if (e instanceof java.nio.channels.ClosedChannelException) return "connection closed";
        String m = String.valueOf(e.getMessage());
        if (m.contains("reset")) return side + " reset the connection";
        if (m.contains("Broken pipe")) return side + " closed the connection while data was still being sent to it";
        // "Socket is closed": the JDK's TLS socket when the peer hung up without a close_notify.
        if (m.contains("Socket closed") || m.contains("Socket is closed")) return "connection closed";
        return side + ": " + m;
    }

    /** Who was sent a close frame and never sent one, as the close record says it; null when nobody. */
    private String silentPeers() {
        List<String> silent = new ArrayList<>(2);
        for (Direction dir : Direction.values()) {
            if (closeTowards.contains(dir) && !closeFrom.contains(dir.reverse())) silent.add("the " + dir.receiver());
        }
        return silent.isEmpty() ? null : String.join(" and ", silent) + " did not answer the close";
    }

    private synchronized Closed closedEvent() {
        Instant now = Instant.now();
        Duration age = Duration.between(opened.time(), now);
        if (strictClose != null) {
            // wstap ended it on purpose; whatever the peers answered to wstap's closes changes nothing.
            return new Closed(now, id, "wstap", strictClose.code(), strictClose.reason(), false, abortReason, age,
                    c2s.traffic(), s2c.traffic(), null, pings.stats());
        }
        boolean isClean = isCloseComplete();
        if (abortReason != null && !isClean) {
            endedFirstBy = "wstap";
            error = abortReason;
        }
        String closedBy = firstCloseDir == null ? endedFirstBy : isFirstCloseInjected ? "wstap" : firstCloseDir.sender();
        int code = firstClose == null ? -1 : firstClose.code();
        String reason = firstClose == null ? "" : firstClose.reason();
        String shownError = isClean && "connection closed".equals(error) ? null : error;
        if (shownError == null && firstCloseDir == null && endedFirstBy != null) {
            shownError = endedFirstBy + " closed the connection without a close frame";
        }
        String silent = firstCloseDir == null || isClean ? null : silentPeers();
        if (silent != null) shownError = shownError == null ? silent : shownError + "; " + silent;
        return new Closed(now, id, closedBy, code, reason, isClean, shownError, age,
                c2s.traffic(), s2c.traffic(), closeAnswer, pings.stats());
    }
}
