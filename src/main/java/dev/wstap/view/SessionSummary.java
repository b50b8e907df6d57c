package dev.wstap.view;

import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.HttpSeen;
import dev.wstap.tap.MessageSeen;
import dev.wstap.tap.Opened;
import dev.wstap.tap.TapEvent;
import dev.wstap.wire.CloseCode;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameHeader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wstap view --stats}: one row per session in a log, from the records chosen: when it
 * opened, how long it lasted, frames and bytes each way (the "c2s" and "s2c" columns count
 * frames that crossed), whole messages (one for each {@link MessageSeen}, those a log makes again
 * from their frame's record included), injected and flagged frames, how it ended (with the
 * frames not forwarded after wstap's own close) and where to.
 */
public final class SessionSummary {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** What one session did. */
    private static final class Row {
        String url = "?";
        Instant opened;
        Instant last;
        final long[] frames = new long[2];
        final long[] bytes = new long[2];
        long messages;
        long injected;
        long flagged;
        /** Frames received after wstap's own close that way, and not forwarded. */
        long dropped;
        String end = "open";
        int conn;
    }

    /** Rows in the order sessions opened; a log appended by several runs numbers its sessions from 1 each time. */
    private final List<Row> rows = new ArrayList<>();
    private final Map<Integer, Row> current = new HashMap<>();
    private final ZoneId zone;

    public SessionSummary(ZoneId zone) {
        this.zone = zone;
    }

    public void add(TapEvent event) {
        if (event instanceof HttpSeen) return;
        Row row = current.get(event.conn());
        if (row == null || event instanceof Opened) {
            row = new Row();
            row.conn = event.conn();
            rows.add(row);
            current.put(event.conn(), row);
        }
        if (row.opened == null) row.opened = event.time();
        row.last = event.time();
        switch (event) {
            case Opened o -> row.url = o.url();
            case FrameSeen f when f.fate() == Fate.HELD -> { } // a later record of the frame says how the hold ended
            case FrameSeen f when f.isDropped() -> row.dropped++;
            case FrameSeen f -> {
                FrameHeader h = f.frame().header();
                int d = f.dir() == Direction.C2S ? 0 : 1;
                row.frames[d]++;
                row.bytes[d] += h.encodedLength() + Math.max(0, h.payloadLength());
                if (f.isInjected()) row.injected++;
                if (f.frame().hasViolations()) row.flagged++;
            }
            case MessageSeen m -> {
                row.messages++;
                if (!m.isSameAsFrame() && !m.violations().isEmpty()) row.flagged++; // else its frame was counted
            }
            case Closed c -> row.end = c.code() >= 0 ? c.code() + " " + CloseCode.name(c.code()) + " by " + c.closedBy()
                    + (c.isClean() ? "" : ", unanswered") : c.error() != null ? c.error() : "no close frame";
            case HttpSeen h -> { }
        }
    }

    /** Leaves session {@code conn} out: none of its records was chosen ({@link ChosenSessions}). */
    public void forget(int conn) {
        Row row = current.remove(conn);
        if (row != null) rows.remove(row);
    }

    public void print(PrintStream out) {
        out.printf("%-5s %-8s %9s %7s %10s %7s %10s %8s %8s %7s  %s%n", "conn", "opened", "duration", "c2s", "c2s bytes",
                "s2c", "s2c bytes", "messages", "injected", "flagged", "ended · url");
        for (Row r : rows) {
            Duration d = Duration.between(r.opened, r.last);
            out.printf("#%-4d %-8s %8.3fs %7d %10d %7d %10d %8d %8d %7d  %s · %s%n", r.conn, TIME.format(r.opened.atZone(zone)),
                    d.toNanos() / 1e9, r.frames[0], r.bytes[0], r.frames[1], r.bytes[1], r.messages, r.injected, r.flagged,
                    r.end + (r.dropped == 0 ? "" : ", " + r.dropped + " not forwarded"), r.url);
        }
        if (rows.isEmpty()) out.println("no sessions");
    }
}
