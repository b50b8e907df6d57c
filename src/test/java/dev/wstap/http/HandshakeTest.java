package dev.wstap.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static HttpRequest request(String head) throws HttpException {
        return HeadParser.parseRequest(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpResponse response(String head) throws HttpException {
        return HeadParser.parseResponse(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @Test
    void acceptOfTheRfcSampleKey() {
        // RFC 6455 §1.3.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void theRfcRequestIsAnUpgradeWithAValidKey() throws HttpException {
        HttpRequest r = request(RFC_REQUEST);
        assertTrue(Handshake.isUpgrade(r));
        Handshake.checkRequest(r);
        assertEquals("chat, superchat", r.headers().get("sec-websocket-protocol"));
    }

    @Test
    void connectionTokensAreFoundInAList() throws HttpException {
        HttpRequest r = request("GET / HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n\r\n");
        assertTrue(Handshake.isUpgrade(r), "Firefox sends 'keep-alive, Upgrade'");
    }

    @Test
    void aPlainGetIsNoUpgrade() throws HttpException {
        assertFalse(Handshake.isUpgrade(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
    }

    @Test
    void aMissingKeyIs400() throws HttpException {
        HttpRequest r = request("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        HttpException e = assertThrows(HttpException.class, () -> Handshake.checkRequest(r));
        assertEquals(400, e.status());
        assertEquals("upgrade request has no Sec-WebSocket-Key (RFC 6455 §4.1)", e.getMessage());
    }

    @Test
    void aKeyOfTheWrongLengthIs400() throws HttpException {
        HttpRequest r = request("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n");
        HttpException e = assertThrows(HttpException.class, () -> Handshake.checkRequest(r));
        assertEquals("Sec-WebSocket-Key 'c2hvcnQ=' is not 16 bytes in base64 (RFC 6455 §4.1)", e.getMessage());
    }

    @Test
    void aPostUpgradeIs400() throws HttpException {
        HttpRequest r = request(RFC_REQUEST.replace("GET", "POST"));
        assertEquals(400, assertThrows(HttpException.class, () -> Handshake.checkRequest(r)).status());
    }

    @Test
    void theRightAcceptPasses() throws HttpException {
        HttpResponse ok = response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        assertNull(Handshake.checkAccept(request(RFC_REQUEST), ok));
    }

    @Test
    void aWrongAcceptIsNamedWithBothValues() throws HttpException {
        HttpResponse wrong = response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");
        assertEquals("upstream's Sec-WebSocket-Accept 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' does not match the key "
                + "(expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', RFC 6455 §4.1)", Handshake.checkAccept(request(RFC_REQUEST), wrong));
    }

    @Test
    void aMissingAcceptIsNamed() throws HttpException {
        HttpResponse none = response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        assertEquals("upstream's 101 has no Sec-WebSocket-Accept (RFC 6455 §4.1)", Handshake.checkAccept(request(RFC_REQUEST), none));
    }

    @Test
    void switchingProtocolsAnswersTheKey() throws HttpException {
        HttpResponse r = Handshake.switchingProtocols(request(RFC_REQUEST));
        assertEquals(101, r.status());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.headers().get("Sec-WebSocket-Accept"));
    }

    @Test
    void aClientRequestRoundTripsThroughTheParser() throws HttpException {
        String key = Handshake.newKey();
        HttpRequest sent = Handshake.clientRequest("h:1", "/x?y=1", key, List.of(new Header("Origin", "http://o")));
        HttpRequest parsed = HeadParser.parseRequest(sent.encode());
        assertEquals(sent, parsed);
        Handshake.checkRequest(parsed);
    }
}
