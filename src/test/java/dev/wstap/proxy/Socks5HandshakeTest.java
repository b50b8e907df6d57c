package dev.wstap.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wstap.http.Authority;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The SOCKS5 server handshake (RFC 1928, RFC 1929) as byte scripts: the client's bytes in, the answers and the outcome out. */
class Socks5HandshakeTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static Socks5Handshake.Step feed(Socks5Handshake h, String bytes) {
        byte[] b = hex(bytes);
        return h.feed(b, 0, b.length);
    }

    @Test
    void aConnectToAHostNameWithoutAuthentication() {
        Socks5Handshake h = new Socks5Handshake(null);
        Socks5Handshake.Step greeting = feed(h, "05 02 00 02");
        assertEquals("0500", hex(greeting.reply()), "no authentication chosen");
        assertEquals(Socks5Handshake.State.MORE, greeting.state());
        Socks5Handshake.Step request = feed(h, "05 01 00 03 09 6c6f63616c686f7374 1f90 474554"); // CONNECT localhost:8080, then "GET"
        assertEquals(Socks5Handshake.State.CONNECT, request.state());
        assertEquals(new Authority("localhost", 8080), request.target());
        assertEquals("474554", hex(h.leftover()), "what followed the request is the tunnel's");
        assertEquals("05000001000000000000", hex(Socks5Handshake.reply(Socks5Handshake.REPLY_OK)));
    }

    @Test
    void ipv4AndIpv6AddressesAndOneByteAtATime() {
        Socks5Handshake h = new Socks5Handshake(null);
        byte[] all = hex("05 01 00  05 01 00 01 7f000001 01bb");
        Socks5Handshake.Step last = null;
        StringBuilder replies = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            last = h.feed(all, i, 1);
            replies.append(hex(last.reply()));
        }
        assertEquals("0500", replies.toString());
        assertEquals(new Authority("127.0.0.1", 443), last.target());
        Socks5Handshake v6 = new Socks5Handshake(null);
        feed(v6, "05 01 00");
        assertEquals(new Authority("0:0:0:0:0:0:0:1", 9001), feed(v6, "05 01 00 04 00000000000000000000000000000001 2329").target());
    }

    @Test
    void userNameAndPasswordWhenRequiredRightAndWrong() {
        ProxyAuth auth = ProxyAuth.parse("alice:s3cret");
        Socks5Handshake h = new Socks5Handshake(auth);
        assertEquals("0502", hex(feed(h, "05 02 00 02").reply()), "user name and password chosen over none");
        Socks5Handshake.Step ok = feed(h, "01 05 616c696365 06 733363726574");
        assertEquals("0100", hex(ok.reply()));
        assertEquals(Socks5Handshake.State.MORE, ok.state());
        assertEquals(new Authority("a.test", 80), feed(h, "05 01 00 03 06 612e74657374 0050").target());

        Socks5Handshake wrong = new Socks5Handshake(auth);
        feed(wrong, "05 01 02");
        Socks5Handshake.Step refused = feed(wrong, "01 05 616c696365 05 6775657373");
        assertEquals("0101", hex(refused.reply()));
        assertEquals(Socks5Handshake.State.REFUSED, refused.state());
        assertEquals("wrong proxy user name or password", refused.why());

        Socks5Handshake none = new Socks5Handshake(auth);
        Socks5Handshake.Step noMethod = feed(none, "05 01 00");
        assertEquals("05ff", hex(noMethod.reply()), "no acceptable method");
        assertEquals("the client offers no user name and password (RFC 1929), which --proxy-auth requires", noMethod.why());
    }

    @Test
    void whatIsNotAConnectIsRefusedWithItsReplyCode() {
        Socks5Handshake bind = new Socks5Handshake(null);
        feed(bind, "05 01 00");
        Socks5Handshake.Step refused = feed(bind, "05 02 00 01 7f000001 0050");
        assertEquals("05070001000000000000", hex(refused.reply()), "command not supported");
        assertEquals("only CONNECT is supported, not command 2", refused.why());

        Socks5Handshake atyp = new Socks5Handshake(null);
        feed(atyp, "05 01 00");
        assertEquals("05080001000000000000", hex(feed(atyp, "05 01 00 09 00").reply()), "address type not supported");

        Socks5Handshake socks4 = new Socks5Handshake(null);
        Socks5Handshake.Step four = feed(socks4, "04 01 0050 7f000001 00");
        assertEquals(Socks5Handshake.State.REFUSED, four.state());
        assertEquals("", hex(four.reply()), "no SOCKS5 answer to another protocol");
        assertEquals("not a SOCKS5 client (version 4)", four.why());
        assertNull(four.target());
    }

    @Test
    void aHostNameWithControlBytesIsRefusedAndHttpOnTheSocksPortIsSaidSo() {
        Socks5Handshake h = new Socks5Handshake(null);
        feed(h, "05 01 00");
        Socks5Handshake.Step bad = feed(h, "05 01 00 03 05 61 1b 5b 32 4a 0050"); // "a", ESC "[2J"
        assertEquals("05040001000000000000", hex(bad.reply()), "host unreachable");
        assertEquals("CONNECT to 'a\\x1b[2J' names no valid host", bad.why());

        Socks5Handshake http = new Socks5Handshake(null);
        Socks5Handshake.Step get = feed(http, "474554 20");
        assertEquals("the client speaks HTTP to this SOCKS5 port (set wstap as its SOCKS5 proxy, or listen without socks5:// for an HTTP proxy)",
                get.why());
    }
}
