package dev.wstap.tap;

import dev.wstap.http.HttpRequest;
import dev.wstap.http.HttpResponse;
import dev.wstap.tls.TlsInfo;
import java.time.Instant;

/**
 * A WebSocket session began: the upstream answered 101 and the answer was relayed.
 *
 * @param client   the client's address, {@code 127.0.0.1:54321}
 * @param url      the upstream URL the session talks to, path and query included
 * @param request  the upgrade request as the client sent it
 * @param response the upstream's 101 as relayed to the client
 * @param clientTls   what TLS agreed between the client and wstap, or null for plain ws
 * @param upstreamTls what TLS agreed between wstap and the upstream, or null for plain ws
 */
public record Opened(Instant time, int conn, String client, String url, HttpRequest request, HttpResponse response,
                     TlsInfo clientTls, TlsInfo upstreamTls) implements TapEvent {

    /** The agreed subprotocol, or null. */
    public String subprotocol() {
        return response.headers().get("Sec-WebSocket-Protocol");
    }

    /** The agreed extensions as the server wrote them, or null. */
    public String extensions() {
        return response.headers().joined("Sec-WebSocket-Extensions");
    }
}
