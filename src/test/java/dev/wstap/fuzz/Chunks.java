package dev.wstap.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a fuzz test cuts its input into the pieces a socket might deliver: one byte at a time, or
 * pieces of fuzzer-chosen sizes (empty ones included), the rest in one last piece. Each piece is a
 * fresh array with a byte of padding either side, so that a parser that reads outside its
 * {@code off, len} or keeps a reference to the array is caught: {@link Chunk#scribble()} overwrites
 * the array once the parser has returned.
 */
record Chunks(boolean isBytewise, int[] sizes) {
    /** Up to this many piece sizes per input: enough to cut every header field apart. */
    private static final int MAX_PIECES = 24;
    private static final byte PADDING = (byte) 0xA5;

    /** One piece: {@code bytes[off, off+len)}. */
    record Chunk(byte[] bytes, int off, int len) {
        /** Overwrites the whole array, as a caller reusing its read buffer would. */
        void scribble() {
            Arrays.fill(bytes, (byte) 0x5A);
        }
    }

    /**
     * Reads a plan from the end of the fuzzer's input (where FuzzedDataProvider takes numbers
     * from): one byte for {@code isBytewise} (bit 0), one for the number of sizes, one per size.
     * All zero bytes mean: the input whole, in one piece.
     */
    static Chunks consume(FuzzedDataProvider data) {
        boolean isBytewise = data.consumeBoolean();
        int[] sizes = new int[data.consumeInt(0, MAX_PIECES)];
        for (int i = 0; i < sizes.length; i++) sizes[i] = data.consumeInt(0, 255);
        return new Chunks(isBytewise, sizes);
    }

    /** The pieces of {@code input}, in order; together they hold exactly its bytes. */
    List<Chunk> cut(byte[] input) {
        List<Chunk> pieces = new ArrayList<>();
        int pos = 0;
        for (int i = 0; pos < input.length && (isBytewise || i < sizes.length); i++) {
            int len = isBytewise ? 1 : Math.min(sizes[i], input.length - pos);
            pieces.add(padded(input, pos, len));
            pos += len;
        }
        if (pos < input.length || pieces.isEmpty()) pieces.add(padded(input, pos, input.length - pos));
        return pieces;
    }

    private static Chunk padded(byte[] input, int pos, int len) {
        byte[] bytes = new byte[len + 2];
        bytes[0] = PADDING;
        bytes[len + 1] = PADDING;
        System.arraycopy(input, pos, bytes, 1, len);
        return new Chunk(bytes, 1, len);
    }
}
