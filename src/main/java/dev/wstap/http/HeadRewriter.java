package dev.wstap.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Edits a request head in place of rebuilding it: the request target and the Host line change,
 * every other byte (header spelling, order, whitespace, line ends) stays as the client sent it.
 */
public final class HeadRewriter {
    private HeadRewriter() {}

    /**
     * The raw {@code head} with its request target replaced by {@code target} and every Host
     * header line by {@code Host: host}; a Host line is added if there was none.
     */
    public static byte[] rewriteRequest(byte[] head, String target, String host) {
        return rewriteRequest(head, target, host, java.util.Set.of());
    }

    /**
     * As above; a null {@code host} keeps the client's Host lines, and headers named in {@code drop}
     * (lower case) are left out: those meant for the proxy, such as {@code proxy-authorization}.
     */
    public static byte[] rewriteRequest(byte[] head, String target, String host, java.util.Set<String> drop) {
        return rewriteRequest(head, target, host, drop, java.util.Map.of());
    }

    /**
     * As above; headers named in {@code replace} (lower case) get the value given there instead,
     * each once, where the first of them stood.
     */
    public static byte[] rewriteRequest(byte[] head, String target, String host, java.util.Set<String> drop,
                                        java.util.Map<String, String> replace) {
        java.util.Set<String> replaced = new java.util.HashSet<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + 64);
        int lineStart = 0;
        boolean isFirstLine = true;
        boolean hasHost = false;
        while (lineStart < head.length) {
            int nl = indexOf(head, (byte) '\n', lineStart);
            int lineEnd = nl < 0 ? head.length : nl + 1;
            int contentEnd = nl < 0 ? head.length : (nl > lineStart && head[nl - 1] == '\r' ? nl - 1 : nl);
            String eol = new String(head, contentEnd, lineEnd - contentEnd, StandardCharsets.ISO_8859_1);
            String line = new String(head, lineStart, contentEnd - lineStart, StandardCharsets.ISO_8859_1);
            if (isFirstLine) {
                String[] parts = line.split(" ", 3);
                write(out, parts[0] + " " + target + " " + (parts.length > 2 ? parts[2] : "HTTP/1.1") + eol);
                isFirstLine = false;
            } else if (host != null && isHostLine(line)) {
                if (!hasHost) write(out, "Host: " + host + eol);
                hasHost = true;
            } else if (line.isEmpty() && !hasHost && host != null) {
                write(out, "Host: " + host + (eol.isEmpty() ? "\r\n" : eol));
                write(out, eol);
                hasHost = true;
            } else if (replace.containsKey(headerName(line))) {
                String name = headerName(line);
                if (replaced.add(name)) write(out, line.substring(0, line.indexOf(':')) + ": " + replace.get(name) + eol);
            } else if (!drop.contains(headerName(line))) { // the dropped ones are meant for wstap itself
                out.write(head, lineStart, lineEnd - lineStart);
            }
            lineStart = lineEnd;
        }
        return out.toByteArray();
    }

    private static boolean isHostLine(String line) {
        return headerName(line).equals("host");
    }

    private static String headerName(String line) {
        int colon = line.indexOf(':');
        return colon > 0 ? line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT) : "";
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == value) return i;
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
