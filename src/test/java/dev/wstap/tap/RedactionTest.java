package dev.wstap.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code --redact} masks, one rule a test, and what it leaves alone. */
class RedactionTest {
    @ParameterizedTest(name = "{0}: {1} → {2}")
    @CsvSource(delimiter = '|', value = {
        "Authorization       | Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig | Bearer ***",
        "authorization       | Basic dXNlcjpwYXNz                  | Basic ***",
        "Proxy-Authorization | Basic dXNlcjpwYXNz                  | Basic ***",
        "Authorization       | Digest username=\"u\", response=\"6629fae4\" | Digest ***",
        "Authorization       | secret-without-scheme               | ***",
        "Cookie              | sid=abc123                          | sid=***",
        "Cookie              | sid=abc123; theme=dark; csrf=x9     | sid=***; theme=***; csrf=***",
        "Set-Cookie          | sid=abc123; Path=/; HttpOnly; Secure | sid=***; Path=/; HttpOnly; Secure",
        "SET-COOKIE          | sid=; Max-Age=0                     | sid=***; Max-Age=0",
        "Referer             | https://app.example/?code=1&token=t1 | https://app.example/?code=1&token=***",
        "Sec-WebSocket-Key   | dGhlIHNhbXBsZSBub25jZQ==            | dGhlIHNhbXBsZSBub25jZQ==",
        "X-Request-Id        | 42                                  | 42",
    })
    void credentialHeadersAreMaskedAndTheSchemeWordKept(String name, String value, String shown) {
        assertEquals(shown, Redaction.headerValue(name, value));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"token", "access_token", "refresh_token", "id_token", "X-Amz-Security-Token", "api_key", "apikey",
        "API-KEY", "access_key", "key", "secret", "client_secret", "password", "passwd", "pass", "pwd", "auth", "authorization",
        "sig", "signature", "X-Amz-Signature", "X-Amz-Credential", "session", "sessionid", "session_id", "sid", "jwt",
        "access%5Ftoken"})
    void tokenLikeQueryParametersAreSecret(String name) {
        assertTrue(Redaction.isSecretName(name), name);
        assertEquals("/chat?" + name + "=***", Redaction.text("/chat?" + name + "=s3cr3t"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"room", "id", "user", "author", "keyboard", "monkey", "v", "format", "code", "state"})
    void otherQueryParametersAreKept(String name) {
        assertFalse(Redaction.isSecretName(name), name);
        assertEquals("/chat?" + name + "=visible", Redaction.text("/chat?" + name + "=visible"));
    }

    @Test
    void onlyTheSecretParametersOfAUrlAreMasked() {
        assertEquals("wss://example.com:8443/socket?room=7&access_token=***&v=2#top",
                Redaction.text("wss://example.com:8443/socket?room=7&access_token=eyJhbGc&v=2#top"));
        assertEquals("ws://h/p?token&room=1", Redaction.text("ws://h/p?token&room=1"), "a name without a value has nothing to hide");
        assertEquals("ws://h/p", Redaction.text("ws://h/p"));
    }

    @Test
    void urlsInsideErrorMessagesAreMaskedToo() {
        assertEquals("upstream answered 403 for '/chat?token=***': forbidden",
                Redaction.text("upstream answered 403 for '/chat?token=abc': forbidden"));
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        String once = Redaction.text("/p?token=a&key=b");
        assertEquals(once, Redaction.text(once));
        assertEquals("Bearer ***", Redaction.headerValue("Authorization", Redaction.headerValue("Authorization", "Bearer x")));
        assertEquals("a=***; b=***", Redaction.headerValue("Cookie", Redaction.headerValue("Cookie", "a=1; b=2")));
    }

    @Test
    void anOpenedEventHasItsUrlTargetAndHeadersMasked() {
        HttpRequest request = new HttpRequest("GET", "/chat?room=1&token=t0k", "HTTP/1.1", new Headers(List.of(
                new Header("Host", "example.com"), new Header("Authorization", "Bearer t0k"), new Header("Cookie", "sid=c00k"))));
        HttpResponse response = new HttpResponse("HTTP/1.1", 101, "Switching Protocols", new Headers(List.of(
                new Header("Upgrade", "websocket"), new Header("Set-Cookie", "sid=n3w; Path=/"))));
        Opened o = new Opened(Instant.EPOCH, 3, "127.0.0.1:5000", "ws://example.com/chat?room=1&token=t0k", request, response, null, null);

        Opened r = (Opened) Redaction.apply((TapEvent) o);

        assertEquals("ws://example.com/chat?room=1&token=***", r.url());
        assertEquals("/chat?room=1&token=***", r.request().target());
        assertEquals(List.of(new Header("Host", "example.com"), new Header("Authorization", "Bearer ***"), new Header("Cookie", "sid=***")),
                r.request().headers().list());
        assertEquals(List.of(new Header("Upgrade", "websocket"), new Header("Set-Cookie", "sid=***; Path=/")), r.response().headers().list());
        assertEquals(List.of(o.time(), o.conn(), o.client(), "GET", "HTTP/1.1", 101),
                List.of(r.time(), r.conn(), r.client(), r.request().method(), r.request().version(), r.response().status()));
    }

    @Test
    void anHttpEventHasItsUrlAndErrorMasked() {
        HttpSeen h = new HttpSeen(Instant.EPOCH, 4, "127.0.0.1:5001", "GET", "ws://h/x?api_key=k3y", true, 502, "Bad Gateway",
                "upstream h:80 refused the connection for /x?api_key=k3y");
        HttpSeen r = (HttpSeen) Redaction.apply((TapEvent) h);
        assertEquals("ws://h/x?api_key=***", r.url());
        assertEquals("upstream h:80 refused the connection for /x?api_key=***", r.error());
        assertEquals(502, r.status());
    }

    @Test
    void closesAreLeftAsTheyAre() {
        Closed c = new Closed(Instant.EPOCH, 1, "client", 1000, "bye", true, null, java.time.Duration.ZERO,
                new Traffic(0, 0, 0), new Traffic(0, 0, 0), null, RoundTrips.NONE);
        assertSame(c, Redaction.apply(c));
    }
}
