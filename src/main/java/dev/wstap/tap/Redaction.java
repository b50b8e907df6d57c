package dev.wstap.tap;

import dev.wstap.http.Header;
import dev.wstap.http.Headers;
import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --redact} hides from everything wstap shows or writes (console, JSONL and text
 * log, HAR), so that a log can be shared: credentials in headers and token-like query parameters.
 * It works on the events observers get, never on the bytes forwarded. Frame payloads are not
 * redacted: wstap cannot know which parts of an application's messages are secret.
 *
 * <ul>
 * <li>{@code Authorization}, {@code Proxy-Authorization}: the credentials after the scheme word,
 *     {@code Bearer eyJhbGc...} → {@code Bearer ***}; a value without a scheme → {@code ***}.
 * <li>{@code Cookie}: every cookie's value, {@code sid=abc; theme=dark} → {@code sid=***; theme=***}.
 * <li>{@code Set-Cookie}: the cookie's value, its attributes kept: {@code sid=***; Path=/; HttpOnly}.
 * <li>Query parameters with a token-like name, in URLs, request targets, {@code Referer} and error
 *     messages: {@code ?room=1&access_token=abc} → {@code ?room=1&access_token=***}. A name
 *     (percent-decoded, case ignored) is token-like when it is one of {@link #SECRET_NAMES}, contains
 *     one of {@link #SECRET_NAME_PARTS}, or ends in {@code _key} or {@code -key}.
 * </ul>
 *
 * Masking is idempotent: a redacted event redacted again stays the same. Thread safe (stateless).
 */
public final class Redaction {
    public static final String MASK = "***";

    /** Query parameter names that are secret as a whole word. */
    public static final Set<String> SECRET_NAMES = Set.of("key", "apikey", "auth", "authorization", "sig", "sid", "pass", "pwd", "jwt");
    /** Parts of a query parameter name that make it secret: access_token, client_secret, X-Amz-Signature... */
    public static final List<String> SECRET_NAME_PARTS = List.of("token", "secret", "passw", "signature", "credential", "session");

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization");
    /** A query parameter ({@code name=value}) after {@code ?} or {@code &}, up to where a URL in text ends. */
    private static final Pattern PARAMETER = Pattern.compile("([?&])([^=&#\\s'\"<>]+)=([^&#\\s'\"<>]*)");

    private Redaction() {}

    /** {@code event} as an observer may see it: Opened and HttpSeen redacted, frames, messages and closes as they are. */
    public static TapEvent apply(TapEvent event) {
        return switch (event) {
            case Opened o -> apply(o);
            case HttpSeen h -> apply(h);
            case FrameSeen f -> f;
            case MessageSeen m -> m;
            case Closed c -> c;
        };
    }

    public static Opened apply(Opened o) {
        return new Opened(o.time(), o.conn(), o.client(), text(o.url()), request(o.request()), response(o.response()),
                o.clientTls(), o.upstreamTls());
    }

    public static HttpSeen apply(HttpSeen h) {
        return new HttpSeen(h.time(), h.conn(), h.client(), h.method(), text(h.url()), h.isUpgrade(), h.status(), h.reason(),
                h.error() == null ? null : text(h.error()));
    }

    /** A request head with its target's query and its credential headers masked. */
    public static HttpRequest request(HttpRequest q) {
        return new HttpRequest(q.method(), text(q.target()), q.version(), headers(q.headers()));
    }

    /** A response head with its credential headers ({@code Set-Cookie}) masked. */
    public static HttpResponse response(HttpResponse r) {
        return new HttpResponse(r.version(), r.status(), r.reason(), headers(r.headers()));
    }

    /** {@code headers} with the values of credential headers masked. */
    public static Headers headers(Headers headers) {
        List<Header> out = new ArrayList<>(headers.list().size());
        for (Header h : headers.list()) out.add(new Header(h.name(), headerValue(h.name(), h.value())));
        return new Headers(out);
    }

    /** One header's value as shown: masked for credential headers, its query masked for {@code Referer}. */
    public static String headerValue(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (value.isEmpty()) return value;
        if (CREDENTIAL_HEADERS.contains(n)) {
            // RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]; the scheme is no secret.
            int space = value.indexOf(' ');
            return space > 0 ? value.substring(0, space) + " " + MASK : MASK;
        }
        if (n.equals("cookie")) return cookies(value, Integer.MAX_VALUE);
        // RFC 6265 §4.1.1: Set-Cookie: name=value, then attributes, which are no secret.
        if (n.equals("set-cookie")) return cookies(value, 1);
        if (n.equals("referer")) return text(value);
        return value;
    }

    /** Masks the values of the first {@code count} {@code name=value} pairs of a {@code ;}-separated list. */
    private static String cookies(String value, int count) {
        String[] pairs = value.split(";", -1);
        for (int i = 0; i < pairs.length && i < count; i++) {
            String pair = pairs[i];
            int eq = pair.indexOf('=');
            String lead = pair.substring(0, pair.length() - pair.stripLeading().length());
            if (eq >= 0) pairs[i] = pair.substring(0, eq + 1) + MASK;
            else if (!pair.isBlank()) pairs[i] = lead + MASK;
        }
        return String.join(";", pairs);
    }

    /** {@code text} (a URL, a request target, an error message) with token-like query parameters masked. */
    public static String text(String text) {
        if (text == null || text.indexOf('=') < 0) return text;
        Matcher m = PARAMETER.matcher(text);
        StringBuilder s = new StringBuilder(text.length());
        while (m.find()) {
            String replacement = isSecretName(m.group(2)) ? m.group(1) + m.group(2) + "=" + MASK : m.group();
            m.appendReplacement(s, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(s).toString();
    }

    /** Whether a query parameter of this name holds a secret; see the class comment. */
    public static boolean isSecretName(String name) {
        String n;
        try {
            n = URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            n = name.toLowerCase(Locale.ROOT); // a stray %: judge the name as written
        }
        if (SECRET_NAMES.contains(n) || n.endsWith("_key") || n.endsWith("-key")) return true;
        for (String part : SECRET_NAME_PARTS) {
            if (n.contains(part)) return true;
        }
        return false;
    }
}
