package dev.wstap.autobahn;

import static dev.wstap.autobahn.AutobahnCase.binary;
import static dev.wstap.autobahn.AutobahnCase.fragments;
import static dev.wstap.autobahn.AutobahnCase.of;
import static dev.wstap.autobahn.AutobahnCase.text;

import dev.wstap.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Autobahn|Testsuite family 9, limits and performance: large messages (9.1 text, 9.2 binary),
 * large messages in small fragments (9.3, 9.4), large frames written in small chops (9.5, 9.6),
 * and many small messages one at a time (9.7 text, 9.8 binary). The sizes are Autobahn's divided
 * by {@code scale} (16 by default in {@code wstap probe}, 1 with {@code --full}); the cases are
 * valid, so each must come back whole, and its time is the figure that matters.
 */
public final class Family9Limits {
    private Family9Limits() {}

    private static final byte[] TEXT_PATTERN = "BAsd7&jh23".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY_PATTERN = {0x00, (byte) 0xfe, 0x23, (byte) 0xfa, (byte) 0xf0};
    private static final int K = 1024;
    private static final int M = 1024 * 1024;

    /** The cases with sizes divided by {@code scale} (1: Autobahn's own). */
    public static List<AutobahnCase> cases(int scale) {
        List<AutobahnCase> out = new ArrayList<>();
        int[] sizes = {64 * K, 256 * K, M, 4 * M, 8 * M, 16 * M};
        for (int i = 0; i < sizes.length; i++) {
            int n = sizes[i] / scale;
            out.add(of("9.1." + (i + 1), "text message of " + bytes(n), text(true, pattern(TEXT_PATTERN, n))));
        }
        for (int i = 0; i < sizes.length; i++) {
            int n = sizes[i] / scale;
            out.add(of("9.2." + (i + 1), "binary message of " + bytes(n), binary(true, pattern(BINARY_PATTERN, n))));
        }
        int[] fragmentSizes = {64, 256, K, 4 * K, 16 * K, 64 * K, 256 * K, M, 4 * M};
        int big = 4 * M / scale;
        for (int i = 0; i < fragmentSizes.length; i++) {
            int f = Math.min(fragmentSizes[i], big);
            out.add(of("9.3." + (i + 1), "text message of " + bytes(big) + " in fragments of " + bytes(f),
                    fragments(Opcode.TEXT, pattern(new byte[] {'*'}, big), f)));
        }
        for (int i = 0; i < fragmentSizes.length; i++) {
            int f = Math.min(fragmentSizes[i], big);
            out.add(of("9.4." + (i + 1), "binary message of " + bytes(big) + " in fragments of " + bytes(f),
                    fragments(Opcode.BINARY, pattern(new byte[] {(byte) 0xfe}, big), f)));
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        int chopped = M / scale;
        for (int i = 0; i < chops.length; i++) {
            out.add(of("9.5." + (i + 1), "text message of " + bytes(chopped) + " written in chops of " + chops[i] + " octets",
                    text(true, pattern(TEXT_PATTERN, chopped))).inChopsOf(chops[i]));
        }
        for (int i = 0; i < chops.length; i++) {
            out.add(of("9.6." + (i + 1), "binary message of " + bytes(chopped) + " written in chops of " + chops[i] + " octets",
                    binary(true, pattern(BINARY_PATTERN, chopped))).inChopsOf(chops[i]));
        }
        int[] small = {0, 16, 64, 256, K, 4 * K};
        int count = Math.max(1, 1000 / (scale == 1 ? 1 : 10));
        for (int i = 0; i < small.length; i++) {
            List<AutobahnCase.Frame> frames = new ArrayList<>();
            for (int j = 0; j < count; j++) frames.add(text(true, pattern(new byte[] {'*'}, small[i])));
            out.add(of("9.7." + (i + 1), count + " text messages of " + bytes(small[i]) + ", one at a time", frames).frameWise());
        }
        for (int i = 0; i < small.length; i++) {
            List<AutobahnCase.Frame> frames = new ArrayList<>();
            for (int j = 0; j < count; j++) frames.add(binary(true, pattern(new byte[] {(byte) 0xfe}, small[i])));
            out.add(of("9.8." + (i + 1), count + " binary messages of " + bytes(small[i]) + ", one at a time", frames).frameWise());
        }
        return out;
    }

    /** {@code n} bytes of {@code pattern} over and over, as Autobahn's {@code payload_len} repeats its payload. */
    static byte[] pattern(byte[] pattern, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = pattern[i % pattern.length];
        return out;
    }

    private static String bytes(int n) {
        if (n >= M && n % M == 0) return n / M + " MiB";
        if (n >= K && n % K == 0) return n / K + " KiB";
        return n + " B";
    }
}
