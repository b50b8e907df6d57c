package dev.wstap.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response off a {@link RawClient}, framed as RFC 9112 §6.3 says (Content-Length
 * or chunked), reading not a byte further, so that the next response on a kept-alive connection
 * is still there to read. Keeps the bytes as they came and the body decoded.
 */
public final class HttpMessages {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:[ \\t]*(\\d+)[ \\t]*$");
    private static final Pattern CHUNKED = Pattern.compile("(?im)^transfer-encoding:[ \\t]*chunked[ \\t]*$");

    private HttpMessages() {}

    /**
     * One response.
     *
     * @param raw  every byte of it, head and body, as it arrived
     * @param head the head as text, blank line included
     * @param body the body, de-chunked
     */
    public record Response(byte[] raw, String head, byte[] body) {
        public String statusLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isChunked() {
            return CHUNKED.matcher(head).find();
        }
    }

    /** Reads a response that has a Content-Length or is chunked (all that a kept-alive connection allows). */
    public static Response readResponse(RawClient client) throws IOException {
        byte[] headBytes = client.readHead();
        String head = new String(headBytes, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(headBytes);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (CHUNKED.matcher(head).find()) {
            readChunked(client, raw, body);
        } else if (length.find()) {
            byte[] b = client.readExactly(Integer.parseInt(length.group(1)));
            raw.writeBytes(b);
            body.writeBytes(b);
        } else if (!head.toLowerCase(Locale.ROOT).startsWith("http/1.1 101 ")) {
            throw new AssertionError("response has neither Content-Length nor chunked framing:\n" + head);
        }
        return new Response(raw.toByteArray(), head, body.toByteArray());
    }

    /** RFC 9112 §7.1: size line, data, CRLF; a zero size ends it, then trailer lines up to a blank one. */
    private static void readChunked(RawClient client, ByteArrayOutputStream raw, ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = readLine(client, raw);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) break;
            byte[] data = client.readExactly(size);
            raw.writeBytes(data);
            body.writeBytes(data);
            if (!readLine(client, raw).isEmpty()) throw new AssertionError("chunk data not followed by CRLF");
        }
        while (!readLine(client, raw).isEmpty()) {
            // trailer fields
        }
    }

    private static String readLine(RawClient client, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = client.read();
            if (b < 0) throw new IOException("stream ended inside a chunked body");
            raw.write(b);
            if (prev == '\r' && b == '\n') break;
            if (prev >= 0) line.write(prev);
            prev = b;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
