package dev.wstap.proxy;

import dev.wstap.deflate.DeflateParameters;
import dev.wstap.deflate.MessageInflater;
import dev.wstap.http.Extensions;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.Tap;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.ClosePayload;
import dev.wstap.wire.Direction;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import dev.wstap.wire.Violation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One WebSocket connection between a client and the upstream, after a successful handshake: two
 * pumps, one per direction, each on a thread of its own ({@link PumpThreads}), each with a decision
 * point ({@link #handlers}) between its parser and its writer; the {@link SessionState} that the
 * writers and pumps feed; and what left wstap each way.
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
    private final HandlerChain c2sHandlers = new HandlerChain();
    private final HandlerChain s2cHandlers = new HandlerChain();
    private final TrafficCounter c2sTraffic = new TrafficCounter();
    private final TrafficCounter s2cTraffic = new TrafficCounter();
    private final SessionState state;
    private final PingTracker pings = new PingTracker();
    private final Outbox c2sOutbox;
    private final Outbox s2cOutbox;
    private volatile Supplier<HoldRules> holdRules = () -> HoldRules.DEFAULT;

    /**
     * {@code isClientLocal}: the client end is wstap itself ({@code wstap connect}), so the close
     * frames wstap sends the server are the client's own.
     */
    Session(Opened opened, Conn client, Conn upstream, int maxPreviewBytes, boolean isStrict, boolean isClientLocal, Tap tap) {
        this(opened, client, upstream, maxPreviewBytes, isStrict, isClientLocal, tap, null);
    }

    /** As above; {@code setup}, when not null, sets the session up before its first frame. */
    Session(Opened opened, Conn client, Conn upstream, int maxPreviewBytes, boolean isStrict, boolean isClientLocal, Tap tap,
            SessionSetup setup) {
        this.id = opened.conn();
        this.state = new SessionState(isClientLocal);
        this.opened = opened;
        this.client = client;
        this.upstream = upstream;
        this.tap = tap;
        this.toServer = new Writer(upstream.out(), this, Direction.C2S);
        this.toClient = new Writer(client.out(), this, Direction.S2C);
        int allowedRsv = Extensions.rsvBits(opened.extensions());
        DeflateParameters deflate = DeflateParameters.fromResponse(opened.extensions());
        // Previews are for observers and handlers: without either, a data frame's payload is not copied at all
        // (control frames keep theirs).
        boolean isJudged = tap.isObserved() || setup != null;
        int previewBytes = isJudged ? maxPreviewBytes : 0;
        this.c2sOutbox = new Outbox(toServer, this, Direction.C2S, new MessageEncoder(id, Direction.C2S, deflate));
        this.s2cOutbox = new Outbox(toClient, this, Direction.S2C, new MessageEncoder(id, Direction.S2C, deflate));
        this.c2s = new Pump(this, Direction.C2S, client.in(), toServer, c2sOutbox, c2sHandlers,
                previewBytes, allowedRsv, assembler(Direction.C2S, deflate, maxPreviewBytes, isJudged || isStrict), isStrict);
        this.s2c = new Pump(this, Direction.S2C, upstream.in(), toClient, s2cOutbox, s2cHandlers,
                previewBytes, allowedRsv, assembler(Direction.S2C, deflate, maxPreviewBytes, isJudged || isStrict), isStrict);
        if (setup != null) setup.setUp(this);
    }

    /**
     * Whole messages are followed only when someone watches frames, a handler may judge them, or
     * --strict must: inflating costs time on the forwarding thread.
     */
    private MessageAssembler assembler(Direction dir, DeflateParameters deflate, int maxPreviewBytes, boolean isFollowed) {
        if (!isFollowed) return null;
        MessageInflater inflater = deflate == null ? null : MessageInflater.of(deflate, dir == Direction.C2S, maxPreviewBytes);
        return new MessageAssembler(id, dir, maxPreviewBytes, inflater);
    }

    /** What has left wstap in direction {@code dir} so far, and what arrived and was not sent. */
    public Traffic traffic(Direction dir) {
        return (dir == Direction.C2S ? c2sTraffic : s2cTraffic).snapshot();
    }

    public int id() {
        return id;
    }

    public Opened opened() {
        return opened;
    }

    /** The decision point of direction {@code dir}: add a {@link FrameHandler} to decide frames' fates. */
    public HandlerChain handlers(Direction dir) {
        return dir == Direction.C2S ? c2sHandlers : s2cHandlers;
    }

    /** How held messages share their direction with other traffic; asked whenever it matters, so it may change. */
    public void holdRules(Supplier<HoldRules> rules) {
        holdRules = rules;
    }

    HoldRules holdRules() {
        return holdRules.get();
    }

    /** Where the session's events go (injected frames' messages too). */
    Tap tap() {
        return tap;
    }

    /** How the session is closing, fed by the writers and pumps. */
    SessionState closeState() {
        return state;
    }

    /** {@code open}, or {@code closing} with who sent the first close frame. */
    public String state() {
        return state.describeState();
    }

    /** Whether a close frame has gone towards the receiver of {@code dir}, forwarded or injected. */
    public boolean hasSentClose(Direction dir) {
        return state.hasSentClose(dir);
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
     * A frame is about to leave in {@code dir} (its writer's lock is held): a ping starts its clock,
     * a pong that answers one gets its round trip, and the frame is shown before anything the peer
     * answers to it.
     */
    void leaving(Direction dir, ParsedFrame frame, Fate fate, String note, MessageSeen message) {
        Duration roundTrip = followPings(dir, frame);
        // A close moves the close handshake on before its bytes go: the peer may answer before the write returns.
        if (frame.header().opcode() == Opcode.CLOSE) {
            state.closeWritten(dir, fate == Fate.INJECTED ? SessionState.Origin.WSTAP : SessionState.Origin.PEER,
                    frame.closePayload(), System.nanoTime());
        }
        if (!tap.isObserved()) return;
        FrameSeen seen = new FrameSeen(Instant.now(), id, dir, frame, fate, roundTrip, note);
        tap.emit(seen);
        // The message it ends follows it, at its time: the one followed on the way in, or a frame of wstap's own by itself.
        if (message != null) {
            tap.emit(message.at(seen.time()));
        } else if (frame.isWholeMessage() && isWstaps(fate)) {
            tap.emit(MessageSeen.ofFrame(seen));
        }
    }

    /** Frames wstap made: no assembler followed them on the way in. */
    private static boolean isWstaps(Fate fate) {
        return fate == Fate.INJECTED || fate == Fate.EDITED || fate == Fate.INSERTED;
    }

    /** A frame left in {@code dir}: it counts. */
    void left(Direction dir, ParsedFrame frame, Fate fate) {
        (dir == Direction.C2S ? c2sTraffic : s2cTraffic).sent(frame);
    }

    /** {@code bytes} went out in {@code dir}, whole frames or a part of one. */
    void wrote(Direction dir, int bytes) {
        (dir == Direction.C2S ? c2sTraffic : s2cTraffic).wrote(bytes);
    }

    /** A frame arrived in {@code dir} and was not sent ({@code fate} says why); a peer's close still answers wstap's. */
    void notSent(Direction dir, ParsedFrame frame, Fate fate, String note) {
        (dir == Direction.C2S ? c2sTraffic : s2cTraffic).notSent();
        Duration roundTrip = followPings(dir, frame);
        if (frame.header().opcode() == Opcode.CLOSE) state.closeNotForwarded(dir, frame.closePayload(), System.nanoTime());
        if (tap.isObserved()) tap.emit(new FrameSeen(Instant.now(), id, dir, frame, fate, roundTrip, note));
    }

    /** A frame arrived in {@code dir} and is held for a decision: shown, not counted until it goes or is dropped. */
    void held(Direction dir, ParsedFrame frame, String note) {
        if (tap.isObserved()) tap.emit(new FrameSeen(Instant.now(), id, dir, frame, Fate.HELD, null, note));
    }

    private Duration followPings(Direction dir, ParsedFrame frame) {
        return switch (frame.header().opcode()) {
            case Opcode.PING -> {
                pings.ping(dir, frame.preview(), System.nanoTime());
                yield null;
            }
            case Opcode.PONG -> pings.pong(dir, frame.preview(), System.nanoTime());
            default -> null;
        };
    }

    /**
     * Called by a pump when its direction ends: {@code side} is the peer whose socket ended or failed,
     * {@code failure} null for an orderly end of stream, {@code cutFrame} where the sender's stream
     * stopped when that was inside a frame ({@code in the middle of a frame, after 10 of its 1000
     * payload bytes}), else null.
     */
    void directionEnded(Direction dir, SessionState.Party side, IOException failure, String cutFrame) {
        state.directionEnded(dir, side, failure == null ? null : failureOf(failure), cutFrame);
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
        state.strictFailure(code, violation.rule().id(), "--strict: the " + offender + " broke the rule " + violation.rule().id()
                + " — " + violation.message() + "; wstap closed the " + offender + " with " + code + " and the " + other
                + " with " + CloseCode.GOING_AWAY);
        sendClose(dir.reverse(), code, violation.rule().id());
        sendClose(dir, CloseCode.GOING_AWAY, "the " + offender + " broke the protocol");
        closeSockets();
    }

    /**
     * A close frame of wstap's own towards the receiver of {@code dir}: masked towards the server,
     * as a client's must be; shown and logged as injected. Gives up when a frame is still streaming
     * through after a second.
     */
    private void sendClose(Direction dir, int code, String reason) {
        OutFrame close = OutFrame.control(dir == Direction.C2S, Opcode.CLOSE, new ClosePayload(code, reason).encode(), Fate.INJECTED, null);
        try {
            writer(dir).tryWriteClose(close, 1000);
        } catch (IOException | InterruptedException e) {
            // That side is gone already: dropping the connection says the rest.
        }
    }

    /**
     * Drops both connections at once; the pumps end with it, and the session's close record says
     * that wstap ended it and why, rather than blaming a peer.
     */
    public void abort(String why) {
        state.aborted(why);
        closeSockets();
    }

    /** Drops both connections with a TCP reset, as a crashing peer or middlebox would; the close record says why. */
    public void reset(String why) {
        state.aborted(why);
        client.reset();
        upstream.reset();
        c2sOutbox.abandon("the connection was reset while it was held");
        s2cOutbox.abandon("the connection was reset while it was held");
    }

    private void closeSockets() {
        client.close();
        upstream.close();
        c2sOutbox.abandon("the connection ended while it was held");
        s2cOutbox.abandon("the connection ended while it was held");
    }

    /** How a socket failed, in the state machine's terms; the JDK says it only in its messages. */
    private static SessionState.Failure failureOf(IOException e) {
        if (e instanceof java.nio.channels.ClosedChannelException) return new SessionState.Failure(SessionState.FailureKind.CONNECTION_CLOSED, null);
        String m = String.valueOf(e.getMessage());
        if (m.contains("reset")) return new SessionState.Failure(SessionState.FailureKind.RESET, m);
        if (m.contains("Broken pipe")) return new SessionState.Failure(SessionState.FailureKind.BROKEN_PIPE, m);
        // "Socket is closed": the JDK's TLS socket when the peer hung up without a close_notify.
        if (m.contains("Socket closed") || m.contains("Socket is closed")) {
            return new SessionState.Failure(SessionState.FailureKind.CONNECTION_CLOSED, m);
        }
        return new SessionState.Failure(SessionState.FailureKind.OTHER, m);
    }

    private Closed closedEvent() {
        Instant now = Instant.now();
        SessionState.Ending end = state.ending();
        return new Closed(now, id, end.closedBy() == null ? null : end.closedBy().label(), end.code(), end.reason(), end.isClean(),
                end.error(), Duration.between(opened.time(), now), traffic(Direction.C2S), traffic(Direction.S2C),
                end.closeAnswer(), pings.stats());
    }
}
