package dev.wstap.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/** The opening handshake of RFC 6455 §4: recognising an upgrade, and the key/accept check. */
public final class Handshake {
    /** RFC 6455 §1.3: the GUID appended to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    /** A request that asks to become a WebSocket: {@code Upgrade: websocket} with {@code Connection: upgrade}. */
    public static boolean isUpgrade(HttpRequest r) {
        return r.headers().hasToken("Upgrade", "websocket") && r.headers().hasToken("Connection", "upgrade");
    }

    /**
     * Checks what wstap needs from a client's upgrade request to verify the server's answer.
     *
     * @throws HttpException 400 naming what is wrong
     */
    public static void checkRequest(HttpRequest r) throws HttpException {
        if (!r.method().equals("GET")) {
            throw new HttpException(400, "WebSocket upgrade must use GET, not " + r.method() + " (RFC 6455 §4.1)");
        }
        String key = r.headers().get("Sec-WebSocket-Key");
        if (key == null) throw new HttpException(400, "upgrade request has no Sec-WebSocket-Key (RFC 6455 §4.1)");
        if (!isValidKey(key)) {
            throw new HttpException(400, "Sec-WebSocket-Key '" + HeadParser.printable(key)
                    + "' is not 16 bytes in base64 (RFC 6455 §4.1)");
        }
    }

    static boolean isValidKey(String key) {
        try {
            return Base64.getDecoder().decode(key.trim()).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Sec-WebSocket-Accept a server must answer {@code key} with (RFC 6455 §4.2.2). */
    public static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /**
     * Verifies a server's 101 against the request (RFC 6455 §4.1, client steps 1-4).
     *
     * @return null when the answer is right, else a one-line reason
     */
    public static String checkAccept(HttpRequest request, HttpResponse response) {
        if (!response.headers().hasToken("Upgrade", "websocket")) {
            return "upstream's 101 lacks 'Upgrade: websocket' (RFC 6455 §4.1)";
        }
        if (!response.headers().hasToken("Connection", "upgrade")) {
            return "upstream's 101 lacks 'Connection: Upgrade' (RFC 6455 §4.1)";
        }
        String expected = acceptFor(request.headers().get("Sec-WebSocket-Key"));
        String actual = response.headers().get("Sec-WebSocket-Accept");
        if (actual == null) return "upstream's 101 has no Sec-WebSocket-Accept (RFC 6455 §4.1)";
        if (!actual.trim().equals(expected)) {
            return "upstream's Sec-WebSocket-Accept '" + HeadParser.printable(actual) + "' does not match the key (expected '"
                    + expected + "', RFC 6455 §4.1)";
        }
        return null;
    }

    /** A fresh random Sec-WebSocket-Key. */
    public static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A client's upgrade request, as the demo client and tests send it. */
    public static HttpRequest clientRequest(String hostHeader, String target, String key, List<Header> extra) {
        List<Header> headers = new java.util.ArrayList<>(List.of(
                new Header("Host", hostHeader),
                new Header("Upgrade", "websocket"),
                new Header("Connection", "Upgrade"),
                new Header("Sec-WebSocket-Key", key),
                new Header("Sec-WebSocket-Version", "13")));
        headers.addAll(extra);
        return new HttpRequest("GET", target, "HTTP/1.1", new Headers(headers));
    }

    /** A server's 101 for {@code request}, as the echo server answers. */
    public static HttpResponse switchingProtocols(HttpRequest request) {
        return new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(List.of(
                new Header("Upgrade", "websocket"),
                new Header("Connection", "Upgrade"),
                new Header("Sec-WebSocket-Accept", acceptFor(request.headers().get("Sec-WebSocket-Key"))))));
    }
}
