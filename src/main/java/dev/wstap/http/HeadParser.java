package dev.wstap.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses HTTP/1.1 request and response heads (RFC 9112 §2-5). Pure: bytes in, values out. */
public final class HeadParser {
    private HeadParser() {}

    /** @throws HttpException 400 with a one-line reason when the head is malformed */
    public static HttpRequest parseRequest(byte[] head) throws HttpException {
        List<String> lines = lines(head);
        String[] parts = lines.get(0).split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw bad("malformed request line '" + printable(lines.get(0)) + "'");
        }
        if (!isToken(parts[0])) throw bad("malformed method '" + printable(parts[0]) + "'");
        // RFC 9112 §3: the parts hold no whitespace. A tab inside one may be a separator to the
        // upstream, which would then read another request line than wstap did.
        if (!isVisible(parts[1]) || !isVisible(parts[2])) {
            throw bad("malformed request line '" + printable(lines.get(0)) + "'");
        }
        if (!parts[2].startsWith("HTTP/1.")) {
            throw bad("unsupported protocol version '" + printable(parts[2]) + "' (wstap speaks HTTP/1.x)");
        }
        return new HttpRequest(parts[0], parts[1], parts[2], headers(lines));
    }

    /** @throws HttpException 502 when the upstream's head is malformed */
    public static HttpResponse parseResponse(byte[] head) throws HttpException {
        List<String> lines;
        try {
            lines = lines(head);
        } catch (HttpException e) {
            throw new HttpException(502, "upstream sent a malformed head: " + e.getMessage());
        }
        String line = lines.get(0);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !isVisible(parts[0])) {
            throw new HttpException(502, "upstream sent a malformed status line '" + printable(line) + "'");
        }
        // RFC 9110 §15: three digits, 100-599 defined; Integer.parseInt alone would take "+99" or "-01".
        if (!parts[1].matches("[1-9][0-9][0-9]")) {
            throw new HttpException(502, "upstream sent a malformed status code '" + printable(parts[1]) + "'");
        }
        int status = Integer.parseInt(parts[1]);
        try {
            return new HttpResponse(parts[0], status, parts.length > 2 ? parts[2] : "", headers(lines));
        } catch (HttpException e) {
            throw new HttpException(502, "upstream sent a malformed header: " + e.getMessage());
        }
    }

    private static List<String> lines(byte[] head) throws HttpException {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) nl = text.length();
            int end = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            String line = text.substring(start, end);
            if (line.isEmpty() && !lines.isEmpty()) break;
            // RFC 9112 §2.2 and RFC 9110 §5.5: a bare CR or a NUL is refused, not relayed, since
            // the next recipient may take the CR for a line end.
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\r' || c == 0) {
                    throw bad(String.format("byte 0x%02x at offset %d of the line '%s'", (int) c, i, printable(line)));
                }
            }
            lines.add(line);
            start = nl + 1;
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) throw bad("empty first line");
        return lines;
    }

    private static Headers headers(List<String> lines) throws HttpException {
        List<Header> headers = new ArrayList<>(lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(" ") || line.startsWith("\t")) {
                // RFC 9112 §5.2: obsolete line folding; a proxy may reject it with 400.
                throw bad("header line folding is not allowed: '" + printable(line) + "'");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) throw bad("header line without a name: '" + printable(line) + "'");
            String name = line.substring(0, colon);
            if (!isToken(name)) throw bad("malformed header name '" + printable(name) + "'");
            headers.add(new Header(name, line.substring(colon + 1).strip()));
        }
        return new Headers(headers);
    }

    /** No whitespace and no control character (RFC 9112 §3); obs-text is let through. */
    private static boolean isVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7F) return false;
        }
        return true;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return !s.isEmpty();
    }

    /** A line for an error message: control characters escaped, at most 80 characters. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) out.append(String.format("\\x%02x", (int) c));
            else out.append(c);
        }
        return s.length() > 80 ? out + "…" : out.toString();
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }
}
