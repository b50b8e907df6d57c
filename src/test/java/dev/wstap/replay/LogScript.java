package dev.wstap.replay;

import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tap.Closed;
import dev.wstap.tap.Fate;
import dev.wstap.tap.FrameSeen;
import dev.wstap.tap.JsonlLog;
import dev.wstap.tap.Opened;
import dev.wstap.tap.RoundTrips;
import dev.wstap.tap.TapEvent;
import dev.wstap.tap.Traffic;
import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.LengthEncoding;
import dev.wstap.wire.ParsedFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A log written the way wstap writes it (through {@link JsonlLog}), from frames given as bytes:
 * the recordings the replay tests read, each event {@code ms} milliseconds after the open.
 */
final class LogScript {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final int MASK = 0x11223344;
    private final List<TapEvent> events = new ArrayList<>();
    private final String extensions;

    LogScript(String extensions) {
        this.extensions = extensions;
        List<Header> response = new ArrayList<>(List.of(new Header("Upgrade", "websocket"), new Header("Connection", "Upgrade"),
                new Header("Sec-WebSocket-Accept", "x")));
        if (extensions != null) response.add(new Header("Sec-WebSocket-Extensions", extensions));
        events.add(new Opened(T0, 1, "127.0.0.1:5000", "ws://127.0.0.1:9/", new HttpRequest("GET", "/", "HTTP/1.1",
                new Headers(List.of(new Header("Host", "x")))), new HttpResponse("HTTP/1.1", 101, "Switching Protocols",
                new Headers(response)), null, null));
    }

    LogScript() {
        this(null);
    }

    /** A frame of {@code dir} at {@code ms}: masked (with {@link #MASK}) when it goes to the server. */
    LogScript frame(long ms, Direction dir, boolean fin, int rsv, int opcode, byte[] payload) {
        return bytes(ms, dir, FrameEncoder.frame(fin, rsv, opcode, dir == Direction.C2S ? MASK : null, payload,
                LengthEncoding.minimalFor(payload.length), payload.length), Fate.FORWARDED, null);
    }

    LogScript text(long ms, Direction dir, String text) {
        return frame(ms, dir, true, 0, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Frames exactly as {@code hex} has them (malformed ones too), with a fate and a note. */
    LogScript hex(long ms, Direction dir, String hex, Fate fate, String note) {
        return bytes(ms, dir, HexFormat.of().parseHex(hex.replace(" ", "")), fate, note);
    }

    LogScript bytes(long ms, Direction dir, byte[] wire, Fate fate, String note) {
        List<ParsedFrame> frames = new ArrayList<>();
        new FrameParser(dir, 1 << 20, frames::add).feed(wire, 0, wire.length);
        for (ParsedFrame f : frames) events.add(new FrameSeen(T0.plusMillis(ms), 1, dir, f, fate, null, note));
        return this;
    }

    LogScript close(long ms) {
        events.add(new Closed(T0.plusMillis(ms), 1, "client", 1000, "", true, null, Duration.ofMillis(ms),
                new Traffic(0, 0, 0, 0), new Traffic(0, 0, 0, 0), Duration.ZERO, RoundTrips.NONE));
        return this;
    }

    List<String> lines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlLog log = new JsonlLog(out);
        events.forEach(log::accept);
        log.close();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    Recording recording() throws ReplayException {
        return Recording.read(lines().iterator(), "test.jsonl", null);
    }
}
