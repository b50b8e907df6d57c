package dev.wstap.deflate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses messages as a permessage-deflate sender does (RFC 7692 §7.2.1): raw DEFLATE, each
 * message ended with a sync flush whose {@code 00 00 ff ff} tail is then removed. With context
 * takeover the compressor goes on from message to message, so later messages refer back into
 * earlier ones; with {@code *_no_context_takeover} it starts afresh for every message.
 *
 * <p>Window bits. {@link Deflater} always uses a 15-bit window (32 KiB) and cannot be told a
 * smaller one. For {@code max_window_bits} w below 15 this class compresses each message in chunks
 * of 2^(w-1) bytes, each by a reset {@code Deflater} primed ({@link Deflater#setDictionary}) with
 * the 2^(w-1) bytes that came just before the chunk: earlier in the message, or at the end of the
 * previous messages when context takeover is allowed. A match then reaches back at most
 * 2^(w-1) + 2^(w-1) - 1 &lt; 2^w bytes, so the stream is one that a compressor with a 2^w-byte
 * window may produce, and an inflater with that window can read. Each chunk ends with a sync
 * flush, so the pieces join byte-aligned into one DEFLATE stream. (The proxy inflates with a
 * 32 KiB window whatever was agreed; it must read these streams all the same.)
 *
 * <p>wstap uses it for messages it injects with {@code --compress}, and its tests for what peers send.
 *
 * <p>Not thread safe. Example: {@code new MessageDeflater(false, 15).compress(utf8("Hello"))} gives
 * {@code f2 48 cd c9 c9 07 00}, RFC 7692 §7.2.3.1.
 */
public final class MessageDeflater {
    public static final int MAX_WINDOW_BITS = 15; // RFC 7692 §7.1.2.1
    public static final int MIN_WINDOW_BITS = 8;
    /** RFC 7692 §7.2.1: the end of every sync flush, removed from each message. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private final boolean isNoContextTakeover;
    private final int windowBits;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final byte[] buffer = new byte[16 * 1024];
    /** For windows below 15 bits: the last bytes compressed, at most one chunk of them. */
    private byte[] history = new byte[0];

    public MessageDeflater(boolean isNoContextTakeover, int windowBits) {
        if (windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits " + windowBits + " are outside 8-15 (RFC 7692 §7.1.2.1)");
        }
        this.isNoContextTakeover = isNoContextTakeover;
        this.windowBits = windowBits;
    }

    /** The message's compressed payload, as it goes into the message's frames. */
    public byte[] compress(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 16);
        if (windowBits == MAX_WINDOW_BITS) {
            if (isNoContextTakeover) deflater.reset();
            deflater.setInput(message);
            syncFlush(out);
        } else {
            if (isNoContextTakeover) history = new byte[0];
            int chunkBytes = 1 << (windowBits - 1);
            int off = 0;
            do {
                int n = Math.min(chunkBytes, message.length - off);
                deflater.reset();
                if (history.length > 0) deflater.setDictionary(history);
                deflater.setInput(message, off, n);
                syncFlush(out);
                history = lastBytes(history, message, off, n, chunkBytes);
                off += n;
            } while (off < message.length);
        }
        byte[] all = out.toByteArray();
        if (!Arrays.equals(all, all.length - TAIL.length, all.length, TAIL, 0, TAIL.length)) {
            throw new IllegalStateException("a sync flush did not end with 00 00 ff ff");
        }
        return Arrays.copyOf(all, all.length - TAIL.length);
    }

    private void syncFlush(ByteArrayOutputStream out) {
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) out.write(buffer, 0, n);
    }

    /** The last {@code max} bytes of {@code before} followed by {@code bytes[off, off+n)}. */
    private static byte[] lastBytes(byte[] before, byte[] bytes, int off, int n, int max) {
        int fromBefore = Math.min(before.length, max - Math.min(n, max));
        byte[] out = new byte[fromBefore + Math.min(n, max)];
        System.arraycopy(before, before.length - fromBefore, out, 0, fromBefore);
        System.arraycopy(bytes, off + n - (out.length - fromBefore), out, fromBefore, out.length - fromBefore);
        return out;
    }

    /**
     * Why a message compressed on its own (as wstap injects one) cannot go into a session in this
     * direction, or null when it can. It can only where the real sender resets its compressor for
     * every message too ({@code *_no_context_takeover}): otherwise the injected message would sit
     * in the receiver's window where the sender's next message expects its own history, and
     * corrupt it.
     */
    public static String refusal(DeflateParameters agreed, boolean isClientToServer) {
        if (agreed == null) return "--compress: this session did not agree on permessage-deflate";
        if (!agreed.isNoContextTakeover(isClientToServer)) {
            String side = isClientToServer ? "client" : "server";
            return "--compress: the " + side + " keeps its compression context between messages (no " + side
                    + "_no_context_takeover agreed), so a compressed message from wstap would corrupt the "
                    + (isClientToServer ? "server" : "client") + "'s view of the " + side + "'s next one; send it uncompressed";
        }
        return null;
    }
}
