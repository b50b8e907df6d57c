package dev.wstap.http;

/**
 * How long a message body is (RFC 9112 §6.3): none, a fixed length, chunked, or until the
 * connection closes.
 *
 * @param kind   which of the four
 * @param length the byte count for {@link Kind#LENGTH}
 */
public record BodyFraming(Kind kind, long length) {
    public enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    public static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0);

    /** A request's body: chunked, Content-Length, or none (requests are never close-delimited). */
    public static BodyFraming ofRequest(HttpRequest r) throws HttpException {
        return of(r.version(), r.headers(), false, 400);
    }

    /** A response's body, given the request it answers (HEAD answers carry none). */
    public static BodyFraming ofResponse(HttpRequest request, HttpResponse r) throws HttpException {
        int status = r.status();
        if (request.method().equals("HEAD") || (status >= 100 && status < 200) || status == 204 || status == 304) return NONE;
        return of(r.version(), r.headers(), true, 502);
    }

    /**
     * Refuses (with {@code status}, 400 or 502) every head whose body two parsers could read with
     * different lengths, since what follows the body is the next message (RFC 9112 §6.3, §11.2).
     */
    private static BodyFraming of(String version, Headers h, boolean mayRunToClose, int status) throws HttpException {
        String te = h.joined("Transfer-Encoding");
        String cl = h.joined("Content-Length");
        if (te != null) {
            if (cl != null) {
                throw new HttpException(status, "both Transfer-Encoding and Content-Length: peers could disagree on where the body ends (RFC 9112 §6.3)");
            }
            if (version.equals("HTTP/1.0")) throw new HttpException(status, "Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1)");
            String[] codings = te.split(",", -1); // -1: a value of commas alone still has a last coding, "".
            for (int i = 0; i < codings.length - 1; i++) {
                if (codings[i].trim().equalsIgnoreCase("chunked")) {
                    throw new HttpException(status, "Transfer-Encoding '" + HeadParser.printable(te) + "' has chunked before its end (RFC 9112 §6.1)");
                }
            }
            if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) return new BodyFraming(Kind.CHUNKED, 0);
            if (mayRunToClose) return new BodyFraming(Kind.UNTIL_CLOSE, 0);
            throw new HttpException(status, "Transfer-Encoding '" + HeadParser.printable(te) + "' does not end in chunked (RFC 9112 §6.3)");
        }
        if (cl != null) {
            long n = contentLength(cl, status);
            return n == 0 ? NONE : new BodyFraming(Kind.LENGTH, n);
        }
        return mayRunToClose ? new BodyFraming(Kind.UNTIL_CLOSE, 0) : NONE;
    }

    /**
     * {@code Content-Length = 1*DIGIT}; several fields, or a list, only when every value is the same
     * (RFC 9110 §8.6): {@code +5}, {@code 5, 6} and {@code 0x5} are refused.
     */
    private static long contentLength(String joined, int status) throws HttpException {
        long length = -1;
        for (String part : joined.split(",", -1)) {
            String digits = part.trim();
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new HttpException(status, "malformed Content-Length '" + HeadParser.printable(joined) + "'");
            }
            String significant = digits.replaceFirst("^0+(?=.)", ""); // leading zeros are allowed, and mean nothing
            if (significant.length() > 18) {
                throw new HttpException(status, "Content-Length " + HeadParser.printable(significant) + " is too large");
            }
            long n = Long.parseLong(significant);
            if (length >= 0 && n != length) {
                throw new HttpException(status, "Content-Length values differ: '" + HeadParser.printable(joined) + "' (RFC 9110 §8.6)");
            }
            length = n;
        }
        return length;
    }

    /** Whether the connection may carry another exchange after this one (RFC 9112 §9.3). */
    public static boolean isPersistent(String version, Headers headers) {
        if (headers.hasToken("Connection", "close")) return false;
        return !version.equals("HTTP/1.0") || headers.hasToken("Connection", "keep-alive");
    }
}
