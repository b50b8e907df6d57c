package dev.wstap.http;

import java.nio.charset.StandardCharsets;

/** A request head: {@code GET /chat HTTP/1.1} and its headers. */
public record HttpRequest(String method, String target, String version, Headers headers) {

    /** The head as bytes, CRLF line ends and the blank line included. */
    public byte[] encode() {
        StringBuilder s = new StringBuilder(256);
        s.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        headers.appendTo(s);
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
