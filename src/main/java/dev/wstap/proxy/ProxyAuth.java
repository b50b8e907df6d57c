package dev.wstap.proxy;

import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** {@code --proxy-auth user:pass}: Basic proxy authentication (RFC 9110 §11.7.1, RFC 7617), and SOCKS5's user name and password (RFC 1929). */
public final class ProxyAuth {
    /** The header a 407 carries, inviting the client to authenticate. */
    public static final String CHALLENGE = "Proxy-Authenticate: Basic realm=\"wstap\"";

    private final byte[] expected;

    private ProxyAuth(String userColonPass) {
        this.expected = Base64.getEncoder().encodeToString(userColonPass.getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @throws IllegalArgumentException unless {@code text} is {@code user:pass} */
    public static ProxyAuth parse(String text) {
        if (text.indexOf(':') <= 0) throw new IllegalArgumentException("'" + text.replaceAll(":.*", ":…") + "' is not USER:PASSWORD");
        return new ProxyAuth(text);
    }

    /** Whether {@code user} and {@code password} are the ones required (SOCKS5's, RFC 1929), compared in constant time. */
    boolean matches(String user, String password) {
        byte[] given = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** @throws HttpException 407 when the request lacks the right credentials */
    void check(HttpRequest request) throws HttpException {
        String given = request.headers().get("Proxy-Authorization");
        if (given == null) throw new HttpException(407, "this proxy needs a user name and password (--proxy-auth)");
        String[] parts = given.trim().split("\\s+", 2);
        // RFC 9110 §11.1: the scheme name is case-insensitive. The credentials are compared in
        // constant time, so that the answer's timing does not tell how much of a guess was right.
        boolean isBasic = parts.length == 2 && parts[0].equalsIgnoreCase("Basic");
        if (!isBasic || !MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
            throw new HttpException(407, "wrong proxy user name or password");
        }
    }
}
