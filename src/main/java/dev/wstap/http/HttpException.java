package dev.wstap.http;

/** A request wstap cannot accept, with the status to answer it with and a one-line reason. */
public final class HttpException extends Exception {
    private final int status;

    public HttpException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
