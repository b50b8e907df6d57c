package dev.wstap.http;

import java.nio.charset.StandardCharsets;

/** A response head: {@code HTTP/1.1 101 Switching Protocols} and its headers. */
public record HttpResponse(String version, int status, String reason, Headers headers) {

    public byte[] encode() {
        StringBuilder s = new StringBuilder(256);
        s.append(version).append(' ').append(status).append(' ').append(reason).append("\r\n");
        headers.appendTo(s);
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The same response with one more header at the end. */
    public HttpResponse withHeader(String name, String value) {
        java.util.List<Header> more = new java.util.ArrayList<>(headers.list());
        more.add(new Header(name, value));
        return new HttpResponse(version, status, reason, new Headers(more));
    }

    /** {@code 101 Switching Protocols}. */
    public String statusLine() {
        return status + (reason.isEmpty() ? "" : " " + reason);
    }
}
