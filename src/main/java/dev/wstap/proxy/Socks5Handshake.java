package dev.wstap.proxy;

import dev.wstap.http.Authority;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The server's side of a SOCKS5 handshake (RFC 1928), sans I/O: the client's bytes go in
 * ({@link #feed}), and each call says what to write back and whether the client has asked to
 * CONNECT somewhere, must send more, or is refused. No authentication, or user name and password
 * (RFC 1929) when {@code auth} is given; CONNECT only (BIND and UDP ASSOCIATE are refused with
 * "command not supported"). Not thread safe.
 *
 * <p>Example: {@code 05 01 00} then {@code 05 01 00 03 09 6c6f63616c686f7374 1f90} is a CONNECT to
 * localhost:8080; the answers are {@code 05 00}, then ({@link #reply} with {@code REPLY_OK}) {@code 05 00 00 01 00000000 0000}.
 */
final class Socks5Handshake {
    static final int VERSION = 5;
    private static final int AUTH_VERSION = 1; // RFC 1929 §2
    private static final int NO_AUTH = 0x00;
    private static final int USER_PASSWORD = 0x02;
    private static final int NO_ACCEPTABLE_METHOD = 0xFF;
    private static final int CONNECT = 1;
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;
    /** RFC 1928 §6 replies. */
    static final int REPLY_OK = 0x00;
    static final int REPLY_GENERAL_FAILURE = 0x01;
    static final int REPLY_NOT_ALLOWED = 0x02;
    static final int REPLY_HOST_UNREACHABLE = 0x04;
    static final int REPLY_COMMAND_NOT_SUPPORTED = 0x07;
    static final int REPLY_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;

    /** What the handshake needs now. */
    enum State { MORE, CONNECT, REFUSED }

    /**
     * The outcome of {@link #feed}.
     *
     * @param reply  bytes to write to the client now (possibly none)
     * @param state  MORE: read on; CONNECT: {@link #target} is asked for, answer with {@link #connected};
     *               REFUSED: write the reply and close, {@code why} says why
     * @param target the CONNECT's host and port, with CONNECT
     * @param why    with REFUSED, one line
     */
    record Step(byte[] reply, State state, Authority target, String why) {}

    private enum Phase { GREETING, AUTH, REQUEST, DONE }

    private final ProxyAuth auth;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Phase phase = Phase.GREETING;

    Socks5Handshake(ProxyAuth auth) {
        this.auth = auth;
    }

    /** The client's next bytes. */
    Step feed(byte[] bytes, int off, int len) {
        pending.write(bytes, off, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] b = pending.toByteArray();
            switch (phase) {
                case GREETING -> {
                    if (b.length < 2) return more(out);
                    if ((b[0] & 0xff) != VERSION) {
                        boolean isHttp = Character.isUpperCase(b[0]) && Character.isUpperCase(b[1]);
                        return refused(out, new byte[0], isHttp ? "the client speaks HTTP to this SOCKS5 port (set wstap as its SOCKS5 proxy, "
                                + "or listen without socks5:// for an HTTP proxy)" : "not a SOCKS5 client (version " + (b[0] & 0xff) + ")");
                    }
                    int n = b[1] & 0xff;
                    if (b.length < 2 + n) return more(out);
                    int wanted = auth == null ? NO_AUTH : USER_PASSWORD;
                    boolean isOffered = false;
                    for (int i = 0; i < n; i++) isOffered |= (b[2 + i] & 0xff) == wanted;
                    if (!isOffered) {
                        return refused(out, new byte[] {VERSION, (byte) NO_ACCEPTABLE_METHOD}, auth == null
                                ? "the client offers no SOCKS5 method without authentication"
                                : "the client offers no user name and password (RFC 1929), which --proxy-auth requires");
                    }
                    out.writeBytes(new byte[] {VERSION, (byte) wanted});
                    consume(2 + n);
                    phase = auth == null ? Phase.REQUEST : Phase.AUTH;
                }
                case AUTH -> {
                    if (b.length < 2) return more(out);
                    int userLength = b[1] & 0xff;
                    if (b.length < 3 + userLength) return more(out);
                    int passwordLength = b[2 + userLength] & 0xff;
                    if (b.length < 3 + userLength + passwordLength) return more(out);
                    String user = new String(b, 2, userLength, StandardCharsets.UTF_8);
                    String password = new String(b, 3 + userLength, passwordLength, StandardCharsets.UTF_8);
                    if ((b[0] & 0xff) != AUTH_VERSION || !auth.matches(user, password)) {
                        return refused(out, new byte[] {AUTH_VERSION, 1}, "wrong proxy user name or password");
                    }
                    out.writeBytes(new byte[] {AUTH_VERSION, 0});
                    consume(3 + userLength + passwordLength);
                    phase = Phase.REQUEST;
                }
                case REQUEST -> {
                    if (b.length < 5) return more(out);
                    int addressType = b[3] & 0xff;
                    int addressLength = switch (addressType) {
                        case ATYP_IPV4 -> 4;
                        case ATYP_IPV6 -> 16;
                        case ATYP_DOMAIN -> 1 + (b[4] & 0xff);
                        default -> -1;
                    };
                    if (addressLength < 0) return refused(out, reply(REPLY_ADDRESS_TYPE_NOT_SUPPORTED), "address type " + addressType + " is not SOCKS5's");
                    if (b.length < 4 + addressLength + 2) return more(out);
                    if ((b[0] & 0xff) != VERSION) return refused(out, reply(REPLY_GENERAL_FAILURE), "the request is not SOCKS5");
                    if ((b[1] & 0xff) != CONNECT) {
                        return refused(out, reply(REPLY_COMMAND_NOT_SUPPORTED), "only CONNECT is supported, not command " + (b[1] & 0xff));
                    }
                    String host;
                    if (addressType == ATYP_DOMAIN) {
                        host = new String(b, 5, addressLength - 1, StandardCharsets.US_ASCII);
                    } else {
                        try {
                            host = InetAddress.getByAddress(Arrays.copyOfRange(b, 4, 4 + addressLength)).getHostAddress();
                        } catch (UnknownHostException e) {
                            throw new IllegalStateException("4 or 16 bytes are always an address", e);
                        }
                    }
                    int port = ((b[4 + addressLength] & 0xff) << 8) | (b[5 + addressLength] & 0xff);
                    if (host.isEmpty() || port == 0) return refused(out, reply(REPLY_GENERAL_FAILURE), "CONNECT to '" + host + ":" + port + "' names no host or port");
                    // The name goes on to DNS, into a certificate and into the log: only what a host name may hold.
                    if (!Authority.isHost(host)) {
                        return refused(out, reply(REPLY_HOST_UNREACHABLE), "CONNECT to '" + dev.wstap.http.HeadParser.printable(host) + "' names no valid host");
                    }
                    consume(6 + addressLength);
                    phase = Phase.DONE;
                    return new Step(out.toByteArray(), State.CONNECT, new Authority(host, port), null);
                }
                case DONE -> throw new IllegalStateException("the handshake is over: what follows is the tunnel's");
            }
        }
    }

    /** The bytes the client sent after its request: the tunnel's first. */
    byte[] leftover() {
        return pending.toByteArray();
    }

    /**
     * The answer to the CONNECT: {@code REPLY_OK} (the tunnel is open) or a failure code. The bound
     * address is given as 0.0.0.0:0: wstap's end is of no use to the client.
     */
    static byte[] reply(int code) {
        return new byte[] {VERSION, (byte) code, 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0};
    }

    private Step more(ByteArrayOutputStream out) {
        return new Step(out.toByteArray(), State.MORE, null, null);
    }

    private Step refused(ByteArrayOutputStream out, byte[] answer, String why) {
        out.writeBytes(answer);
        phase = Phase.DONE;
        return new Step(out.toByteArray(), State.REFUSED, null, why);
    }

    private void consume(int n) {
        byte[] b = pending.toByteArray();
        pending.reset();
        pending.write(b, n, b.length - n);
    }
}
