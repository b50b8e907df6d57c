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
        return of(r.headers(), false, 400);
    }

    /** A response's body, given the request it answers (HEAD answers carry none). */
    public static BodyFraming ofResponse(HttpRequest request, HttpResponse r) throws HttpException {
        int status = r.status();
        if (request.method().equals("HEAD") || (status >= 100 && status < 200) || status == 204 || status == 304) return NONE;
        return of(r.headers(), true, 502);
    }

    private static BodyFraming of(Headers h, boolean mayRunToClose, int status) throws HttpException {
        String te = h.joined("Transfer-Encoding");
        if (te != null) {
            String[] codings = te.split(",", -1); // -1: a value of commas alone still has a last coding, "".
            if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) return new BodyFraming(Kind.CHUNKED, 0);
            if (mayRunToClose) return new BodyFraming(Kind.UNTIL_CLOSE, 0);
            throw new HttpException(status, "Transfer-Encoding '" + te + "' does not end in chunked (RFC 9112 §6.3)");
        }
        String cl = h.get("Content-Length");
        if (cl != null) {
            try {
                long n = Long.parseLong(cl.trim());
                if (n < 0) throw new NumberFormatException();
                return n == 0 ? NONE : new BodyFraming(Kind.LENGTH, n);
            } catch (NumberFormatException e) {
                throw new HttpException(status, "malformed Content-Length '" + HeadParser.printable(cl) + "'");
            }
        }
        return mayRunToClose ? new BodyFraming(Kind.UNTIL_CLOSE, 0) : NONE;
    }

    /** Whether the connection may carry another exchange after this one (RFC 9112 §9.3). */
    public static boolean isPersistent(String version, Headers headers) {
        if (headers.hasToken("Connection", "close")) return false;
        return !version.equals("HTTP/1.0") || headers.hasToken("Connection", "keep-alive");
    }
}
