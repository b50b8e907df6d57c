package dev.wstap.proxy;

import dev.wstap.http.HttpResponse;

/** {@code wstap connect}'s handshake did not end in a verified 101; {@link #response} is what the server said, if anything. */
public final class HandshakeFailed extends Exception {
    private final transient HttpResponse response;

    HandshakeFailed(String message, HttpResponse response) {
        super(message);
        this.response = response;
    }

    public HttpResponse response() {
        return response;
    }
}
