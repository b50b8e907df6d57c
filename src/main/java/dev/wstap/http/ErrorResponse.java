package dev.wstap.http;

import java.nio.charset.StandardCharsets;

/** The small plain-text responses wstap itself answers with: 400, 408, 431, 502, 503, 504, 508. */
public final class ErrorResponse {
    private ErrorResponse() {}

    /** A complete response whose body is {@code wstap: REASON}; it closes the connection. */
    public static byte[] of(int status, String reason) {
        return of(status, reason, null);
    }

    /** As above, with one more header line ({@code Proxy-Authenticate: ...}) unless it is null. */
    public static byte[] of(int status, String reason, String extraHeader) {
        byte[] body = ("wstap: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (extraHeader == null ? "" : extraHeader + "\r\n")
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(body, 0, out, headBytes.length, body.length);
        return out;
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 508 -> "Loop Detected";
            default -> "Error";
        };
    }
}
