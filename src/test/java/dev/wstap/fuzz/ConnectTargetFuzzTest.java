package dev.wstap.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wstap.http.Authority;
import dev.wstap.http.HeadBuffer;
import dev.wstap.http.HeadParser;
import dev.wstap.http.HttpException;
import dev.wstap.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Fuzzes what a forward proxy does with {@code CONNECT host:port}: the target as any string, and
 * the same target inside a request head read and parsed as ClientConnection reads it, then
 * {@link Authority#parse}. For every input:
 *
 * <ul>
 *   <li>a bad target is refused with {@link HttpException} 400; no other exception escapes;
 *   <li>an accepted one names a host that can only be a host (RFC 3986 §3.2.2: a registered name,
 *       an IPv4 address, or an IPv6 address, which was in brackets or had no other reading), and a
 *       port of 1-65535 written in digits (RFC 9110 §9.3.6, RFC 3986 §3.2.3): it goes on to DNS,
 *       into the certificate wstap mints, and into logs;
 *   <li>its text form parses back to the same authority.
 * </ul>
 */
class ConnectTargetFuzzTest {
    /**
     * RFC 3986 §3.2.2 reg-name (unreserved, sub-delims, and "%" of pct-encoded, which is not
     * checked further), which covers IPv4 addresses too.
     */
    private static final Pattern REG_NAME = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=%-]+");
    /** The characters of an IPv6 address (RFC 4291 §2.2), with an IPv4 tail. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    @FuzzTest
    void anyConnectTarget(FuzzedDataProvider data) {
        boolean isInHead = data.consumeBoolean();
        String target = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
        if (isInHead) {
            HttpRequest request = connectRequest(target);
            if (request == null || !request.method().equals("CONNECT")) return;
            target = request.target();
        }
        Authority authority;
        try {
            authority = Authority.parse(target);
        } catch (HttpException e) {
            assertEquals(400, e.status(), e.getMessage());
            return;
        }
        String host = authority.host();
        assertTrue(REG_NAME.matcher(host).matches() || IPV6.matcher(host).matches(),
                "host '" + host + "' of CONNECT target '" + target + "' is no host name or address");
        assertTrue(authority.port() >= 1 && authority.port() <= 65535, "port " + authority.port());
        assertTrue(target.substring(target.lastIndexOf(':') + 1).matches("[0-9]+"),
                "port of '" + target + "' written otherwise than in digits");
        try {
            assertEquals(authority, Authority.parse(authority.toString()), "'" + authority + "' parsed again");
        } catch (HttpException e) {
            fail("'" + authority + "', the text of an accepted authority, does not parse: " + e.getMessage());
        }
    }

    /** {@code CONNECT target HTTP/1.1} as a client sends it, through HeadBuffer and HeadParser; null when refused. */
    private static HttpRequest connectRequest(String target) {
        byte[] head = ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HeadBuffer buffer = new HeadBuffer();
        try {
            if (!buffer.add(head, 0, head.length)) return null;
            return HeadParser.parseRequest(buffer.head());
        } catch (HttpException e) {
            assertTrue(e.status() == 400 || e.status() == 431, "status " + e.status() + ": " + e.getMessage());
            return null;
        }
    }
}
