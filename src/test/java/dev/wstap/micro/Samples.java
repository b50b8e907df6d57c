package dev.wstap.micro;

import dev.wstap.wire.Direction;
import dev.wstap.wire.FrameEncoder;
import dev.wstap.wire.FrameParser;
import dev.wstap.wire.Opcode;
import dev.wstap.wire.ParsedFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Payloads and frames the microbenchmarks share: the same bytes on every run (fixed seeds), sized
 * exactly, like the traffic wstap is put in front of (JSON messages, text in several scripts).
 *
 * <p>Every benchmark forks with a fixed heap, touched in full at start-up ({@code -XX:+AlwaysPreTouch}):
 * in a VM the first touch of a fresh heap page can cost microseconds, and without it the first
 * seconds of a fork measured page faults (a 4 KiB frame parsed in 12 µs instead of 0.3 µs).
 */
final class Samples {
    /** The mask key of RFC 6455 §5.7's examples. */
    static final int MASK_KEY = 0x37fa213d;
    /** What {@code --max-preview} keeps of each payload by default. */
    static final int MAX_PREVIEW_BYTES = 65536;
    /** What one large read of a pump takes from a socket at most. */
    static final int READ_BYTES = 64 * 1024;
    /** Byte benchmarks do this much work per invocation, so that their ops/s read as bytes/s. */
    static final int BYTES_PER_INVOCATION = 1 << 20;

    private static final String[] NAMES = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
    private static final String PROSE = "the quick brown fox jumps over the lazy dog ";
    /** Latin, Greek (2-byte), Japanese (3-byte) and an emoji (4-byte), as chat traffic mixes them. */
    private static final String MULTILINGUAL = "Hello, Καλημέρα κόσμε, こんにちは世界 🙂 ";

    private Samples() {}

    /**
     * A JSON object of exactly {@code bytes} bytes (at least 30): a list of small records, as an
     * API or a game server sends them, then a note padded to the size.
     * {@code json(32)} is {@code {"seq":1,"items":[],"note":"th"}}.
     */
    static byte[] json(int bytes) {
        String close = "],\"note\":\"\"}";
        StringBuilder s = new StringBuilder("{\"seq\":1,\"items\":[");
        if (s.length() + close.length() > bytes) throw new IllegalArgumentException(bytes + " bytes cannot hold the JSON sample");
        Random random = new Random(bytes);
        while (true) {
            String item = (s.charAt(s.length() - 1) == '[' ? "" : ",") + "{\"id\":" + random.nextInt(100_000)
                    + ",\"price\":" + random.nextInt(10_000) / 100.0 + ",\"name\":\"" + NAMES[random.nextInt(NAMES.length)]
                    + "\",\"live\":" + random.nextBoolean() + "}";
            if (s.length() + item.length() + close.length() > bytes) break;
            s.append(item);
        }
        s.append("],\"note\":\"");
        for (int pad = bytes - s.length() - 2, i = 0; i < pad; i++) s.append(PROSE.charAt(i % PROSE.length()));
        s.append("\"}");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Valid UTF-8 of exactly {@code bytes} bytes, mostly multi-byte characters, ASCII spaces at the end. */
    static byte[] multilingual(int bytes) {
        byte[] out = new byte[bytes];
        byte[] sample = MULTILINGUAL.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = 0; n < bytes; i = (i + 1) % sample.length) {
            int length = sequenceLength(sample[i]);
            if (length > 1 && n + length > bytes) break;
            System.arraycopy(sample, i, out, n, length);
            n += length;
            i += length - 1;
        }
        for (; n < bytes; n++) out[n] = ' ';
        return out;
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    }

    /** One final frame as it crosses the wire: masked (with {@link #MASK_KEY}) when the client sends it. */
    static byte[] wireFrame(Direction dir, int opcode, byte[] payload) {
        return FrameEncoder.frame(true, opcode, dir.requiresMask() ? MASK_KEY : null, payload);
    }

    /** A text frame as the parser reports it to the tap, its preview as long as {@code --max-preview} keeps. */
    static ParsedFrame parsedText(Direction dir, byte[] payload) {
        byte[] wire = wireFrame(dir, Opcode.TEXT, payload);
        List<ParsedFrame> frames = new ArrayList<>();
        new FrameParser(dir, MAX_PREVIEW_BYTES, frames::add).feed(wire, 0, wire.length);
        if (frames.size() != 1) throw new IllegalStateException("expected one frame, parsed " + frames.size());
        return frames.get(0);
    }
}
